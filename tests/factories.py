"""Small factories for tests. Each takes keyword arguments for the fields a test cares about."""

import datetime
import itertools

from django.db.models import Count

from accounts.models import User
from clubs.models import Club, Commune, Era, OfficerAssignment, Province
from loans.models import Fund, FundMovement, Loan, Repayment
from members.models import HouseholdAssessment, Member
from training.models import Attendance, MonitoringVisit, TrainingSession

_seq = itertools.count(1)
PASSWORD = "test-password-2016"


def province(era, code):
    return Province.objects.get(era=era, code=code)


def user(username, role="officer", provinces=(), **fields):
    account = User.objects.create_user(username=username, password=PASSWORD, role=role, **fields)
    for p in provinces:
        OfficerAssignment.objects.create(user=account, province=p)
    return account


def _old_communes(old_province_code):
    qs = Commune.objects.filter(era=Era.PRE2025).annotate(n_new=Count("successions"))
    if old_province_code:
        qs = qs.filter(province__code=old_province_code)
    return qs.order_by("code")


def whole_old_commune(old_province_code="02"):
    """An old-era commune of ``old_province_code`` that went whole into one new commune."""
    return _old_communes(old_province_code).filter(n_new=1).first()


def split_old_commune(old_province_code=None):
    """An old-era commune that went into more than one new commune."""
    return _old_communes(old_province_code).filter(n_new__gt=1).first()


def new_commune(new_province_code="08"):
    return (
        Commune.objects.filter(era=Era.POST2025, province__code=new_province_code)
        .order_by("code")
        .first()
    )


def club(founded_on=datetime.date(2018, 3, 1), province_code="02", **fields):
    """A club founded on ``founded_on``; before 1 July 2025 in an old commune of old province
    ``province_code`` (default Hà Giang), otherwise in a new commune of that new province."""
    n = next(_seq)
    fields.setdefault("code", f"T-{n:05d}")
    fields.setdefault("name", f"CLB thử nghiệm {n}")
    if founded_on < datetime.date(2025, 7, 1):
        fields.setdefault("founding_commune", whole_old_commune(province_code))
    else:
        fields.setdefault("commune", new_commune(province_code))
    return Club.objects.create(founded_on=founded_on, **fields)


def member(club, sex="female", birth_year=1950, joined_on=None, status=None, **fields):
    """A member of ``club``; ``status`` adds a household assessment dated at joining."""
    n = next(_seq)
    fields.setdefault("full_name", f"Nguyễn Thị Thử {n}")
    joined_on = joined_on or club.founded_on
    m = Member.objects.create(
        club=club, sex=sex, birth_year=birth_year, joined_on=joined_on, **fields
    )
    if status:
        HouseholdAssessment.objects.create(member=m, assessed_on=joined_on, status=status)
    return m


def loan(member, disbursed_on, outcome="", assessed_on=None, kind="cash", **fields):
    fields.setdefault("amount_vnd", 2_000_000)
    if kind == "in_kind":
        fields.setdefault("item", "1 con bê")
    repaid_on = fields.pop("repaid_on", None)
    loan = Loan.objects.create(
        member=member,
        kind=kind,
        disbursed_on=disbursed_on,
        income_outcome=outcome,
        outcome_assessed_on=assessed_on,
        **fields,
    )
    if repaid_on is not None:  # repaid in full in one instalment
        Repayment.objects.create(loan=loan, paid_on=repaid_on, amount_vnd=loan.amount_vnd)
        loan.refresh_from_db()
    return loan


def training(clubs, held_on, **fields):
    n = next(_seq)
    fields.setdefault("code", f"TH-{n:05d}")
    fields.setdefault("title", f"Lớp tập huấn {n}")
    session = TrainingSession.objects.create(held_on=held_on, **fields)
    for c in clubs:
        Attendance.objects.create(session=session, club=c)
    return session


def visit(club, visited_on, **fields):
    return MonitoringVisit.objects.create(club=club, visited_on=visited_on, **fields)


def fund(club, kind="revolving", opened_on=None):
    return Fund.objects.create(club=club, kind=kind, opened_on=opened_on or club.founded_on)


def movement(fund, moved_on, amount_vnd, kind="contribution", **fields):
    return FundMovement.objects.create(
        fund=fund, moved_on=moved_on, amount_vnd=amount_vnd, kind=kind, **fields
    )
