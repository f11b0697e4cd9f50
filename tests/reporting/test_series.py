"""Clubs and members at each quarter end, with the boundary days."""

import datetime

import pytest
from django.utils import translation

from clubs.models import Club
from reporting.quarters import quarter_label
from reporting.series import last_quarter_ending_by, quarter_end, quarter_index, quarterly_series

D = datetime.date


def test_quarter_ends():
    assert quarter_end(quarter_index(2016, 1)) == D(2016, 3, 31)
    assert quarter_end(quarter_index(2016, 2)) == D(2016, 6, 30)
    assert quarter_end(quarter_index(2019, 4)) == D(2019, 12, 31)
    assert last_quarter_ending_by(D(2020, 6, 30)) == quarter_index(2020, 2)
    assert last_quarter_ending_by(D(2020, 6, 29)) == quarter_index(2020, 1)


@pytest.mark.django_db
def test_empty_before_the_first_quarter_end():
    assert quarterly_series(D(2016, 3, 30)) == []
    assert [p.label for p in quarterly_series(D(2016, 3, 31))] == ["Quý 1/2016"]


@pytest.mark.django_db
def test_quarter_labels_in_the_interfaces_language():
    """A series (cached once for every language) names its quarters when read."""
    series = quarterly_series(D(2017, 1, 15))
    assert [p.label for p in series] == ["Quý 1/2016", "Quý 2/2016", "Quý 3/2016", "Quý 4/2016"]
    with translation.override("en"):
        assert [p.label for p in series] == ["Q1/2016", "Q2/2016", "Q3/2016", "Q4/2016"]
    assert quarter_label(D(2025, 8, 1)) == "Quý 3/2025"


@pytest.mark.django_db
def test_boundaries_on_quarter_ends(make, django_assert_num_queries):
    # founded on a quarter end: counts at it; dissolved on a quarter end: no longer counts
    a = make.club(D(2016, 3, 31), "02", dissolved_on=D(2016, 9, 30))
    b = make.club(D(2016, 4, 1), "83")
    make.member(a)  # joined 31/03/2016
    make.member(b, left_on=D(2016, 6, 30))  # left on the quarter end
    make.member(b, joined_on=D(2016, 7, 1))
    make.member(b, joined_on=D(2016, 9, 30), left_on=D(2016, 10, 1))
    # the clubs' dates, their counters, their kept buckets; the stale ones counted and kept
    with django_assert_num_queries(5):
        series = quarterly_series(D(2016, 12, 31))
    with django_assert_num_queries(3):  # nothing changed: every club's buckets are current
        assert quarterly_series(D(2016, 12, 31)) == series
    got = [(p.label, p.day, p.clubs, p.members) for p in series]
    assert got == [
        ("Quý 1/2016", D(2016, 3, 31), 1, 1),
        ("Quý 2/2016", D(2016, 6, 30), 2, 1),  # b's first member left on 30/06
        ("Quý 3/2016", D(2016, 9, 30), 1, 2),  # a dissolved on 30/09 with its member
        ("Quý 4/2016", D(2016, 12, 31), 1, 1),
    ]
    only_b = quarterly_series(D(2016, 12, 31), Club.objects.filter(pk=b.pk))
    assert [(p.clubs, p.members) for p in only_b] == [(0, 0), (1, 0), (1, 2), (1, 1)]
