from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Thành viên")

    def ready(self):
        from .models import HouseholdAssessment, Member

        track(
            Member,
            "club_id",
            ignored=(
                "code",
                "full_name",
                "search_key",
                "given_name_key",
                "national_id",
                "phone",
                "note",
            ),
        )
        track(HouseholdAssessment, "member__club_id")
