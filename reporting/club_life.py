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

The per-club counts (kinds held, meetings, funds reported, funds set up) are kept with the
club's other figures (``reporting.figures``), counted by :func:`life_counts` by the
:class:`LifeParams` in force at D; the thresholds (the least meetings, the borrowed bounds) are
applied when read. Every query here is one aggregate over the clubs, whatever their number.
"""

from __future__ import annotations

import dataclasses
import datetime

from .figures import club_counts
from .gaps import Rule
from .life_counts import LifeParams, club_life_rows, life_counts, window_of
from .models import Criterion, Metric, TargetMetric


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


def club_life(
    counts: dict[int, dict],
    day: datetime.date,
    *,
    months: int,
    min_meetings: int,
    criterion: Criterion | None,
) -> dict[int, ClubLife]:
    """The club life at ``day`` of each club of ``counts`` (its clubs' kept counts at ``day``,
    by club id: ``reporting.figures.club_counts``), by club id, in a window of ``months`` with
    ``min_meetings`` the least number of meetings; ``criterion``: the phase's borrowed
    ``Criterion`` or ``None``. The kept club-life counts are used when they were counted by
    these parameters; else the clubs are counted here (:func:`life_counts`)."""
    params = LifeParams.at(day, months)
    key = params.key
    fresh = [pk for pk, c in counts.items() if c.get("life") != key]
    lives = life_counts(fresh, params) if fresh else {}
    rule = Rule(criterion) if criterion is not None else None
    improved = criterion is not None and criterion.require_improved
    borrowed_key = "borrowed_improved" if improved else "borrowed"
    out = {}
    for pk, c in counts.items():
        life = lives[pk] if pk in lives else c
        borrowed = None
        if rule is not None:
            borrowed = bool(c["active"] and rule.within(c[borrowed_key], c["active"]))
        out[pk] = ClubLife(
            day=day,
            kinds=len(params.kinds),
            kinds_held=life["kinds_held"],
            meetings=life["meetings"],
            min_meetings=min_meetings,
            funds_reported=bool(life["funds_reported"]),
            revolving_fund=bool(life["revolving_fund"]),
            activity_fund=bool(life["activity_fund"]),
            borrowed=borrowed,
        )
    return out


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
    phase, rows = club_life_rows(day, phase)
    if not rows:
        return None
    months, least = window_of(rows)
    life = club_life(
        club_counts([club.pk], day),
        day,
        months=months,
        min_meetings=least,
        criterion=borrowed_criterion(phase),
    )[club.pk]
    return ClubLifeCard(
        life=life,
        phase=phase,
        window_months=months,
        all_activities=TargetMetric.ALL_ACTIVITIES_SHARE in rows,
        funds=TargetMetric.REVOLVING_FUND_SHARE in rows or TargetMetric.ACTIVITY_FUND_SHARE in rows,
    )
