from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trying the product (``python manage.py seed_demo``). No models."""

    name = "demo"
    verbose_name = _("Dữ liệu mẫu")
