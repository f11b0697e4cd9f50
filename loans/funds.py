"""A club's funds at a date: balances, outstanding loans, the repayment rate and PAR30.

The revolving (income-generation) fund's loans are the club's loans (``Loan.club``, the fund
that lent): disbursements and instalments move it, and are never entered as movements.

- Cash at D: the movements entered on or before D (in, less spending), less the cash loans
  disbursed on or before D, plus the instalments repaid on or before D. An in-kind loan is lent
  goods, not cash: it counts in the fund at its value (``amount_vnd``) among the loans
  outstanding, and its instalments come back as cash.
- Outstanding at D: the loans disbursed on or before D, less their instalments on or before D.
- Fund value at D: cash plus outstanding.
- Repayment rate at D: VND repaid on time (instalments paid on or before the loan's due date)
  ÷ VND due (the amounts of the loans due on or before D), by value; ``None`` when nothing is
  due yet.
- PAR30 at D (portfolio at risk): VND outstanding at D on loans more than 30 days past due
  (D − due date > 30 days, i.e. due before D − 30 days) ÷ VND outstanding at D; ``None`` when
  nothing is outstanding.

Shares are ``fractions.Fraction``; amounts whole VND.
"""

from __future__ import annotations

import dataclasses
import datetime
from fractions import Fraction

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .models import OUTFLOWS, Fund, FundKind, FundMovement, Loan, LoanKind, Repayment

#: Days past due after which a loan's outstanding counts in the portfolio at risk (PAR30).
PAR_DAYS = 30


@dataclasses.dataclass(frozen=True)
class FundFigures:
    """A fund at ``day``: ``cash`` VND; for the revolving fund also ``outstanding`` VND (of
    which ``in_kind_outstanding``), ``at_risk`` VND (PAR30's numerator), ``due`` and
    ``repaid_on_time`` VND, and the shares ``repayment_rate`` and ``par30``."""

    fund: Fund
    day: datetime.date
    cash: int
    outstanding: int = 0
    in_kind_outstanding: int = 0
    at_risk: int = 0
    due: int = 0
    repaid_on_time: int = 0

    @property
    def value(self) -> int:
        """Cash plus the loans outstanding (in cash and in kind), VND."""
        return self.cash + self.outstanding

    @property
    def repayment_rate(self) -> Fraction | None:
        return Fraction(self.repaid_on_time, self.due) if self.due else None

    @property
    def par30(self) -> Fraction | None:
        return Fraction(self.at_risk, self.outstanding) if self.outstanding else None

    @property
    def is_revolving(self) -> bool:
        return self.fund.kind == FundKind.REVOLVING


def _entered(fund: Fund, day: datetime.date) -> int:
    signed = Case(
        When(kind__in=list(OUTFLOWS), then=-F("amount_vnd")),
        default=F("amount_vnd"),
        output_field=IntegerField(),
    )
    rows = FundMovement.objects.filter(fund=fund, moved_on__lte=day)
    return rows.aggregate(s=Coalesce(Sum(signed), 0))["s"]


def loan_figures(club_id: int, day: datetime.date) -> dict:
    """The loans of the club's revolving fund at ``day`` (VND): ``cash_out`` (cash loans
    disbursed), ``repaid`` (instalments), ``outstanding``, ``in_kind_outstanding``,
    ``at_risk``, ``due``, ``repaid_on_time``. Three aggregate queries."""
    loans = Loan.objects.filter(club_id=club_id, disbursed_on__lte=day).order_by()
    paid_by_day = Repayment.objects.filter(loan__club_id=club_id, paid_on__lte=day)
    paid = dict(
        paid_by_day.order_by()
        .values("loan_id")
        .annotate(s=Sum("amount_vnd"))
        .values_list("loan_id", "s")
    )
    on_time = (
        Repayment.objects.filter(
            loan__club_id=club_id, loan__due_on__lte=day, paid_on__lte=F("loan__due_on")
        )
        .order_by()
        .aggregate(s=Coalesce(Sum("amount_vnd"), 0))["s"]
    )
    risk_before = day - datetime.timedelta(days=PAR_DAYS)
    out = {
        "cash_out": 0,
        "repaid": 0,
        "outstanding": 0,
        "in_kind_outstanding": 0,
        "at_risk": 0,
        "due": 0,
        "repaid_on_time": on_time,
    }
    for pk, kind, amount, due_on in loans.values_list("pk", "kind", "amount_vnd", "due_on"):
        left = amount - paid.get(pk, 0)
        out["repaid"] += paid.get(pk, 0)
        out["outstanding"] += left
        if kind == LoanKind.CASH:
            out["cash_out"] += amount
        else:
            out["in_kind_outstanding"] += left
        if due_on is not None and due_on <= day:
            out["due"] += amount
        if due_on is not None and due_on < risk_before:
            out["at_risk"] += left
    return out


def fund_figures(fund: Fund, day: datetime.date) -> FundFigures:
    """``fund`` at ``day`` (see the module's definitions)."""
    cash = _entered(fund, day)
    if fund.kind != FundKind.REVOLVING:
        return FundFigures(fund=fund, day=day, cash=cash)
    loans = loan_figures(fund.club_id, day)
    return FundFigures(
        fund=fund,
        day=day,
        cash=cash - loans["cash_out"] + loans["repaid"],
        outstanding=loans["outstanding"],
        in_kind_outstanding=loans["in_kind_outstanding"],
        at_risk=loans["at_risk"],
        due=loans["due"],
        repaid_on_time=loans["repaid_on_time"],
    )


def club_funds(club, day: datetime.date) -> list[FundFigures]:
    """The figures of each fund the club had set up on or before ``day``, revolving first."""
    funds = Fund.objects.filter(club=club, opened_on__lte=day).order_by("-kind")
    return [fund_figures(f, day) for f in funds]


@dataclasses.dataclass(frozen=True)
class Line:
    """A line of a fund's book: ``day``, ``label``, signed cash ``vnd`` (0 for an in-kind loan,
    which moves no cash), the ``balance`` of cash after it, and the ``movement`` entered (or
    the ``loan`` it comes from)."""

    day: datetime.date
    label: str
    vnd: int
    balance: int
    movement: FundMovement | None = None
    loan: Loan | None = None
    value: int = 0


def book(fund: Fund) -> list[Line]:
    """Every line of ``fund`` in date order with the running cash balance: the movements
    entered and, for the revolving fund, the loans disbursed and the instalments repaid."""
    rows = []
    for m in fund.movements.order_by("moved_on", "pk"):
        rows.append((m.moved_on, 1, m.get_kind_display(), m.signed_vnd, m, None, m.amount_vnd))
    if fund.kind == FundKind.REVOLVING:
        for loan in Loan.objects.filter(club_id=fund.club_id).select_related("member"):
            cash = loan.kind == LoanKind.CASH
            label = (
                _("Cho vay: %(member)s") if cash else _("Cho vay hiện vật (%(item)s): %(member)s")
            ) % {"member": loan.member.full_name, "item": loan.item}
            rows.append(
                (
                    loan.disbursed_on,
                    2,
                    label,
                    -loan.amount_vnd if cash else 0,
                    None,
                    loan,
                    loan.amount_vnd,
                )
            )
        for r in Repayment.objects.filter(loan__club_id=fund.club_id).select_related(
            "loan__member"
        ):
            label = _("Trả nợ: %(member)s") % {"member": r.loan.member.full_name}
            rows.append((r.paid_on, 3, label, r.amount_vnd, None, r.loan, r.amount_vnd))
    rows.sort(key=lambda r: (r[0], r[1]))
    balance, lines = 0, []
    for day, _order, label, vnd, movement, loan, value in rows:
        balance += vnd
        lines.append(Line(day, label, vnd, balance, movement, loan, value))
    return lines


def funds_reported_q(day: datetime.date, start: datetime.date, prefix: str = "") -> Q:
    """Clubs (a ``Club`` queryset's filter; ``prefix`` to reach the club) that reported both
    funds in the window after ``start`` and on or before ``day``: each fund set up on or before
    ``day`` with a movement in the window, a loan disbursed or an instalment repaid counting
    as one of the revolving fund's."""
    club = OuterRef(f"{prefix}pk")

    def moved(kind):
        return Exists(
            FundMovement.objects.filter(
                fund__club=club,
                fund__kind=kind,
                fund__opened_on__lte=day,
                moved_on__gt=start,
                moved_on__lte=day,
            )
        )

    revolving_open = Exists(
        Fund.objects.filter(club=club, kind=FundKind.REVOLVING, opened_on__lte=day)
    )
    lent = Exists(Loan.objects.filter(club=club, disbursed_on__gt=start, disbursed_on__lte=day))
    repaid = Exists(Repayment.objects.filter(loan__club=club, paid_on__gt=start, paid_on__lte=day))
    return (moved(FundKind.REVOLVING) | (revolving_open & (lent | repaid))) & moved(
        FundKind.ACTIVITY
    )
