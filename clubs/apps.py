from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track


class ClubsConfig(AppConfig):
    name = "clubs"
    verbose_name = _("Câu lạc bộ và đơn vị hành chính")

    def ready(self):
        from .models import Club, Commune, CommuneSuccession, Province

        for units in (Province, Commune, CommuneSuccession):
            track(units, None)  # units may change every club's province or coverage
        track(
            Club,
            "pk",
            ignored=("code", "name", "search_key", "village"),
            units=(
                ("province_id", "commune__province_id", "founding_commune__province__successor_id"),
                "founding_commune__province_id",
            ),
        )
