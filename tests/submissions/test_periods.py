"""Reporting periods seeded from the phases."""

import datetime

from clubs.models import Era
from submissions.models import Period, PeriodKind


def test_periods_are_seeded_once_per_end_date_with_deadlines(db):
    q1 = Period.objects.get(ends_on=datetime.date(2020, 3, 31))
    assert q1.kind == PeriodKind.QUARTER
    assert q1.deadline == datetime.date(2020, 4, 20)  # 20 days after the quarter's end
    year = Period.objects.get(ends_on=datetime.date(2019, 12, 31))
    assert year.kind == PeriodKind.YEAR and year.deadline == datetime.date(2020, 1, 31)
    end = Period.objects.get(ends_on=datetime.date(2020, 12, 31))
    assert end.kind == PeriodKind.PHASE_END and end.label == "Cuối giai đoạn 2018-2020"
    # 2016-01-01 .. 2035-12-31: 80 quarter ends, the phase ends among them; nothing doubled
    assert Period.objects.count() == 80
    assert Period.objects.filter(ends_on=datetime.date(2025, 12, 31)).count() == 1


def test_a_period_in_two_overlapping_phases_is_one_period_feeding_both(q3):
    assert q3.label == "Quý 3/2025"
    assert [p.code for p in q3.phases()] == ["2021-2025", "2025-2030"]
    q2 = Period.objects.get(ends_on=datetime.date(2025, 6, 30))
    assert [p.code for p in q2.phases()] == ["2021-2025"]


def test_provinces_are_of_the_era_of_the_period_end(q2, q3):
    assert q2.era == Era.PRE2025 and q2.provinces().count() == 63
    assert q3.era == Era.POST2025 and q3.provinces().count() == 34
