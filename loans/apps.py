from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Vay vốn")

    def ready(self):
        from .models import Loan

        track(Loan, "member__club_id")
