from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    """Reporting periods, provinces' submissions of their figures, the board's review, and the
    lock on accepted periods (a receiver of ``common.signals.data_changing``)."""

    name = "submissions"
    verbose_name = _("Gửi và duyệt số liệu")

    def ready(self):
        from common.signals import data_changing

        from . import locks

        data_changing.connect(locks.refuse_locked, dispatch_uid="submissions-lock")
