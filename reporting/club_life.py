"""The club-life targets of Decision 1336/QĐ-TTg §I.2, per club and for many clubs at once.

"At least 70% of clubs carry out all the activities and are well managed so that at least 50%
of members can borrow", and "100% of clubs have an income-generation fund and an activity fund
managed by the club itself". At D, with the target row's window of N calendar months (12) and
its least number of meetings (10), a club:

- carried out every activity kind: for each kind in force at D (its ``starts_on`` on or before
  D), a month recorded as held among the N calendar months ending with D's month, counting
  only the months from the kind's start (a kind added later applies from its start date);
- is well managed: at least that many monthly meetings dated after D minus N months and on or
  before D, and both funds reported (``loans.funds.funds_reported_q``: each fund set up on or
  before D with a movement in the window, a loan or an instalment counting for the revolving
  fund);
- passes the borrowed criterion of the phase's standard (its bounds and "improved" parameter),
  from the kept counts;
- has an income-generation (revolving) fund, an activity fund: set up on or before D.

Every query here is one aggregate over the clubs, whatever their number.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, Value

from activities.models import ActivityKind, ActivityRecord, Meeting
from clubs.models import Club
from common.dates import add_months, months_before
from loans.funds import funds_reported_q
from loans.models import Fund, FundKind

from .figures import club_counts
from .gaps import Rule
from .models import CLUB_LIFE_METRICS, Criterion, Metric, Target, TargetMetric


@dataclasses.dataclass(frozen=True)
class ClubLife:
    """One club at ``day``: ``kinds`` in force and ``kinds_held`` among them, ``meetings`` in
    the window, ``funds_reported``, ``revolving_fund`` and ``activity_fund`` (set up), and
    ``borrowed`` (passes the borrowed criterion; ``None`` without one)."""

    day: datetime.date
    kinds: int
    kinds_held: int
    meetings: int
    min_meetings: int
    funds_reported: bool
    revolving_fund: bool
    activity_fund: bool
    borrowed: bool | None

    @property
    def all_activities(self) -> bool:
        return self.kinds_held == self.kinds

    @property
    def well_managed(self) -> bool:
        return self.meetings >= self.min_meetings and self.funds_reported

    @property
    def passes(self) -> bool:
        """Carried out every kind, well managed and passes the borrowed criterion."""
        return bool(self.all_activities and self.well_managed and self.borrowed)


def window_start(day: datetime.date, months: int) -> datetime.date:
    """The window of ``day`` is after this day and on or before ``day``."""
    return months_before(day, months)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def club_life(
    club_ids,
    day: datetime.date,
    *,
    months: int,
    min_meetings: int,
    counts,
    criterion,
    funds: bool = True,
) -> dict[int, ClubLife]:
    """The club life of each club of ``club_ids`` (ids or a queryset of ids) at ``day``, by
    club id. ``counts``: the clubs' kept counts at ``day`` (``reporting.figures.club_counts``);
    ``criterion``: the phase's borrowed ``Criterion`` or ``None``; ``funds=False`` leaves
    ``revolving_fund`` and ``activity_fund`` out (``False``), for the "all activities" share
    alone. Four queries."""
    start = window_start(day, months)
    first_month = add_months(_month(day), 1 - months)
    kinds = list(ActivityKind.objects.filter(starts_on__lte=day).order_by("pk"))
    # the kinds each club held in the window, from each kind's start month: one grouped count
    in_window = Q(pk__in=[])
    for k in kinds:
        in_window |= Q(kind=k, month__gte=max(first_month, _month(k.starts_on)))
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
        if not funds:
            return Value(False, output_field=BooleanField())
        return Exists(Fund.objects.filter(club=OuterRef("pk"), kind=kind, opened_on__lte=day))

    rows = (
        Club.objects.filter(pk__in=club_ids)
        .annotate(
            reported=Exists(Club.objects.filter(funds_reported_q(day, start), pk=OuterRef("pk"))),
            revolving=has(FundKind.REVOLVING),
            activity=has(FundKind.ACTIVITY),
        )
        .values("pk", "reported", "revolving", "activity")
    )
    rule = Rule(criterion) if criterion is not None else None
    out = {}
    for row in rows:
        c = counts.get(row["pk"])
        borrowed = None
        if rule is not None:
            key = "borrowed_improved" if criterion.require_improved else "borrowed"
            borrowed = bool(c and c["active"] and rule.within(c[key], c["active"]))
        out[row["pk"]] = ClubLife(
            day=day,
            kinds=len(kinds),
            kinds_held=held.get(row["pk"], 0),
            meetings=meetings.get(row["pk"], 0),
            min_meetings=min_meetings,
            funds_reported=row["reported"],
            revolving_fund=row["revolving"],
            activity_fund=row["activity"],
            borrowed=borrowed,
        )
    return out


def with_fund(clubs, kind: str, day: datetime.date) -> tuple[int, int]:
    """``(clubs with a fund of kind set up on or before day, clubs)`` among ``clubs`` (a
    ``Club`` queryset). One query."""
    fund = Exists(Fund.objects.filter(club=OuterRef("pk"), kind=kind, opened_on__lte=day))
    row = clubs.order_by().aggregate(n=Count("pk", filter=Q(fund)), total=Count("pk"))
    return row["n"], row["total"]


def borrowed_criterion(phase) -> Criterion | None:
    """The phase's borrowed criterion row (the first), or ``None``."""
    return phase.criteria.filter(metric=Metric.BORROWED).order_by("pk").first()


@dataclasses.dataclass(frozen=True)
class ClubLifeCard:
    """What a club's card shows of its club life at ``life.day`` against its phase's rows."""

    life: ClubLife
    phase: object  # the phase whose rows were used
    window_months: int
    all_activities: bool  # the phase has the "all activities" target
    funds: bool  # the phase has the fund targets


def club_life_card(club, day: datetime.date, phase) -> ClubLifeCard | None:
    """The club life of ``club`` at ``day`` by the parameters of ``phase``'s club-life target
    rows, or where it has none (the 1648 phases) of the latest-started phase that has them;
    ``None`` when no phase has any, or the club is not active at ``day``."""
    if not club.is_active_on(day):
        return None
    rows = {t.metric: t for t in phase.targets.filter(metric__in=CLUB_LIFE_METRICS)}
    if not rows:
        found = (
            Target.objects.filter(metric__in=CLUB_LIFE_METRICS, phase__starts_on__lte=day)
            .select_related("phase")
            .order_by("-phase__starts_on")
            .first()
        )
        if found is None:
            return None
        phase = found.phase
        rows = {t.metric: t for t in phase.targets.filter(metric__in=CLUB_LIFE_METRICS)}
    activities = rows.get(TargetMetric.ALL_ACTIVITIES_SHARE)
    months = (activities.window_months if activities else None) or 12
    least = (activities.min_meetings if activities else None) or 0
    life = club_life(
        [club.pk],
        day,
        months=months,
        min_meetings=least,
        counts=club_counts([club.pk], day),
        criterion=borrowed_criterion(phase),
    )[club.pk]
    return ClubLifeCard(
        life=life,
        phase=phase,
        window_months=months,
        all_activities=activities is not None,
        funds=TargetMetric.REVOLVING_FUND_SHARE in rows or TargetMetric.ACTIVITY_FUND_SHARE in rows,
    )
