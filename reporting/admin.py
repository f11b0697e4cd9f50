from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Criterion,
    FigureSnapshot,
    Phase,
    ProvinceTarget,
    ReportDocument,
    ReportIssuer,
    Target,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "decision", "starts_on", "ends_on")
    inlines = [CriterionInline, TargetInline]


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(admin.ModelAdmin):
    list_display = ("phase", "province", "clubs", "members")
    list_filter = ("phase",)
    raw_id_fields = ("province",)


@admin.register(ReportDocument)
class ReportDocumentAdmin(admin.ModelAdmin):
    """The kept PDF renders, read-only; "mark as issued" keeps a report's file for good
    (``manage.py clean_reports`` deletes the others after ``REPORT_KEEP_DAYS`` days)."""

    list_display = ("__str__", "status", "failure", "attempts", "created_at", "issued_at")
    list_filter = ("status", "phase")
    exclude = ("content", "docx", "annex")
    readonly_fields = [
        f.name
        for f in ReportDocument._meta.fields
        if f.name not in ("content", "docx", "annex", "issued_at")
    ]
    actions = ["mark_issued"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Đánh dấu đã ban hành (giữ mãi)"))
    def mark_issued(self, request, queryset):
        queryset.filter(status=ReportDocument.Status.READY, issued_at__isnull=True).update(
            issued_at=timezone.now()
        )


@admin.register(ReportIssuer)
class ReportIssuerAdmin(admin.ModelAdmin):
    """The issuing body of the reports: the national row and one per province (the letterhead,
    the document symbol, the place and the signer)."""

    list_display = ("__str__", "province", "symbol", "place", "signer_title", "signer_name")
    raw_id_fields = ("province",)


@admin.register(FigureSnapshot)
class FigureSnapshotAdmin(admin.ModelAdmin):
    """Frozen figures, read-only: they are what was issued (``reporting.snapshots``)."""

    list_display = ("code", "kind", "scope", "phase", "as_of", "data_time", "created_at")
    list_filter = ("kind", "phase")
    search_fields = ("code", "sha256")
    exclude = ("figures",)
    readonly_fields = [f.name for f in FigureSnapshot._meta.fields if f.name != "figures"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
