from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clubs.admin import ScopedAdminMixin

from .models import Attendance, MonitoringVisit, TrainingSession


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ("club",)
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "title", "held_on", "level", "province")
    list_filter = ("level",)
    search_fields = ("code", "title")
    inlines = [AttendanceInline]


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("club", "visited_on", "monitor")
    raw_id_fields = ("club",)
    list_select_related = ("club",)
