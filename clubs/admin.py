from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Club, Commune, CommuneSuccession, District, OfficerAssignment, Province


class ScopedAdminMixin:
    """Admin querysets go through the same scoping as every view (``for_user``)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.for_user(request.user) if hasattr(qs, "for_user") else qs


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "era", "successor")
    list_filter = ("era",)
    search_fields = ("code", "name")
    ordering = ("era", "code")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province")
    search_fields = ("code", "name")
    list_select_related = ("province",)


class CommuneSuccessionInline(admin.TabularInline):
    model = CommuneSuccession
    fk_name = "old"
    raw_id_fields = ("new",)
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "era", "province", "district")
    list_filter = ("era",)
    search_fields = ("code", "name")
    list_select_related = ("province", "district")
    raw_id_fields = ("province", "district")
    inlines = [CommuneSuccessionInline]


@admin.register(Club)
class ClubAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "province", "commune", "founded_on", "dissolved_on")
    list_filter = ("dissolved_on",)
    search_fields = ("code", "search_key")
    list_select_related = ("province", "commune")
    raw_id_fields = ("commune", "founding_commune")
    date_hierarchy = "founded_on"


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "province")
    list_select_related = ("user", "province")
