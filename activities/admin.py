from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.admin import ScopedAdminMixin

from .models import ActivityKind, ActivityRecord, Meeting


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    """The scheme's activity kinds: the administrator edits them (a new kind counts from its
    start date)."""

    list_display = ("order", "code", "name", "name_en", "starts_on", "counts_visits")
    list_display_links = ("code",)
    ordering = ("order", "code")


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("club", "held_on", "attendees")
    raw_id_fields = ("club",)
    list_select_related = ("club",)


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("club", "kind", "month", "held", "participants", "visits")
    list_filter = ("kind", "held")
    raw_id_fields = ("club",)
    list_select_related = ("club", "kind")
