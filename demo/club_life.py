"""The demo's club life beyond meetings: the loans' instalments, the clubs' two funds with
their movements, and the activities by month (``seed_demo`` calls :func:`seed_club_life`)."""

import datetime
import random

from activities.models import ActivityKind, ActivityRecord
from common.dates import is_active, months_before
from loans.models import Fund, FundKind, FundMovement, Loan, MovementKind, Repayment

from .data import SEED

D = datetime.date
DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


def seed_club_life(clubs, plans, today: datetime.date) -> tuple[int, int, int, int]:
    """The clubs' funds and the loans' instalments, drawn from a generator of their own (the
    earlier steps draw the same whatever is added here):

    - every loan repaid in full is repaid in one instalment or, one in two, in two (about
      half mid-term, the rest on its ``repaid_on``, which stays the same); one open loan in
      three has repaid a third of its amount half-way to its due date;
    - every club sets up its revolving fund when founded (a project grant of 20–50 million
      and the members' first contributions), with yearly interest; four clubs in five set up
      an activity fund (yearly dues of 50,000 a member, spending twice a year);
    - each active club ran each activity kind in about one month in three of the last 24.

    Returns how many instalments, funds, movements and activity records were created."""
    rng = random.Random(SEED + 19)
    repayments = []
    loans = Loan.objects.filter(club__in=clubs).order_by("pk")
    for loan in loans.only("pk", "amount_vnd", "disbursed_on", "due_on", "repaid_on"):
        if loan.repaid_on is not None:
            middle = loan.disbursed_on + (loan.repaid_on - loan.disbursed_on) / 2
            if rng.random() < 0.5 and loan.disbursed_on < middle < loan.repaid_on:
                half = loan.amount_vnd // 200_000 * 100_000 or loan.amount_vnd // 2
                repayments.append(Repayment(loan=loan, paid_on=middle, amount_vnd=half))
                rest = loan.amount_vnd - half
                repayments.append(Repayment(loan=loan, paid_on=loan.repaid_on, amount_vnd=rest))
            else:
                repayments.append(
                    Repayment(loan=loan, paid_on=loan.repaid_on, amount_vnd=loan.amount_vnd)
                )
        elif loan.due_on and rng.random() < 1 / 3:
            on = loan.disbursed_on + (loan.due_on - loan.disbursed_on) / 2
            if on <= today:
                third = loan.amount_vnd // 300_000 * 100_000 or 1
                repayments.append(Repayment(loan=loan, paid_on=on, amount_vnd=third))
    Repayment.objects.bulk_create(repayments, batch_size=1000)

    funds, movements, records = [], [], []
    kinds = list(ActivityKind.objects.all())
    for club in clubs:
        last = min(today, club.dissolved_on - DAY) if club.dissolved_on else today
        members = plans[club.pk]
        founded = club.founded_on
        revolving = Fund(club=club, kind=FundKind.REVOLVING, opened_on=founded)
        funds.append(revolving)
        grant = rng.randint(20, 50) * 1_000_000
        movements.append(
            FundMovement(
                fund=revolving,
                moved_on=founded,
                kind=MovementKind.GRANT_PROJECT,
                amount_vnd=grant,
                note="Vốn hỗ trợ ban đầu của dự án",
            )
        )
        first = sum(is_active(m.joined, m.left, founded + days(30)) for m in members)
        if first:
            movements.append(
                FundMovement(
                    fund=revolving,
                    moved_on=founded + days(30),
                    kind=MovementKind.CONTRIBUTION,
                    amount_vnd=first * 100_000,
                    note="Thành viên góp vốn quỹ",
                )
            )
        activity = None
        if rng.random() < 0.8:
            activity = Fund(club=club, kind=FundKind.ACTIVITY, opened_on=founded)
            funds.append(activity)
        for year in range(founded.year, last.year + 1):
            interest_on = D(year, 12, 20)
            if founded < interest_on <= last:
                movements.append(
                    FundMovement(
                        fund=revolving,
                        moved_on=interest_on,
                        kind=MovementKind.INTEREST,
                        amount_vnd=rng.randint(5, 15) * 100_000,
                        note="Phí sử dụng vốn trong năm",
                    )
                )
            if activity is None:
                continue
            dues_on = max(D(year, 1, 15), founded)
            active = sum(is_active(m.joined, m.left, dues_on) for m in members)
            if dues_on <= last and active:
                movements.append(
                    FundMovement(
                        fund=activity,
                        moved_on=dues_on,
                        kind=MovementKind.CONTRIBUTION,
                        amount_vnd=active * 50_000,
                        note="Hội phí năm",
                    )
                )
                for month in (6, 11):
                    spent_on = D(year, month, 10)
                    if dues_on < spent_on <= last:
                        movements.append(
                            FundMovement(
                                fund=activity,
                                moved_on=spent_on,
                                kind=MovementKind.SPENDING,
                                amount_vnd=active * rng.randint(10, 20) * 1_000,
                                note="Thăm hỏi, văn nghệ"
                                if month == 6
                                else "Tổng kết, khen thưởng",
                            )
                        )
        if club.spec.dissolved_on:
            continue
        for back in range(24):
            month = months_before(today, back).replace(day=1)
            if month < founded.replace(day=1):
                continue
            active = sum(is_active(m.joined, m.left, month) for m in members)
            for kind in kinds:
                if kind.starts_on <= month and rng.random() < 1 / 3:
                    records.append(
                        ActivityRecord(
                            club=club,
                            kind=kind,
                            month=month,
                            held=True,
                            participants=round(active * rng.uniform(0.3, 0.8)),
                            visits=rng.randint(4, 20) if kind.counts_visits else None,
                        )
                    )
    Fund.objects.bulk_create(funds, batch_size=1000)
    FundMovement.objects.bulk_create(movements, batch_size=1000)
    ActivityRecord.objects.bulk_create(records, batch_size=1000)
    return len(repayments), len(funds), len(movements), len(records)
