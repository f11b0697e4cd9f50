"""The club-life counts kept with each club's figures (``reporting.life_counts``): equal to a
recount after every kind of write that changes them, and counted again when the parameters
they were counted by change (an activity kind added or its start moved), by hand.

The club of ``tests.reporting.test_club_life`` at D = 15/06/2024 (phase 2021-2025: a window
of 12 months, 16/06/2023 – 15/06/2024, and the months 07/2023 – 06/2024): every one of the 9
kinds held in 07/2023, 10 meetings from 16/06/2023, the revolving fund moved on 16/06/2023 and
the activity fund on D.
"""

import datetime

import pytest

from activities.models import ActivityKind, ActivityRecord, Meeting
from clubs.models import Club
from loans.models import Fund, FundMovement
from reporting.compliance import compute
from reporting.figures import Stats, club_counts
from reporting.models import ClubFigures
from tests.reporting.test_club_life import D, make_club
from tests.reporting.test_kept_figures import from_scratch

pytestmark = pytest.mark.django_db

LIFE = ("kinds_held", "meetings", "funds_reported", "revolving_fund", "activity_fund")


def kept(club):
    counts = club_counts(Club.objects.filter(Club.active_q(D)).values("id"), D)
    assert counts == from_scratch(D)
    return tuple(counts[club.pk][name] for name in LIFE)


def test_kept_club_life_follows_every_write():
    club = make_club()
    assert kept(club) == (9, 10, True, True, True)
    row = ClubFigures.objects.get(club=club, as_of=D)
    assert (row.kinds_held, row.meetings, row.funds_reported) == (9, 10, True)
    assert row.life.startswith("12|")

    before = Stats.refreshed
    assert kept(club) == (9, 10, True, True, True)
    assert Stats.refreshed == before  # read from the kept row, nothing counted

    Meeting.objects.get(club=club, held_on=datetime.date(2023, 6, 16)).delete()
    assert kept(club) == (9, 9, True, True, True)
    Meeting.objects.create(club=club, held_on=datetime.date(2024, 6, 10))
    assert kept(club) == (9, 10, True, True, True)

    health = ActivityRecord.objects.get(club=club, kind__code="health")
    health.held = False
    health.save()
    assert kept(club) == (8, 10, True, True, True)

    FundMovement.objects.filter(fund__club=club, fund__kind="activity").delete()
    assert kept(club) == (8, 10, False, True, True)
    Fund.objects.filter(club=club, kind="activity").delete()
    assert kept(club) == (8, 10, False, True, False)


def test_a_kind_added_or_moved_is_counted_at_once():
    """Activity kinds are not programme data tied to clubs (no club's counter moves when the
    administrator edits one): the kept rows name the kinds they were counted by."""
    club = make_club()
    assert kept(club) == (9, 10, True, True, True)
    new = ActivityKind.objects.create(
        code="digital", name="Chuyển đổi số", starts_on=datetime.date(2024, 1, 1)
    )
    assert kept(club) == (9, 10, True, True, True)  # 9 of 10 kinds held
    report = compute(D)
    (share,) = [t for t in report.targets if t.metric == "all_activities_share"]
    assert (share.numerator, share.denominator) == (0, 1)
    ActivityRecord.objects.create(club=club, kind=new, month=datetime.date(2024, 2, 1), held=True)
    assert kept(club) == (10, 10, True, True, True)
    new.starts_on = datetime.date(2024, 3, 1)  # held in February, before the kind applies
    new.save()
    assert kept(club) == (9, 10, True, True, True)
    (share,) = [t for t in compute(D).targets if t.metric == "all_activities_share"]
    assert (share.numerator, share.denominator) == (0, 1)
    new.starts_on = datetime.date(2024, 7, 1)  # after D: not in force
    new.save()
    assert kept(club) == (9, 10, True, True, True)
    (share,) = [t for t in compute(D).targets if t.metric == "all_activities_share"]
    assert (share.numerator, share.denominator) == (1, 1)


def test_no_club_life_is_kept_before_the_phases_that_set_it():
    club = make_club()
    day = datetime.date(2020, 6, 30)
    counts = club_counts([club.pk], day)[club.pk]
    assert counts["life"] == ""
    assert all(counts[name] is None for name in LIFE)
