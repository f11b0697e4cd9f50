"""The club-life counts of clubs at a date, by the parameters in force then (Decision
1336/QĐ-TTg §I.2; the rules in ``reporting.club_life``): activity kinds held in the window,
monthly meetings in it, both funds reported in it, and each fund set up. Kept per club with
the other figures (``reporting.figures``)."""

from __future__ import annotations

import dataclasses
import datetime
import functools

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
)

from activities.models import ActivityKind, ActivityRecord, Meeting
from clubs.models import Club
from common.dates import add_months, months_before
from loans.funds import funds_reported_q
from loans.models import Fund, FundKind

from .models import CLUB_LIFE_METRICS, Phase, Target, TargetMetric

#: The kept per-club club-life counts (``ClubFigures``' fields, :func:`life_counts`' keys).
LIFE_FIELDS = ("kinds_held", "meetings", "funds_reported", "revolving_fund", "activity_fund")


@dataclasses.dataclass(frozen=True)
class LifeParams:
    """What the club-life counts at ``day`` are counted by: the window of ``months`` calendar
    months ending at ``day`` and the activity kinds in force then, ``kinds`` as ``(id,
    starts_on)`` by id. ``key`` names them in a kept row: a row kept by other parameters (a
    kind added or its start moved, another window) is counted again."""

    day: datetime.date
    months: int
    kinds: tuple[tuple[int, datetime.date], ...]

    @classmethod
    def at(cls, day: datetime.date, months: int) -> LifeParams:
        """The parameters at ``day`` for a window of ``months`` (one query, for the kinds)."""
        kinds = ActivityKind.objects.filter(starts_on__lte=day).order_by("pk")
        return cls(day, months, tuple(kinds.values_list("pk", "starts_on")))

    @functools.cached_property
    def key(self) -> str:
        return f"{self.months}|" + ",".join(f"{pk}:{start:%Y%m%d}" for pk, start in self.kinds)

    @property
    def window_start(self) -> datetime.date:
        """The window is after this day and on or before ``day``."""
        return months_before(self.day, self.months)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def club_life_rows(day: datetime.date, phase: Phase | None = None) -> tuple[Phase | None, dict]:
    """The club-life target rows in force at ``day``, by metric, with their phase: those of
    ``phase`` (default: the phase containing ``day``), or where it has none (the 1648 phases)
    those of the latest-started phase that has them and started on or before ``day``;
    ``(None, {})`` when no such phase exists. One query."""
    if phase is None:
        phase_pk = Subquery(Phase.objects.containing_q(day).values("pk")[:1])
    else:
        phase_pk = Value(phase.pk)
    found = list(
        Target.objects.filter(
            Q(phase__starts_on__lte=day) | Q(phase_id=phase_pk), metric__in=CLUB_LIFE_METRICS
        )
        .annotate(chosen=ExpressionWrapper(Q(phase_id=phase_pk), output_field=BooleanField()))
        .select_related("phase")
        .order_by("-chosen", "-phase__starts_on", "phase_id", "pk")
    )
    if not found:
        return None, {}
    phase = found[0].phase
    return phase, {t.metric: t for t in found if t.phase_id == phase.pk}


def window_of(rows: dict) -> tuple[int, int]:
    """``(window months, least meetings)`` of club-life target ``rows``: the "all activities"
    row's, else 12 months and no least number."""
    activities = rows.get(TargetMetric.ALL_ACTIVITIES_SHARE)
    months = (activities.window_months if activities else None) or 12
    least = (activities.min_meetings if activities else None) or 0
    return months, least


def life_params(day: datetime.date) -> LifeParams | None:
    """The parameters the kept figures at ``day`` count club life by (the rows in force at
    ``day``, :func:`club_life_rows`); ``None`` before any phase that sets club-life targets,
    when nothing of club life is kept. Two small queries (one when ``None``)."""
    _phase, rows = club_life_rows(day)
    if not rows:
        return None
    return LifeParams.at(day, window_of(rows)[0])


def life_counts(club_ids, params: LifeParams) -> dict[int, dict]:
    """The club-life counts of each club of ``club_ids`` (ids, or a queryset of ids) by
    ``params``, by club id: ``kinds_held`` (kinds of ``params.kinds`` with a month held in the
    window, from each kind's start month), ``meetings`` in the window, ``funds_reported``,
    ``revolving_fund`` and ``activity_fund`` (set up on or before the day). Three queries."""
    day, start = params.day, params.window_start
    first_month = add_months(_month(day), 1 - params.months)
    in_window = Q(pk__in=[])
    for pk, starts_on in params.kinds:
        in_window |= Q(kind_id=pk, month__gte=max(first_month, _month(starts_on)))
    held = dict(
        ActivityRecord.objects.filter(in_window, held=True, month__lte=day, club__in=club_ids)
        .order_by()
        .values("club")
        .annotate(n=Count("kind", distinct=True))
        .values_list("club", "n")
    )
    meetings = dict(
        Meeting.objects.filter(held_on__gt=start, held_on__lte=day, club__in=club_ids)
        .order_by()
        .values("club")
        .annotate(n=Count("pk"))
        .values_list("club", "n")
    )

    def has(kind):
        return Exists(Fund.objects.filter(club=OuterRef("pk"), kind=kind, opened_on__lte=day))

    rows = (
        Club.objects.filter(pk__in=club_ids)
        .annotate(
            reported=Exists(Club.objects.filter(funds_reported_q(day, start), pk=OuterRef("pk"))),
            revolving=has(FundKind.REVOLVING),
            activity=has(FundKind.ACTIVITY),
        )
        .values_list("pk", "reported", "revolving", "activity")
    )
    return {
        pk: {
            "kinds_held": held.get(pk, 0),
            "meetings": meetings.get(pk, 0),
            "funds_reported": reported,
            "revolving_fund": revolving,
            "activity_fund": activity,
        }
        for pk, reported, revolving, activity in rows
    }
