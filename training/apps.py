from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track, track_m2m


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Tập huấn và giám sát")

    def ready(self):
        from .models import Attendance, MonitoringVisit, TrainingSession

        track(TrainingSession, "attendances__club_id", ignored=("code", "title"))
        track(Attendance, "club_id", dated=("session__held_on",))
        track(MonitoringVisit, "club_id", ignored=("monitor", "notes"))
        track_m2m(TrainingSession.clubs.through)
