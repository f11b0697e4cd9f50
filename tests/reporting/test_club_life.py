"""The club-life targets of Decision 1336/QĐ-TTg §I.2 at their boundaries, by hand.

D = 15/06/2024 (phase 2021-2025, whose rows ask for 10 meetings in 12 months). The window of
the meetings is 16/06/2023 – 15/06/2024; the months of the activities are 07/2023 – 06/2024.
The club: 2 active members, one of whom borrowed (1 of 2 = 50%, the borrowed criterion's
bound); a record held for every kind in 07/2023; 10 meetings, the first on 16/06/2023; the
revolving fund moved on 16/06/2023 and the activity fund on D itself.
"""

import datetime
from fractions import Fraction

import pytest

from activities.models import ActivityKind, ActivityRecord, Meeting
from clubs.models import Club
from common.dates import add_months
from reporting.club_life import club_life_card
from reporting.compliance import compute
from reporting.models import Phase
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date(2024, 6, 15)
FIRST_MEETING = datetime.date(2023, 6, 16)


def make_club(
    *,
    first_meeting=FIRST_MEETING,
    health_month=datetime.date(2023, 7, 1),
    activity_moved=D,
    loan_on=datetime.date(2023, 1, 1),
):
    club = factories.club(founded_on=datetime.date(2020, 1, 1))
    lender = factories.member(club, joined_on=datetime.date(2020, 1, 1))
    factories.member(club, joined_on=datetime.date(2020, 1, 1))
    factories.loan(lender, loan_on)
    for kind in ActivityKind.objects.all():
        month = health_month if kind.code == "health" else datetime.date(2023, 7, 1)
        ActivityRecord.objects.create(club=club, kind=kind, month=month, held=True)
    days = [first_meeting] + [add_months(FIRST_MEETING, i) for i in range(1, 10)]
    for day in days:
        Meeting.objects.create(club=club, held_on=day)
    revolving = factories.fund(club, "revolving", datetime.date(2020, 1, 1))
    factories.movement(revolving, datetime.date(2023, 6, 16), 1_000_000)
    activity = factories.fund(club, "activity", datetime.date(2020, 1, 1))
    factories.movement(activity, activity_moved, 200_000)
    return club


def life(club):
    return club_life_card(club, D, Phase.objects.get(code="2021-2025")).life


def test_the_club_passes_at_every_bound():
    found = life(make_club())
    assert (found.kinds_held, found.kinds, found.meetings) == (9, 9, 10)
    assert found.funds_reported and found.borrowed and found.passes


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        # 15/06/2023 is D minus 12 months: outside the window, 9 meetings of the 10 needed
        ({"first_meeting": datetime.date(2023, 6, 15)}, "meetings"),
        # 06/2023 is not among the 12 months ending with 06/2024
        ({"health_month": datetime.date(2023, 6, 1)}, "kinds"),
        # the activity fund's only movement a day before the window
        ({"activity_moved": datetime.date(2023, 6, 15)}, "funds"),
        # the loan disbursed after D: 0 of 2 members borrowed
        ({"loan_on": datetime.date(2024, 6, 16)}, "borrowed"),
    ],
)
def test_one_step_past_a_bound_fails(change, failing):
    found = life(make_club(**change))
    assert not found.passes
    assert {
        "meetings": found.meetings == 9,
        "kinds": found.kinds_held == 8,
        "funds": not found.funds_reported,
        "borrowed": found.borrowed is False,
    }[failing]


def test_a_kind_added_later_applies_from_its_start_date():
    club = make_club()
    later = ActivityKind.objects.create(code="digital", name="Chuyển đổi số", starts_on=D)
    assert life(club).passes is False  # in force on D, not held
    ActivityRecord.objects.create(club=club, kind=later, month=datetime.date(2024, 5, 1), held=True)
    assert life(club).kinds_held == 9  # a month before the kind started does not count
    ActivityRecord.objects.create(club=club, kind=later, month=datetime.date(2024, 6, 1), held=True)
    assert life(club).passes is True
    later.starts_on = D + datetime.timedelta(days=1)
    later.save()
    assert life(club).kinds == 9  # not yet in force at D


def test_the_targets_count_every_active_club():
    make_club()
    other = make_club(first_meeting=datetime.date(2023, 6, 15))
    bare = factories.club(founded_on=datetime.date(2020, 1, 1))
    factories.member(bare, joined_on=datetime.date(2020, 1, 1))
    report = compute(D, phase="2021-2025", clubs=Club.objects.all())
    targets = {t.code: t for t in report.targets}
    # 1 of 3 clubs passes (the second has 9 meetings, the third nothing): 1/3 < 70%
    assert (targets["all_activities"].actual, targets["all_activities"].met) == (
        Fraction(1, 3),
        False,
    )
    assert targets["all_activities"].target == Fraction(7, 10)
    # two of three clubs set up each fund
    assert targets["revolving_fund"].actual == Fraction(2, 3)
    assert targets["activity_fund"].actual == Fraction(2, 3)
    assert not targets["revolving_fund"].met
    assert [t.code for t in report.club_life] == [
        "all_activities",
        "revolving_fund",
        "activity_fund",
    ]
    assert other.pk


def test_the_dashboards_show_the_club_life_targets(client, board):
    from django.urls import reverse

    make_club()  # in old Hà Giang (02), now in Tuyên Quang (08)
    client.force_login(board)
    query = {"as_of": "15/06/2024", "phase": "2021-2025"}
    national = client.get(reverse("reporting:national"), query).content.decode()
    for code in ("all_activities", "revolving_fund", "activity_fund"):
        assert f'data-target="{code}"' in national
    province = client.get(reverse("reporting:province", args=["02"]), query)
    assert [t.code for t in province.context["report"].club_life] == [
        "all_activities",
        "revolving_fund",
        "activity_fund",
    ]
    assert province.context["report"].club_life[0].actual == Fraction(1)
    assert 'data-target="all_activities"' in province.content.decode()
