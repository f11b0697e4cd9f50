from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Helpers that belong to no domain: text, dates, money and number formats, form fields,
    template tags and the ``data_changed`` signal. No models."""

    name = "common"
    verbose_name = _("Tiện ích chung")
