from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import registry, uploads


class SpreadsheetsConfig(AppConfig):
    """Import and export of every kind of programme data as spreadsheets."""

    name = "spreadsheets"
    verbose_name = _("Nhập và xuất bảng tính")

    def ready(self):
        registry.autodiscover()
        uploads.ensure_spool_folder()
