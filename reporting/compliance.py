"""The compliance engine: each club's standing against its phase's quality criteria, and the
programme's against its targets. Views, dashboards, PDFs, exports and the ``compliance``
command all call :func:`compute`.

The criteria and targets are rows of the phase (Decision 1533/QĐ-TTg, Article 1, §I.2 for
2016-2020; Decision 1336/QĐ-TTg, §I.2 for 2021-2025; Decision 1648/QĐ-TTg, §I for 2025-2035):
each picks a metric, inclusive bounds and parameters (the age threshold, the monitoring window,
whether a loan must have improved income). Nothing here has a default for them.

- A club is active at D if founded on or before D and not dissolved on or before D; a member
  likewise with joining and leaving dates. Age at D is in completed years.
- Shares are exact fractions (``fractions.Fraction``); bounds are inclusive.
- Criteria are evaluated at D; targets are measured at M, the earlier of D and the phase end
  (``reporting.targets``).

The work is set-based: each club's counts are kept (``reporting.figures``; the changed clubs
are counted again by ``reporting.rules``, one aggregate query per relation), one query over
clubs, and a fixed number of queries per target, whatever the number of clubs. The module
also names what other apps use: the result classes (``reporting.results``) and
:func:`province_target_progress`.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.db.models import F, Q
from django.utils.translation import gettext as _

from clubs.models import Club, Era, Province
from common import formats

from .figures import club_counts
from .gaps import Rule
from .models import CLUB_LIFE_METRICS, Criterion, Metric, Phase, TargetMetric
from .results import (
    ClubResult,
    ComplianceReport,
    CriterionResult,
    Gap,
    ProvinceResult,
    ProvinceTargetResult,
    TargetResult,
    Totals,
)
from .rules import is_monitored, is_trained_and_monitored, trained_and_monitored_counts
from .targets import (
    combine_measures,
    commune_coverage,
    measured_on,
    province_targets,
    target_measure,
)

__all__ = [
    "ClubResult",
    "ComplianceError",
    "ComplianceReport",
    "CriterionResult",
    "Gap",
    "ProvinceResult",
    "ProvinceTargetResult",
    "TargetResult",
    "Totals",
    "club_compliance",
    "compute",
    "evaluate_criterion",
    "province_filter",
    "province_target_progress",
    "resolve_phase",
    "resolve_province",
]


class ComplianceError(ValueError):
    """Raised for a date no phase covers, an unknown phase or an unknown province."""


# --------------------------------------------------------------------------- evaluation


def evaluate_criterion(
    criterion: Criterion,
    counts: dict,
    day: datetime.date,
    rule: Rule | None = None,
    *,
    with_gap: bool = True,
) -> CriterionResult:
    """Evaluate one criterion from a club's counts at ``day``.

    ``counts`` holds ``active``, ``women``, ``older_<age>``, ``poor``, ``borrowed``,
    ``borrowed_improved``, ``trained`` (bool) and ``last_visit`` (the latest monitoring visit on
    or before ``day``, or None). ``rule`` is the criterion prepared once for many clubs
    (``Rule(criterion)``); the gap of a failing criterion is its (``reporting.gaps``), worked
    out when first read (``gaps.LazyGap``), left out (``None``) with ``with_gap=False``.
    """
    rule = rule or Rule(criterion)
    active = counts["active"]
    base = rule.base

    if criterion.metric == Metric.TRAINED_MONITORED:
        months = criterion.monitoring_months
        trained = bool(counts["trained"])
        last_visit = counts["last_visit"]
        monitored = is_monitored(last_visit, day, months)
        passed = is_trained_and_monitored(trained, last_visit, active, day, months)
        gap = None
        if not passed and with_gap:
            gap = (
                rule.no_members
                if active == 0
                else rule.later(rule.training_gap, trained, monitored, last_visit)
            )
        return CriterionResult(
            **base,
            count=None,
            share=None,
            passed=passed,
            gap=gap,
            trained=trained,
            monitored=monitored,
            last_visit=last_visit,
        )

    if active == 0:
        return CriterionResult(**base, count=0, share=None, passed=False, gap=rule.no_members)

    if criterion.metric == Metric.ACTIVE_MEMBERS:
        low, high = criterion.min_count, criterion.max_count
        passed = (low is None or active >= low) and (high is None or active <= high)
        gap = rule.later(rule.size_gap, active) if with_gap and not passed else None
        return CriterionResult(**base, count=active, share=None, passed=passed, gap=gap)

    if criterion.metric == Metric.BORROWED:
        count = counts["borrowed_improved" if criterion.require_improved else "borrowed"]
    elif criterion.metric == Metric.OLDER:
        count = counts[f"older_{criterion.age_threshold}"]
    else:
        count = counts[criterion.metric]  # women, poor
    passed = rule.within(count, active)
    gap = None
    if not passed and with_gap:
        if criterion.metric == Metric.BORROWED:
            gap = rule.later(rule.borrowed_gap, count, active)
        else:
            gap = rule.later(rule.share_gap, count, active)
    return CriterionResult(
        **base, count=count, share=Fraction(count, active), passed=passed, gap=gap
    )


# --------------------------------------------------------------------------- lookups


def resolve_phase(day: datetime.date, phase: Phase | str | None = None) -> Phase:
    """The phase to use at ``day``: ``phase`` (a ``Phase`` or its code) when given, else the
    phase containing ``day``. Raises ``ComplianceError`` for an unknown code or an uncovered
    date."""
    if isinstance(phase, Phase):
        return phase
    if phase:
        found = Phase.objects.filter(code=phase).first()
        if found is None:
            raise ComplianceError(_("Không có giai đoạn mã %(code)s.") % {"code": phase})
        return found
    found = Phase.objects.containing(day)
    if found is None:
        raise ComplianceError(
            _("Ngày %(day)s không thuộc giai đoạn nào của đề án.") % {"day": formats.day(day)}
        )
    return found


def province_filter(province: Province, day: datetime.date, prefix: str = "") -> Q:
    """Clubs that belong to ``province`` in the units of ``day``'s era (``province`` is of
    that era)."""
    return Q(**{f"{prefix}{Club.unit_path(province.era)}": province})


def resolve_province(code: str, day: datetime.date) -> Province:
    """The province with ``code`` (``"2"`` or ``"02"``) in the units of ``day``'s era.
    Raises ``ComplianceError`` when there is none."""
    era = Era.of(day)
    normalised = code.strip().zfill(2)
    found = Province.objects.filter(era=era, code=normalised).first()
    if found is None:
        raise ComplianceError(
            _("Không có tỉnh/thành phố mã %(code)s trong danh mục %(era)s.")
            % {"code": code, "era": Era(era).label}
        )
    return found


# --------------------------------------------------------------------------- computation


def _older_age(phase: Phase, criteria, targets, with_targets: bool) -> int | None:
    """The age at which a member counts as older in the club and total figures: the "older"
    criterion's, else that of a target with an age; ``None`` when the phase sets none."""
    age = next((c.age_threshold for c in criteria if c.metric == Metric.OLDER), None)
    if age is not None:
        return age
    rows = targets if with_targets else phase.targets.filter(age_threshold__isnull=False)
    return next((t.age_threshold for t in rows if t.age_threshold), None)


def compute(
    as_of: datetime.date,
    *,
    phase: Phase | str | None = None,
    clubs=None,
    province: Province | None = None,
    with_targets: bool = True,
    details: bool = True,
) -> ComplianceReport:
    """Compute compliance at ``as_of`` (a ``date``).

    ``clubs`` is an optional queryset of ``Club`` (already scoped with ``for_user``); the
    default is every club. ``province`` (a ``Province`` of ``as_of``'s era) narrows to that
    province, and then national programme targets are not computed (``targets`` is empty) but
    the province's own targets and its "trained and monitored" share are. ``phase`` picks the
    phase (default: the one containing ``as_of``). Raises ``ComplianceError`` when no phase
    covers ``as_of``.

    The clubs' counts are the kept figures (``reporting.figures``: only the clubs changed since
    they were kept are counted again). ``details=False`` keeps no per-club results and words no
    gaps (``report.clubs`` is empty), for pages that show only sums.

    Returns a :class:`ComplianceReport`: clubs active at ``as_of`` sorted by code, provinces
    with active clubs sorted by code (in the units of ``as_of``'s era), national totals, the
    phase's targets and the province targets.
    """
    phase = resolve_phase(as_of, phase)
    era = Era.of(as_of)
    criteria = list(phase.criteria.all())
    targets = list(phase.targets.all()) if with_targets else []
    for row in (*criteria, *targets):
        row.label = _(row.label)  # seeded labels read in the interface's language
    trained = next((c for c in criteria if c.metric == Metric.TRAINED_MONITORED), None)
    trained_code = trained.code if trained else None
    older_age = _older_age(phase, criteria, targets, with_targets)
    ages = {c.age_threshold for c in criteria if c.metric == Metric.OLDER}
    ages |= {older_age} if older_age is not None else set()

    rules = {c.code: Rule(c) for c in criteria}
    base = Club.objects.all() if clubs is None else clubs
    if province is not None:
        base = base.filter(province_filter(province, as_of))
    active = base.filter(Club.active_q(as_of))
    path = Club.unit_path(era)
    club_rows = list(
        active.order_by("code").values(
            "id",
            "code",
            "name",
            "founded_on",
            pcode=F(f"{path}__code"),
            pname=F(f"{path}__short_name"),
            pid=F(f"{path}__id"),
        )
    )
    kept: dict[datetime.date, dict] = {}

    def counts_at(day: datetime.date) -> dict[int, dict]:
        """The kept counts of the clubs of ``base`` active at ``day``, read once per day."""
        if day not in kept:
            kept[day] = club_counts(base.filter(Club.active_q(day)).values("id"), day)
        return kept[day]

    counts_by_club = counts_at(as_of)

    no_age = older_age is None
    results: list[ClubResult] = []
    provinces: dict[str, ProvinceResult] = {}
    national = Totals(trained_code=trained_code, older_members=None if no_age else 0)
    for row in club_rows:
        counts = counts_by_club[row["id"]]
        evaluated = {
            c.code: evaluate_criterion(c, counts, as_of, rules[c.code], with_gap=details)
            for c in criteria
        }
        club = ClubResult(
            id=row["id"],
            code=row["code"],
            name=row["name"],
            province_code=row["pcode"],
            province_name=row["pname"],
            founded_on=row["founded_on"],
            active_members=counts["active"],
            older_members=None if no_age else counts[f"older_{older_age}"],
            women=counts["women"],
            poor=counts["poor"],
            borrowed=counts["borrowed"],
            criteria=evaluated,
            compliant=all(r.passed for r in evaluated.values()),
        )
        if details:
            results.append(club)
        national.add(club)
        bucket = provinces.get(row["pcode"])
        if bucket is None:
            bucket = provinces[row["pcode"]] = ProvinceResult(
                code=row["pcode"],
                name=row["pname"],
                province_id=row["pid"],
                trained_code=trained_code,
                older_members=None if no_age else 0,
            )
        bucket.add(club)

    # The "trained and monitored" share at M, counted once: from the clubs just evaluated
    # when M is the as-of date, else by the same rule at M.
    trained_counts = None
    if trained is not None and any(
        t.metric == TargetMetric.TRAINED_MONITORED_SHARE for t in targets
    ):
        day = measured_on(phase, as_of)
        if day == as_of:
            trained_counts = (national.trained_and_monitored_clubs, national.active_clubs)
        else:
            trained_counts = trained_and_monitored_counts(
                counts_at(day).values(), day, trained.monitoring_months
            )
    if province is not None:  # a province's report measures its trained and club-life shares
        targets = [
            t
            for t in targets
            if t.metric in (TargetMetric.TRAINED_MONITORED_SHARE, *CLUB_LIFE_METRICS)
        ]
    raws = {
        t.code: target_measure(t, phase, as_of, base, counts_at, trained=trained_counts)
        for t in targets
    }
    measured = [
        combine_measures(t, phase, as_of, [raws[t.code]])
        for t in targets
        if raws[t.code] is not None
    ]
    trained_target = next(
        (t for t in measured if t.metric == TargetMetric.TRAINED_MONITORED_SHARE), None
    )
    coverage = None
    if with_targets:
        coverage_target = next(
            (t for t in measured if t.metric == TargetMetric.COMMUNE_COVERAGE), None
        )
        coverage = commune_coverage(phase, as_of, base, province, coverage_target)
    return ComplianceReport(
        as_of=as_of,
        phase=phase,
        era=era,
        criteria=criteria,
        clubs=results,
        provinces=[provinces[k] for k in sorted(provinces)],
        national=national,
        provinces_with_clubs=len(provinces),
        targets=measured if province is None else [],
        province_targets=province_targets(phase, as_of, base, province, counts_at),
        trained_code=trained_code,
        trained_target=trained_target,
        club_life=[t for t in measured if t.metric in CLUB_LIFE_METRICS],
        coverage=coverage,
        target_measures=raws if province is None else {},
    )


def province_target_progress(
    as_of: datetime.date, province: Province, *, clubs=None, phase=None
) -> tuple[Phase, list[ProvinceTargetResult]]:
    """The phase at ``as_of`` and ``province``'s own targets in it against its actuals, without
    evaluating every club (a few queries; for a club page). Raises ``ComplianceError`` when no
    phase covers ``as_of``."""
    phase = resolve_phase(as_of, phase)
    base = Club.objects.all() if clubs is None else clubs
    # Every club a target row of the province can count (old-era provinces merged whole into
    # one new province).
    base = base.filter(province_id=province.successor_id or province.pk)

    def counts_at(day):
        return club_counts(base.filter(Club.active_q(day)).values("id"), day)

    return phase, province_targets(phase, as_of, base, province, counts_at)


def club_compliance(club: Club, as_of: datetime.date, phase=None) -> ClubResult | None:
    """The compliance of one club at ``as_of`` (``None`` when it is not active then)."""
    report = compute(as_of, phase=phase, clubs=Club.objects.filter(pk=club.pk), with_targets=False)
    return report.clubs[0] if report.clubs else None
