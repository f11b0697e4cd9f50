"""Quarters of the series of clubs and members over time: index ``year * 4 + quarter - 1``,
last days, and the date that stands for "never ended"."""

import datetime

from django.db.models import Count, DateField, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncQuarter
from django.utils.translation import gettext

from members.models import Member

NEVER = datetime.date(9999, 12, 31)


def quarter_index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def quarter_end(index: int) -> datetime.date:
    """The last day of quarter ``index`` (``year * 4 + quarter - 1``)."""
    year, q = divmod(index, 4)
    month = 3 * (q + 1)
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - datetime.timedelta(days=1)


def quarter_label(day: datetime.date) -> str:
    """The quarter of ``day`` as the interface names it: ``"Quý 1/2016"`` (``"Q1/2016"`` in
    English)."""
    return gettext("Quý %(quarter)s/%(year)s") % {
        "quarter": (day.month + 2) // 3,
        "year": day.year,
    }


def _index(day: datetime.date | None) -> int | None:
    if day is None or day.year == NEVER.year:
        return None
    return quarter_index(day.year, (day.month + 2) // 3)


def member_buckets_by_club(club_ids) -> dict[int, list[list]]:
    """``{club id: [[first quarter, end quarter or None, members], ...]}`` of the members of
    ``club_ids``: a member is active at the end of quarter k when first <= k < end, its start
    being the later of joining and the club's founding, its end the earlier of leaving and the
    club's dissolution. One grouped query."""
    never = Value(NEVER, output_field=DateField())
    rows = (
        Member.objects.filter(club_id__in=club_ids)
        .order_by()
        .annotate(
            _s=Greatest("joined_on", "club__founded_on"),
            _e=Least(Coalesce("left_on", never), Coalesce("club__dissolved_on", never)),
        )
        .values(
            "club_id",
            s=TruncQuarter("_s", output_field=DateField()),
            e=TruncQuarter("_e", output_field=DateField()),
        )
        .annotate(n=Count("pk"))
        .values_list("club_id", "s", "e", "n")
    )
    out: dict[int, list[list]] = {}
    for club_id, s, e, n in rows:
        out.setdefault(club_id, []).append([_index(s), _index(e), n])
    return out
