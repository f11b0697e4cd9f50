from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track


class ActivitiesConfig(AppConfig):
    """Club life (Decision 1533/QĐ-TTg, the clubs' activities): monthly meetings and the
    activities of the scheme's kinds by month."""

    name = "activities"
    verbose_name = _("Sinh hoạt câu lạc bộ")

    def ready(self):
        from .models import ActivityRecord, Meeting

        track(Meeting, "club_id", ignored=("topics",))
        track(ActivityRecord, "club_id")
