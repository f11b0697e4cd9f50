from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from common.signals import track


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Vay vốn")

    def ready(self):
        from .models import Fund, FundMovement, Loan, Repayment

        # The member's club (whose figures count the loan) and the lending club (whose lists,
        # such as the overdue loans, show it): they differ once a member has moved club.
        # A transferred member's later rows (``Member.origin``) count the loan too.
        track(
            Loan,
            (
                "member__club_id",
                "club_id",
                "member__continuations__club_id",
                "member__origin__continuations__club_id",
            ),
            ignored=("code", "item"),
        )
        track(Repayment, ("loan__member__club_id", "loan__club_id"))
        track(Fund, "club_id")
        track(FundMovement, "fund__club_id")
