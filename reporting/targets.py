"""The phase's programme targets and the provinces' own targets, measured at M, the earlier of
the as-of date and the phase end.

Each target row says whom it counts:

- the cohort (clubs founded in the phase, active at M): clubs, provinces, members, older
  members (Decision 1533/QĐ-TTg, Article 1, §I.2; Decision 1336/QĐ-TTg, §I.2);
- all clubs active at M: the share of provinces with clubs, commune coverage (in the units of
  M's era), the share of clubs trained and monitored (Decision 1533/QĐ-TTg: at least 80%);
- the earlier clubs: founded before the phase start and not dissolved before it (active the
  day before the phase started), of which the numerator counts those still active at M
  (Decision 1336/QĐ-TTg, §I.2; Decision 1648/QĐ-TTg, §I);
- the new clubs: the phase's clubs (by founding date) founded on or before M, of which the
  numerator counts those still active at M (Decision 1336/QĐ-TTg, §I.2: maintain 100% of the
  clubs built in 2016–2020 and of the clubs newly built);
- all clubs active at M, by their club life (``reporting.club_life``): the share that carried
  out every activity kind, are well managed and pass the borrowed criterion, and the shares
  with an income-generation fund and with an activity fund (Decision 1336/QĐ-TTg, §I.2).

"About N" is met at N or more, ">N" only above N.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from clubs.models import Club, Commune, Era, Province

from .club_life import borrowed_criterion, club_life
from .models import (
    CLUB_LIFE_METRICS,
    SHARE_TARGET_METRICS,
    Phase,
    ProvinceTarget,
    Target,
    TargetMetric,
)
from .results import CommuneCoverage, ComplianceReport, ProvinceTargetResult, TargetResult
from .rules import cohort


def measured_on(phase: Phase, as_of: datetime.date) -> datetime.date:
    """M: targets are measured at the earlier of the as-of date and the phase end."""
    return min(as_of, phase.ends_on)


def coverage_counts(clubs, day: datetime.date, province: Province | None = None) -> tuple[int, int]:
    """``(communes with at least one of clubs active at day, communes)`` in the units of
    ``day``'s era: of the whole country, or of ``province`` (of any era: at a date of the old
    era a new province stands for the old provinces merged into it). Two queries."""
    era = Era.of(day)
    commune_path = Club.unit_path(era, "commune")
    covered = (
        clubs.filter(Club.active_q(day), **{f"{commune_path}__isnull": False})
        .values(commune_path)
        .distinct()
        .count()
    )
    communes = Commune.objects.filter(era=era)
    if province is not None:
        if province.era == era:
            communes = communes.filter(province=province)
        else:
            communes = communes.filter(province__successor=province)
    return covered, communes.count()


def commune_coverage(
    phase: Phase,
    as_of: datetime.date,
    clubs,
    province: Province | None = None,
    target: TargetResult | None = None,
) -> CommuneCoverage:
    """The commune coverage indicator of ``clubs`` (already narrowed to ``province`` when one
    is given) at M, with the phase's coverage ``target`` result when there is one. Coverage is
    an indicator on every dashboard and report; a phase carries a target for it only where a
    decision sets one."""
    day = measured_on(phase, as_of)
    if target is not None:
        return CommuneCoverage(target.numerator, target.denominator, day, target)
    covered, total = coverage_counts(clubs, day, province)
    return CommuneCoverage(covered, total, day)


def target_measure(
    target: Target,
    phase: Phase,
    as_of: datetime.date,
    clubs,
    counts_at,
    *,
    trained: tuple[int, int] | None = None,
):
    """The raw measure of ``target`` at M over ``clubs`` (a ``Club`` queryset), in a form that
    adds up over disjoint sets of clubs (:func:`combine_measures`): a count, a ``frozenset``
    of the units counted once (provinces), or ``(numerator, denominator)``; ``None`` when the
    target cannot be measured (the "trained and monitored" share without its criterion).
    ``counts_at(day)`` gives the kept counts of the clubs active at ``day`` by club id
    (``reporting.figures.club_counts``); ``trained`` is ``(passing, active)`` clubs at M by the
    criterion's own rule, from the engine."""
    day = measured_on(phase, as_of)
    path = Club.unit_path(Era.of(day))
    metric = target.metric
    if metric == TargetMetric.COHORT_CLUBS:
        return cohort(clubs, phase, day).count()
    if metric == TargetMetric.COHORT_PROVINCES:
        units = cohort(clubs, phase, day).filter(**{f"{path}__isnull": False})
        return frozenset(units.values_list(path, flat=True).distinct())
    if metric in (TargetMetric.COHORT_MEMBERS, TargetMetric.COHORT_OLDER_MEMBERS):
        key = "active" if metric == TargetMetric.COHORT_MEMBERS else f"older_{target.age_threshold}"
        counts = counts_at(day)
        ids = cohort(clubs, phase, day).values_list("pk", flat=True)
        return sum(counts[pk][key] for pk in ids)
    if metric == TargetMetric.PROVINCE_SHARE:
        active = clubs.filter(Club.active_q(day), **{f"{path}__isnull": False})
        return frozenset(active.values_list(path, flat=True).distinct())
    if metric == TargetMetric.COMMUNE_COVERAGE:
        return coverage_counts(clubs, day)[0]
    if metric == TargetMetric.EARLIER_CLUBS_ACTIVE:
        earlier = clubs.filter(Club.active_q(phase.starts_on - datetime.timedelta(days=1)))
        return earlier.filter(Club.active_q(day)).count(), earlier.count()
    if metric == TargetMetric.NEW_CLUBS_ACTIVE:
        new = clubs.filter(phase.founded_in_q(), founded_on__lte=day)
        return new.filter(Club.active_q(day)).count(), new.count()
    if metric == TargetMetric.TRAINED_MONITORED_SHARE:
        return trained
    if metric in CLUB_LIFE_METRICS:
        criterion = borrowed_criterion(phase)
        if metric == TargetMetric.ALL_ACTIVITIES_SHARE and criterion is None:
            return None
        lives = club_life(
            counts_at(day),  # the clubs active at M
            day,
            months=target.window_months or 12,
            min_meetings=target.min_meetings or 0,
            criterion=criterion,
        ).values()
        if metric == TargetMetric.ALL_ACTIVITIES_SHARE:
            return sum(x.passes for x in lives), len(lives)
        if metric == TargetMetric.REVOLVING_FUND_SHARE:
            return sum(x.revolving_fund for x in lives), len(lives)
        return sum(x.activity_fund for x in lives), len(lives)
    raise ValueError(f"unknown target metric {metric}")  # pragma: no cover - check constraint


def combine_measures(target: Target, phase: Phase, as_of: datetime.date, parts) -> TargetResult:
    """``target``'s result from the raw measures ``parts`` of disjoint sets of clubs (see
    :func:`target_measure`; none of them ``None``): counts and pairs add up, unit sets are
    united; the share of provinces and commune coverage take their denominators from the
    units of M's era."""
    day = measured_on(phase, as_of)
    era = Era.of(day)
    metric = target.metric
    numerator = denominator = None
    if metric in (TargetMetric.COHORT_PROVINCES, TargetMetric.PROVINCE_SHARE):
        units = frozenset().union(*parts)
        if metric == TargetMetric.COHORT_PROVINCES:
            actual = len(units)
        else:
            numerator = len(units)
            denominator = Province.objects.filter(era=era).count()
            actual = Fraction(numerator, denominator)
    elif metric == TargetMetric.COMMUNE_COVERAGE:
        numerator = sum(parts)
        denominator = Commune.objects.filter(era=era).count()
        actual = Fraction(numerator, denominator) if denominator else Fraction(0)
    elif metric in (
        TargetMetric.EARLIER_CLUBS_ACTIVE,
        TargetMetric.NEW_CLUBS_ACTIVE,
        TargetMetric.TRAINED_MONITORED_SHARE,
        *CLUB_LIFE_METRICS,
    ):
        numerator = sum(n for n, _d in parts)
        denominator = sum(d for _n, d in parts)
        zero = (TargetMetric.TRAINED_MONITORED_SHARE, *CLUB_LIFE_METRICS)
        empty = Fraction(0) if metric in zero else Fraction(1)
        actual = Fraction(numerator, denominator) if denominator else empty
    else:
        actual = sum(parts)
    value = Fraction(Decimal(target.value))
    return TargetResult(
        code=target.code,
        label=target.label,
        metric=metric,
        target=value if metric in SHARE_TARGET_METRICS else int(value),
        actual=actual,
        comparison=target.comparison,
        measured_on=day,
        numerator=numerator,
        denominator=denominator,
    )


def province_targets(
    phase: Phase, as_of: datetime.date, clubs, province: Province | None, counts_at
) -> list[ProvinceTargetResult]:
    """Each province target of ``phase`` (or only ``province``'s) against the cohort clubs and
    their active members at M (``counts_at``: see :func:`target_measure`), counted in the units
    of the target province's era."""
    day = measured_on(phase, as_of)
    rows = ProvinceTarget.objects.filter(phase=phase).select_related("province")
    if province is not None:
        rows = rows.filter(
            Q(province=province) | Q(province__successor=province) | Q(province=province.successor)
        )
    rows = list(rows.order_by("province__code"))
    if not rows:
        return []
    clubs_of_phase = cohort(clubs, phase, day)
    by_era = {}
    for era in (Era.PRE2025, Era.POST2025):
        if any(r.province.era == era for r in rows):
            path = Club.unit_path(era)
            counts = counts_at(day)
            club_counts, member_counts = {}, {}
            for pk, unit in clubs_of_phase.order_by().values_list("pk", path):
                club_counts[unit] = club_counts.get(unit, 0) + 1
                member_counts[unit] = member_counts.get(unit, 0) + counts[pk]["active"]
            by_era[era] = (club_counts, member_counts)
    out = []
    for r in rows:
        club_counts, member_counts = by_era[r.province.era]
        out.append(
            ProvinceTargetResult(
                province_code=r.province.code,
                province_name=r.province.short_name,
                target_clubs=r.clubs,
                target_members=r.members,
                clubs=club_counts.get(r.province_id, 0),
                members=member_counts.get(r.province_id, 0),
            )
        )
    return out


def trained_indicator(report: ComplianceReport) -> dict | None:
    """The programme indicator of clubs trained and monitored, as the dashboards and the PDF
    reports show it: the phase's ``trained_monitored_share`` target at M over the report's
    clubs. ``None`` when the phase has no such target row (or no criterion to measure it by).

    Keys: ``clubs`` passing and ``active_clubs`` at M, ``share`` (a ``Fraction``), ``target``
    (a ``Fraction``), ``met`` and ``measured_on``.
    """
    target = report.trained_target
    if target is None:
        return None
    return {
        "clubs": target.numerator,
        "active_clubs": target.denominator,
        "share": target.actual,
        "target": target.target,
        "met": target.met,
        "measured_on": target.measured_on,
    }
