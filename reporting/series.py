"""Clubs and members over time: counts at the end of each quarter since 2016.

A club counts at a quarter end Q when it is active at Q (founded on or before Q, not dissolved
on or before Q); a member counts when active at Q in a club active at Q (the definitions of
``Club.active_q`` and ``Member.active_q``).

Set-based, a fixed number of queries whatever the number of clubs: each club (and each member,
with its club's dates) falls into a (first quarter, end quarter) bucket, where the first quarter is
that of its start (the later of founding and joining) and the end quarter that of its end (the
earlier of dissolving and leaving). It is active at the end of quarter k exactly when
first <= k < end. One grouped count per bucket, then a running sum over the quarters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, F, Value
from django.db.models.functions import Coalesce, TruncQuarter

from clubs.models import Club

from .figures import kept_member_buckets
from .quarters import NEVER, quarter_end, quarter_index, quarter_label

#: The first quarter of the series: the scheme began in 2016 (Decision 1533/QĐ-TTg).
FIRST_QUARTER = (2016, 1)


@dataclass(frozen=True)
class QuarterPoint:
    """Counts at the end of one quarter: ``day`` (the last day), ``clubs`` and ``members``
    (ints); ``label`` (``"Quý 1/2016"``, ``"Q1/2016"`` in English) is worded when read, in the
    interface's language, so a cached series serves every language."""

    day: datetime.date
    clubs: int
    members: int

    @property
    def label(self) -> str:
        return quarter_label(self.day)


def last_quarter_ending_by(day: datetime.date) -> int:
    """The index of the last quarter whose end is on or before ``day``."""
    index = quarter_index(day.year, (day.month - 1) // 3 + 1)
    return index if quarter_end(index) <= day else index - 1


def _buckets(queryset, start, end) -> list[tuple[int, int | None, int]]:
    """``(first quarter, end quarter or None, count)`` rows of ``queryset`` grouped by the
    quarters of the ``start`` and ``end`` date expressions."""
    rows = (
        queryset.order_by()
        .annotate(_s=start, _e=end)
        .values(
            s=TruncQuarter("_s", output_field=DateField()),
            e=TruncQuarter("_e", output_field=DateField()),
        )
        .annotate(n=Count("pk"))
        .values_list("s", "e", "n")
    )
    out = []
    for s, e, n in rows:
        end_index = None if e.year == NEVER.year else quarter_index(e.year, (e.month + 2) // 3)
        out.append((quarter_index(s.year, (s.month + 2) // 3), end_index, n))
    return out


def _running(buckets, first: int, last: int) -> list[int]:
    counts = [0] * (last - first + 2)
    for start, end, n in buckets:
        lo = max(start, first)
        hi = last + 1 if end is None else min(end, last + 1)  # active for lo <= k < hi
        if lo < hi:
            counts[lo - first] += n
            counts[hi - first] -= n
    out, total = [], 0
    for delta in counts[:-1]:
        total += delta
        out.append(total)
    return out


def quarterly_series(as_of: datetime.date, clubs=None) -> list[QuarterPoint]:
    """Clubs and members at the end of each quarter from the first quarter of 2016 to the last
    quarter that ended on or before ``as_of`` (a ``date``); an empty list before 31/03/2016.

    ``clubs`` is an optional ``Club`` queryset (already scoped with ``for_user`` and narrowed
    to a province when needed); the default is every club. The clubs' dates are grouped in one
    query; the members' come from each club's kept buckets (``reporting.figures``).
    """
    first = quarter_index(*FIRST_QUARTER)
    last = last_quarter_ending_by(as_of)
    if last < first:
        return []
    clubs = Club.objects.all() if clubs is None else clubs
    never = Value(NEVER, output_field=DateField())
    club_buckets = _buckets(clubs, F("founded_on"), Coalesce("dissolved_on", never))
    member_buckets = kept_member_buckets(clubs)
    club_counts = _running(club_buckets, first, last)
    member_counts = _running(member_buckets, first, last)
    return [
        QuarterPoint(
            day=quarter_end(k),
            clubs=club_counts[k - first],
            members=member_counts[k - first],
        )
        for k in range(first, last + 1)
    ]
