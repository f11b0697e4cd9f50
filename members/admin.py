from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import can_see_national_id
from clubs.admin import ScopedAdminMixin

from .models import HouseholdAssessment, Member
from .privacy import anonymise


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
    actions = ["anonymise_selected"]

    def get_exclude(self, request, obj=None):
        """National IDs are for administrators only (members.privacy)."""
        exclude = list(super().get_exclude(request, obj) or ())
        if not can_see_national_id(request.user):
            exclude.append("national_id")
        return exclude

    @admin.action(description=_("Ẩn danh hoá các thành viên đã rời CLB"), permissions=["change"])
    def anonymise_selected(self, request, queryset):
        left = list(queryset.filter(left_on__isnull=False))
        for member in left:
            anonymise(member, user=request.user, reason="Ẩn danh hoá theo yêu cầu")
        self.message_user(
            request,
            _("Đã ẩn danh hoá %(done)d thành viên; bỏ qua %(skipped)d thành viên chưa rời CLB.")
            % {"done": len(left), "skipped": queryset.count() - len(left)},
            messages.SUCCESS,
        )


@admin.register(HouseholdAssessment)
class HouseholdAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("member", "assessed_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("member",)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(member__in=Member.objects.for_user(request.user))
        )
