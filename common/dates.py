"""Dates as the programme counts them.

- Month arithmetic in calendar months, the 29th–31st clamped to the month's last day
  (:func:`add_months`; the monitoring window of the "trained and monitored" criterion, Decision
  1533/QĐ-TTg, Article 1, §I.2, and the retention period of personal data use it).
- Age at D in completed years; a person known only by a birth year is taken as born on
  1 January of that year, a birth month without a day as born on the 1st (the convention of
  Vietnamese social-insurance rules) (:func:`age_on`, :func:`born_on_or_before_q`).
- Something that starts on S and may end on E is active at D when S <= D and not E <= D: a club
  (founded, dissolved), a member (joined, left) (:func:`is_active`, :func:`active_q`).
"""

import calendar
import datetime

from django.db.models import Q


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (negative: minus); the 29th–31st clamp to the
    last day of the month reached (``add_months(date(2024, 3, 31), -1)`` is 29/02/2024)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` minus ``months`` calendar months (see :func:`add_months`)."""
    return add_months(day, -months)


def window_end(start: datetime.date, months: int) -> datetime.date:
    """The first day on which something dated ``start`` is no longer within a window of
    ``months`` calendar months, the window of D being after ``months_before(D, months)`` and on
    or before D (the monitoring window): ``window_end(date(2020, 3, 1), 12)`` is 01/03/2021,
    ``window_end(date(2024, 1, 31), 1)`` is 01/03/2024 (on 29/02 the window still starts on
    29/01)."""
    day = add_months(start, months)
    while months_before(day, months) < start:
        day += datetime.timedelta(days=1)
    return day


def birth_date(year: int, month: int | None = None, day: int | None = None) -> datetime.date:
    """The date ages are counted from: a missing month or day is taken as 1. Raises
    ``ValueError`` for a day that does not exist (31/02)."""
    return datetime.date(year, month or 1, day or 1)


def age_on(on: datetime.date, year: int, month: int | None = None, day: int | None = None) -> int:
    """Age in completed years on ``on`` of a person born on (``year``, ``month``, ``day``)."""
    born = birth_date(year, month, day)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def aged_at_least_q(years: int, on: datetime.date, prefix: str = "") -> Q:
    """People whose ``birth_year``/``birth_month``/``birth_day`` fields (after ``prefix``) make
    them ``years`` old or more in completed years on ``on`` (the same rule as :func:`age_on`).

    Born (y, m, d) is that old when y < Y, or y = Y and (m, d) <= (on.month, on.day), with
    Y = on.year - years; a missing month or day counts as 1.
    """
    year = on.year - years
    p = prefix
    return (
        Q(**{f"{p}birth_year__lt": year})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month__isnull": True})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month__lt": on.month})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month": on.month, f"{p}birth_day__isnull": True})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month": on.month, f"{p}birth_day__lte": on.day})
    )


def is_active(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """Started on or before ``day`` and not ended on or before it."""
    return start <= day and (end is None or end > day)


def active_q(day: datetime.date, *, start: str, end: str, prefix: str = "") -> Q:
    """The rows whose date field ``start`` is on or before ``day`` and whose ``end`` is empty or
    after it (the same rule as :func:`is_active`), field names after ``prefix``."""
    p = prefix
    return Q(**{f"{p}{start}__lte": day}) & (
        Q(**{f"{p}{end}__isnull": True}) | Q(**{f"{p}{end}__gt": day})
    )


def no_such_day(day: int, month: int, year: int) -> str | None:
    """Why ``day``/``month``/``year`` (a month from 1 to 12) is no date, in Vietnamese ("Ngày
    31/02/1950 không có thật: tháng 2/1950 có 28 ngày."), or ``None`` when it is one."""
    from django.utils.translation import gettext as _

    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    return _("Ngày %(date)s không có thật: tháng %(month)s/%(year)s có %(days)s ngày.") % {
        "date": f"{day:02d}/{month:02d}/{year}",
        "month": month,
        "year": year,
        "days": last,
    }
