"""The one definition of each date rule: month arithmetic, age at D, active at D. The Python
rules (one object) and the query rules (many rows) give the same answer."""

import datetime

import pytest

from common.dates import add_months, age_on, is_active, months_before
from members.models import Member

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 3, 31), -1, D(2024, 2, 29)),  # clamped to the last day of February (leap)
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
        (D(2021, 6, 30), -12, D(2020, 6, 30)),
        (D(2020, 1, 15), -1, D(2019, 12, 15)),
        (D(2019, 11, 30), 3, D(2020, 2, 29)),
    ],
)
def test_calendar_months(day, months, expected):
    assert add_months(day, months) == expected
    assert months_before(day, -months) == expected


def test_age_in_completed_years_year_only_born_on_1_january():
    assert age_on(D(2020, 12, 31), 1965) == 55
    assert age_on(D(2020, 1, 1), 1965) == 55  # year only: born 1 January
    assert age_on(D(2019, 12, 31), 1965) == 54
    assert age_on(D(2020, 3, 4), 1965, 3, 5) == 54  # the day before the birthday
    assert age_on(D(2020, 3, 5), 1965, 3, 5) == 55
    assert age_on(D(2020, 3, 31), 1965, 3) == 55  # month without a day: the 1st


def test_active_is_inclusive_at_the_start_and_exclusive_at_the_end():
    assert is_active(D(2020, 1, 1), None, D(2020, 1, 1))
    assert not is_active(D(2020, 1, 2), None, D(2020, 1, 1))
    assert not is_active(D(2019, 1, 1), D(2020, 1, 1), D(2020, 1, 1))
    assert is_active(D(2019, 1, 1), D(2020, 1, 2), D(2020, 1, 1))


BIRTHS = [(1965, None, None), (1965, 3, None), (1965, 3, 5), (1965, 12, 31), (1966, 1, 1)]
DAYS = [D(2020, 1, 1), D(2020, 3, 4), D(2020, 3, 5), D(2020, 12, 30), D(2021, 1, 1)]


@pytest.mark.django_db
def test_queries_and_objects_agree(make):
    """``Member.aged_q``/``active_q`` (SQL) and ``Member.age_on``/``is_active_on`` (Python)."""
    club = make.club(founded_on=D(2018, 3, 1))
    members = []
    for i, (year, month, day) in enumerate(BIRTHS):
        left = D(2020, 3, 5) if i % 2 else None
        members.append(
            make.member(
                club,
                birth_year=year,
                birth_month=month,
                birth_day=day,
                left_on=left,
                joined_on=D(2018, 3, 1) if i < 3 else D(2020, 3, 5),
            )
        )
    for day in DAYS:
        aged = set(Member.objects.filter(Member.aged_q(55, day)).values_list("pk", flat=True))
        assert aged == {m.pk for m in members if m.age_on(day) >= 55}, day
        active = set(Member.objects.active_on(day).values_list("pk", flat=True))
        assert active == {m.pk for m in members if m.is_active_on(day)}, day
