from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Giai đoạn, chỉ tiêu và báo cáo")

    def ready(self):
        from .cache import connect_signals

        connect_signals()
