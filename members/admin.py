from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.admin import ScopedAdminMixin

from .models import HouseholdAssessment, Member


class HouseholdAssessmentInline(admin.TabularInline):
    model = HouseholdAssessment
    extra = 0


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("full_name", "club", "sex", "birth_year", "joined_on", "left_on")
    list_filter = ("sex", "is_board_member", "is_home_care_volunteer")
    search_fields = ("search_key", "code", "club__code")
    list_select_related = ("club",)
    raw_id_fields = ("club",)
    inlines = [HouseholdAssessmentInline]


@admin.register(HouseholdAssessment)
class HouseholdAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("member", "assessed_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("member",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(member__in=Member.objects.for_user(request.user))
        )
