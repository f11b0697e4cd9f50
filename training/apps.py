from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track, track_m2m


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Tập huấn và giám sát")

    def ready(self):
        from .models import Attendance, MonitoringVisit, TrainingSession

        track(TrainingSession, "attendances__club_id")
        track(Attendance, "club_id")
        track(MonitoringVisit, "club_id")
        track_m2m(TrainingSession.clubs.through)
