"""The compliance engine: each club's standing against its phase's quality criteria, and the
programme's against its targets (DESIGN §2). Views, dashboards, PDFs, exports and the
``compliance`` command all call :func:`compute`.

Rules (DESIGN §2, from Decision 1533/QĐ-TTg and its successors):

- A club is active at D if founded on or before D and not dissolved on or before D; a member
  likewise with joining and leaving dates.
- Age at D is in completed years; a member known only by birth year is born on 1 January.
- Household status at D is the latest assessment dated on or before D; none means "not poor".
- Borrowed: distinct active members with a loan disbursed on or before D (and, when the criterion
  requires it, an "improved" income outcome assessed on or before D).
- Trained and monitored: a training session held on or before D, and a monitoring visit after D
  minus N calendar months and on or before D.
- Shares are exact fractions (``fractions.Fraction``); bounds are inclusive.
- Targets are measured at M, the earlier of D and the phase end, over their population: the
  cohort (clubs founded in the phase, active at M), all clubs active at M, or the earlier clubs
  (active the day before the phase started; numerator: those still active at M).

The work is set-based: one aggregate query over members grouped by club (conditional
aggregation, with correlated subqueries per relation so that no join multiplies rows), one query
over clubs, and a fixed number of queries per target, whatever the number of clubs.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clubs.models import Club, Commune, Era, Province
from loans.models import IncomeOutcome, Loan
from members.models import POOR_STATUSES, HouseholdAssessment, Member, Sex
from training.models import Attendance, MonitoringVisit

from .models import (
    SHARE_TARGET_METRICS,
    Criterion,
    Metric,
    Phase,
    ProvinceTarget,
    Target,
    TargetMetric,
)


class ComplianceError(ValueError):
    """Raised for a date no phase covers, an unknown phase or an unknown province."""


# --------------------------------------------------------------------------- helpers


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` minus ``months`` calendar months; the 29–31st clamp to the month's last day."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def older_q(threshold: int, day: datetime.date, prefix: str = "") -> Q:
    """Members aged ``threshold`` or more in completed years on ``day``.

    A member born on (y, m, d) is that old when y < Y, or y = Y and (m, d) <= (D.month, D.day),
    with Y = D.year - threshold; missing month and day count as 1 (born 1 January).
    """
    year = day.year - threshold
    p = prefix
    return (
        Q(**{f"{p}birth_year__lt": year})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month__isnull": True})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month__lt": day.month})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month": day.month, f"{p}birth_day__isnull": True})
        | Q(**{f"{p}birth_year": year, f"{p}birth_month": day.month, f"{p}birth_day__lte": day.day})
    )


def active_members_q(day: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return Q(**{f"{p}joined_on__lte": day}) & (
        Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gt": day})
    )


def active_clubs_q(day: datetime.date, prefix: str = "") -> Q:
    p = prefix
    return Q(**{f"{p}founded_on__lte": day}) & (
        Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": day})
    )


def share_string(value: Fraction | None, places: int = 4) -> str | None:
    """An exact fraction as a decimal string rounded half-up (``Fraction(2, 3)`` → ``"0.6667"``)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            quantum, rounding=ROUND_HALF_UP
        )
    )


def _fraction(value) -> Fraction | None:
    return None if value is None else Fraction(Decimal(value))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Gap:
    """What it would take to pass: ``more`` of the needed kind joining, or ``fewer`` of the
    other kind leaving (DESIGN §2); either may be ``None`` when no such change can pass."""

    more: int | None
    fewer: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"more": self.more, "fewer": self.fewer, "reason": self.reason}


@dataclass(frozen=True)
class CriterionResult:
    """One criterion for one club at D. ``count`` is the number of members of the needed kind
    (active members for the size criterion; ``None`` for trained and monitored); ``share`` is
    ``count / active`` as a ``Fraction`` (``None`` with no active members)."""

    code: str
    label: str
    metric: str
    count: int | None
    share: Fraction | None
    passed: bool
    gap: Gap | None = None
    trained: bool | None = None
    monitored: bool | None = None
    last_visit: datetime.date | None = None

    def as_dict(self) -> dict:
        if self.metric == Metric.TRAINED_MONITORED:
            return {
                "trained": self.trained,
                "monitored": self.monitored,
                "last_visit": self.last_visit.isoformat() if self.last_visit else None,
                "pass": self.passed,
                "gap": self.gap.as_dict() if self.gap else None,
            }
        return {
            "count": self.count,
            "share": share_string(self.share),
            "pass": self.passed,
            "gap": self.gap.as_dict() if self.gap else None,
        }


@dataclass
class ClubResult:
    """One active club at D: its counts, each criterion's result and overall compliance."""

    id: int
    code: str
    name: str
    province_code: str
    province_name: str
    founded_on: datetime.date
    active_members: int
    older_members: int
    women: int
    poor: int
    borrowed: int
    criteria: dict[str, CriterionResult]
    compliant: bool

    @property
    def failing(self) -> list[CriterionResult]:
        return [c for c in self.criteria.values() if not c.passed]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "province": self.province_code,
            "founded_on": self.founded_on.isoformat(),
            "active_members": self.active_members,
            "older_members": self.older_members,
            "criteria": {code: c.as_dict() for code, c in self.criteria.items()},
            "compliant": self.compliant,
        }


@dataclass
class Totals:
    """Sums over a set of clubs (a province, or the nation)."""

    active_clubs: int = 0
    active_members: int = 0
    older_members: int = 0
    compliant_clubs: int = 0
    trained_and_monitored_clubs: int = 0
    passing: dict[str, int] = field(default_factory=dict)

    def add(self, club: ClubResult, trained_code: str | None):
        self.active_clubs += 1
        self.active_members += club.active_members
        self.older_members += club.older_members
        self.compliant_clubs += club.compliant
        if trained_code and club.criteria[trained_code].passed:
            self.trained_and_monitored_clubs += 1
        for code, result in club.criteria.items():
            self.passing[code] = self.passing.get(code, 0) + result.passed

    @property
    def compliant_share(self) -> Fraction | None:
        return Fraction(self.compliant_clubs, self.active_clubs) if self.active_clubs else None

    @property
    def trained_and_monitored_share(self) -> Fraction | None:
        if not self.active_clubs:
            return None
        return Fraction(self.trained_and_monitored_clubs, self.active_clubs)

    def pass_share(self, code: str) -> Fraction | None:
        if not self.active_clubs:
            return None
        return Fraction(self.passing.get(code, 0), self.active_clubs)

    def as_dict(self) -> dict:
        return {
            "active_clubs": self.active_clubs,
            "active_members": self.active_members,
            "older_members": self.older_members,
            "compliant_clubs": self.compliant_clubs,
            "compliant_share": share_string(self.compliant_share),
            "trained_and_monitored_clubs": self.trained_and_monitored_clubs,
            "trained_and_monitored_share": share_string(self.trained_and_monitored_share),
            "passing": dict(self.passing),
        }


@dataclass
class ProvinceResult(Totals):
    code: str = ""
    name: str = ""
    province_id: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, **super().as_dict()}


@dataclass
class TargetResult:
    """A programme target at M: ``actual`` (an int, or a ``Fraction`` for share metrics)
    against ``target`` (an int or ``Fraction``); ``reached`` = actual ÷ target."""

    code: str
    label: str
    metric: str
    target: int | Fraction
    actual: int | Fraction
    comparison: str
    measured_on: datetime.date
    numerator: int | None = None
    denominator: int | None = None

    @property
    def is_share(self) -> bool:
        return self.metric in SHARE_TARGET_METRICS

    @property
    def reached(self) -> Fraction:
        return Fraction(self.actual) / Fraction(self.target)

    @property
    def met(self) -> bool:
        if self.comparison == Target.Comparison.MORE_THAN:
            return self.actual > self.target
        return self.actual >= self.target

    def as_dict(self) -> dict:
        def number(value):
            return share_string(value) if self.is_share else int(value)

        return {
            "code": self.code,
            "label": self.label,
            "metric": self.metric,
            "comparison": self.comparison,
            "target": number(self.target),
            "actual": number(self.actual),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reached": share_string(self.reached),
            "met": self.met,
            "measured_on": self.measured_on.isoformat(),
        }


@dataclass
class ProvinceTargetResult:
    """A province's own phase targets (clubs, members founded in the phase) against actuals."""

    province_code: str
    province_name: str
    target_clubs: int | None
    target_members: int | None
    clubs: int
    members: int

    @property
    def clubs_reached(self) -> Fraction | None:
        return Fraction(self.clubs, self.target_clubs) if self.target_clubs else None

    @property
    def members_reached(self) -> Fraction | None:
        return Fraction(self.members, self.target_members) if self.target_members else None

    @property
    def below_target(self) -> bool:
        return (self.target_clubs is not None and self.clubs < self.target_clubs) or (
            self.target_members is not None and self.members < self.target_members
        )

    def as_dict(self) -> dict:
        return {
            "province": self.province_code,
            "name": self.province_name,
            "target_clubs": self.target_clubs,
            "actual_clubs": self.clubs,
            "clubs_reached": share_string(self.clubs_reached),
            "target_members": self.target_members,
            "actual_members": self.members,
            "members_reached": share_string(self.members_reached),
            "below_target": self.below_target,
        }


@dataclass
class ComplianceReport:
    """Everything computed for one as-of date: see :func:`compute`."""

    as_of: datetime.date
    phase: Phase
    era: str
    criteria: list[Criterion]
    clubs: list[ClubResult]
    provinces: list[ProvinceResult]
    national: Totals
    provinces_with_clubs: int
    targets: list[TargetResult]
    province_targets: list[ProvinceTargetResult]
    trained_code: str | None

    def club(self, code: str) -> ClubResult | None:
        return next((c for c in self.clubs if c.code == code), None)

    def as_dict(self) -> dict:
        national = self.national.as_dict()
        national["provinces_with_clubs"] = self.provinces_with_clubs
        return {
            "as_of": self.as_of.isoformat(),
            "phase": self.phase.code,
            "era": self.era,
            "criteria": [
                {"code": c.code, "label": c.label, "metric": c.metric} for c in self.criteria
            ],
            "clubs": [c.as_dict() for c in self.clubs],
            "provinces": [p.as_dict() for p in self.provinces],
            "national": national,
            "targets": [t.as_dict() for t in self.targets],
            "province_targets": [t.as_dict() for t in self.province_targets],
        }


# --------------------------------------------------------------------------- gaps


def _kind_word(metric: str, needed: bool, n: int, age: int | None, require_improved: bool) -> str:
    """The translated name of ``n`` members of the needed kind (``needed``) or of the other
    kind of a share criterion ("3 nữ" / "3 women", "1 nam" / "1 man")."""
    if metric == Metric.OLDER:
        if needed:
            return ngettext("người cao tuổi", "người cao tuổi", n)
        return ngettext("người dưới %(age)s tuổi", "người dưới %(age)s tuổi", n) % {"age": age}
    if metric == Metric.WOMEN:
        return ngettext("nữ", "nữ", n) if needed else ngettext("nam", "nam", n)
    if metric == Metric.POOR:
        if needed:
            return ngettext(
                "thành viên nghèo, cận nghèo hoặc khó khăn",
                "thành viên nghèo, cận nghèo hoặc khó khăn",
                n,
            )
        return ngettext("thành viên khác", "thành viên khác", n)
    if require_improved:
        if needed:
            return ngettext(
                "thành viên vay vốn có thu nhập cải thiện",
                "thành viên vay vốn có thu nhập cải thiện",
                n,
            )
        return ngettext("thành viên chưa đạt", "thành viên chưa đạt", n)
    if needed:
        return ngettext("thành viên vay vốn", "thành viên vay vốn", n)
    return ngettext("thành viên chưa vay", "thành viên chưa vay", n)


def share_gap(count: int, active: int, low: Fraction | None, high: Fraction | None):
    """``(more, fewer, side)`` for a failing share ``count / active`` against inclusive bounds
    ``low``..``high``, or ``None`` when it passes.

    Below ``low``: ``more`` members of the needed kind joining, or ``fewer`` of the other kind
    leaving. Above ``high``: ``more`` of the other kind joining, or ``fewer`` of the needed
    kind leaving (DESIGN §2: women 29 of 50 against 60% → 3 more women or 2 fewer men; women 36
    of 50 against 70% → 2 more men or 4 fewer women). ``side`` is ``"low"`` or ``"high"``.
    """
    if low is not None and count * low.denominator < low.numerator * active:
        a, b = low.numerator, low.denominator
        more = -(-(a * active - b * count) // (b - a)) if a < b else None
        fewer = active - (count * b) // a if count else None
        return more, fewer, "low"
    if high is not None and count * high.denominator > high.numerator * active:
        c, d = high.numerator, high.denominator
        more = -(-(count * d) // c) - active if c > 0 else None
        fewer = -(-(count * d - c * active) // (d - c)) if c < d else None
        return more, fewer, "high"
    return None


class Rule:
    """A criterion prepared for evaluating many clubs: exact bounds and translated texts,
    computed once (translation lookups are far slower than the arithmetic)."""

    def __init__(self, criterion: Criterion):
        self.criterion = criterion
        self.base = {"code": criterion.code, "label": criterion.label, "metric": criterion.metric}
        self.low = _fraction(criterion.min_share)
        self.high = _fraction(criterion.max_share)
        self.no_members = Gap(None, None, _("Không có thành viên đang sinh hoạt"))
        self.need = _("Cần %(what)s")
        self.or_ = _(" hoặc ")
        self.more = _("thêm %(n)s %(kind)s")
        self.fewer = _("bớt %(n)s %(kind)s")
        self.more_members = _("Cần thêm %(n)s thành viên")
        self.fewer_members = _("Cần bớt %(n)s thành viên")
        self.not_trained = _("chưa được tập huấn")
        self.not_monitored = _("không được giám sát trong %(n)s tháng qua") % {
            "n": criterion.monitoring_months
        }
        self.club_reason = _("CLB %(r)s")
        self.and_ = _(" và ")
        if criterion.metric in (Metric.OLDER, Metric.WOMEN, Metric.POOR, Metric.BORROWED):
            self._kinds = {}

    def window_start(self, day: datetime.date) -> datetime.date:
        """The day before the monitoring window (D minus N calendar months)."""
        if getattr(self, "_window_day", None) != day:
            self._window_day = day
            self._window = months_before(day, self.criterion.monitoring_months)
        return self._window

    def kind(self, needed: bool, n: int) -> str:
        """The translated kind word for ``n`` people, cached (see :func:`_kind_word`)."""
        key = (needed, n if n < 3 else 3)  # the plural form is settled from 3 on
        word = self._kinds.get(key)
        if word is None:
            c = self.criterion
            word = self._kinds[key] = _kind_word(
                c.metric, needed, n, c.age_threshold, c.require_improved
            )
        return word

    def gap_reason(self, more, fewer, side) -> str:
        # Below the bound: more of the needed kind, or fewer of the other; above: the reverse.
        more_needed = side != "high"
        parts = []
        if more is not None:
            parts.append(self.more % {"n": more, "kind": self.kind(more_needed, more)})
        if fewer is not None:
            parts.append(self.fewer % {"n": fewer, "kind": self.kind(not more_needed, fewer)})
        return self.need % {"what": self.or_.join(parts)}


# --------------------------------------------------------------------------- evaluation


def evaluate_criterion(
    criterion: Criterion, counts: dict, day: datetime.date, rule: Rule | None = None
) -> CriterionResult:
    """Evaluate one criterion from a club's counts at ``day``.

    ``counts`` holds ``active``, ``women``, ``older_<age>``, ``poor``, ``borrowed``,
    ``borrowed_improved``, ``trained`` (bool) and ``last_visit`` (date or None). ``rule`` is the
    criterion prepared once for many clubs (``Rule(criterion)``).
    """
    rule = rule or Rule(criterion)
    active = counts["active"]
    base = rule.base

    if criterion.metric == Metric.TRAINED_MONITORED:
        trained = bool(counts["trained"])
        last_visit = counts["last_visit"]
        window_start = rule.window_start(day)
        monitored = last_visit is not None and window_start < last_visit <= day
        passed = trained and monitored and active > 0
        gap = None
        if not passed:
            if active == 0:
                gap = rule.no_members
            else:
                reasons = []
                if not trained:
                    reasons.append(rule.not_trained)
                if not monitored:
                    reasons.append(rule.not_monitored)
                gap = Gap(None, None, rule.club_reason % {"r": rule.and_.join(reasons)})
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

    if criterion.metric == Metric.ACTIVE_MEMBERS:
        low, high = criterion.min_count, criterion.max_count
        passed = active > 0 and (low is None or active >= low) and (high is None or active <= high)
        gap = None
        if active == 0:
            gap = rule.no_members
        elif not passed:
            if low is not None and active < low:
                gap = Gap(low - active, None, rule.more_members % {"n": low - active})
            else:
                gap = Gap(None, active - high, rule.fewer_members % {"n": active - high})
        return CriterionResult(**base, count=active, share=None, passed=passed, gap=gap)

    if criterion.metric == Metric.OLDER:
        count = counts[f"older_{criterion.age_threshold}"]
    elif criterion.metric == Metric.BORROWED:
        count = counts["borrowed_improved" if criterion.require_improved else "borrowed"]
    else:
        count = counts[criterion.metric]  # women, poor
    if active == 0:
        return CriterionResult(**base, count=0, share=None, passed=False, gap=rule.no_members)
    found = share_gap(count, active, rule.low, rule.high)
    gap = None
    if found is not None:
        more, fewer, side = found
        gap = Gap(more, fewer, rule.gap_reason(more, fewer, side))
    return CriterionResult(
        **base, count=count, share=Fraction(count, active), passed=found is None, gap=gap
    )


def _age_thresholds(criteria, targets) -> list[int]:
    ages = {c.age_threshold for c in criteria if c.metric == Metric.OLDER}
    ages |= {t.age_threshold for t in targets if t.age_threshold}
    return sorted(ages) or [60]


def _member_counts(club_ids, day: datetime.date, ages: list[int]) -> dict[int, dict]:
    """Counts of the active members of ``club_ids`` (a queryset of club ids), by club id:
    active, women, older per age, poor, borrowed, borrowed_improved.

    Four aggregate queries grouped by club, each over one relation, so that no join multiplies
    member rows: members (conditional aggregation), the latest household assessment on or
    before ``day`` of each member (an anti-join on later assessments), and members with a loan
    (a semi-join), with and without an improved outcome.
    """
    members = Member.objects.filter(active_members_q(day), club_id__in=club_ids).order_by()
    aggregates = {"active": Count("pk"), "women": Count("pk", filter=Q(sex=Sex.FEMALE))}
    for age in ages:
        aggregates[f"older_{age}"] = Count("pk", filter=older_q(age, day))
    counts = {row.pop("club_id"): row for row in members.values("club_id").annotate(**aggregates)}
    for row in counts.values():
        row.update(poor=0, borrowed=0, borrowed_improved=0)

    later_assessment = HouseholdAssessment.objects.filter(
        member=OuterRef("member"), assessed_on__gt=OuterRef("assessed_on"), assessed_on__lte=day
    )
    poor = (
        HouseholdAssessment.objects.filter(
            active_members_q(day, "member__"),
            member__club_id__in=club_ids,
            assessed_on__lte=day,
            status__in=POOR_STATUSES,
        )
        .exclude(Exists(later_assessment))
        .order_by()
        .values("member__club_id")
        .annotate(n=Count("pk"))
        .values_list("member__club_id", "n")
    )
    loans = Loan.objects.filter(member=OuterRef("pk"), disbursed_on__lte=day)
    improved = loans.filter(income_outcome=IncomeOutcome.IMPROVED, outcome_assessed_on__lte=day)
    for key, rows in (
        ("poor", poor),
        ("borrowed", members.filter(Exists(loans)).values("club_id")),
        ("borrowed_improved", members.filter(Exists(improved)).values("club_id")),
    ):
        if key != "poor":
            rows = rows.annotate(n=Count("pk")).values_list("club_id", "n")
        for club_id, n in rows:
            counts[club_id][key] = n
    return counts


def _empty_counts(ages) -> dict:
    counts = {"active": 0, "women": 0, "poor": 0, "borrowed": 0, "borrowed_improved": 0}
    counts.update({f"older_{a}": 0 for a in ages})
    return counts


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
            _("Ngày %(day)s không thuộc giai đoạn nào của đề án.")
            % {"day": day.strftime("%d/%m/%Y")}
        )
    return found


def province_filter(province: Province, day: datetime.date, prefix: str = "") -> Q:
    """Clubs that belong to ``province`` in the units of ``day``'s era."""
    if province.era == Era.PRE2025:
        return Q(**{f"{prefix}founding_commune__province": province})
    return Q(**{f"{prefix}province": province})


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


def compute(
    as_of: datetime.date,
    *,
    phase: Phase | str | None = None,
    clubs=None,
    province: Province | None = None,
    with_targets: bool = True,
) -> ComplianceReport:
    """Compute compliance at ``as_of`` (a ``date``).

    ``clubs`` is an optional queryset of ``Club`` (already scoped with ``for_user``); the
    default is every club. ``province`` (a ``Province`` of ``as_of``'s era) narrows to that
    province, and then national programme targets are not computed (``targets`` is empty) but
    the province's own targets are. ``phase`` picks the phase (default: the one containing
    ``as_of``). Raises ``ComplianceError`` when no phase covers ``as_of``.

    Returns a :class:`ComplianceReport`: clubs active at ``as_of`` sorted by code, provinces
    with active clubs sorted by code (in the units of ``as_of``'s era), national totals, the
    phase's targets and the province targets.
    """
    phase = resolve_phase(as_of, phase)
    era = Era.of(as_of)
    criteria = list(phase.criteria.all())
    targets = list(phase.targets.all()) if with_targets and province is None else []
    for row in (*criteria, *targets):
        row.label = _(row.label)  # seeded labels read in the interface's language
    ages = _age_thresholds(criteria, targets)
    older_age = next((c.age_threshold for c in criteria if c.metric == Metric.OLDER), ages[0])
    trained_code = next((c.code for c in criteria if c.metric == Metric.TRAINED_MONITORED), None)
    trained_window = next(
        (c.monitoring_months for c in criteria if c.metric == Metric.TRAINED_MONITORED), 12
    )

    rules = {c.code: Rule(c) for c in criteria}
    base = Club.objects.all() if clubs is None else clubs
    if province is not None:
        base = base.filter(province_filter(province, as_of))
    active = base.filter(active_clubs_q(as_of))
    province_path = "founding_commune__province" if era == Era.PRE2025 else "province"
    club_rows = list(
        active.order_by("code").values(
            "id",
            "code",
            "name",
            "founded_on",
            pcode=F(f"{province_path}__code"),
            pname=F(f"{province_path}__short_name"),
            pid=F(f"{province_path}__id"),
            trained=Exists(
                Attendance.objects.filter(club=OuterRef("pk"), session__held_on__lte=as_of)
            ),
            last_visit=Subquery(
                MonitoringVisit.objects.filter(
                    club=OuterRef("pk"),
                    visited_on__lte=as_of,
                    visited_on__gt=months_before(as_of, trained_window),
                )
                .order_by()
                .values("club")
                .annotate(m=Max("visited_on"))
                .values("m")
            ),
        )
    )
    counts_by_club = _member_counts(active.values("id"), as_of, ages)

    results: list[ClubResult] = []
    provinces: dict[str, ProvinceResult] = {}
    national = Totals()
    for row in club_rows:
        counts = counts_by_club.get(row["id"]) or _empty_counts(ages)
        counts["trained"] = row["trained"]
        counts["last_visit"] = row["last_visit"]
        evaluated = {c.code: evaluate_criterion(c, counts, as_of, rules[c.code]) for c in criteria}
        club = ClubResult(
            id=row["id"],
            code=row["code"],
            name=row["name"],
            province_code=row["pcode"],
            province_name=row["pname"],
            founded_on=row["founded_on"],
            active_members=counts["active"],
            older_members=counts[f"older_{older_age}"],
            women=counts["women"],
            poor=counts["poor"],
            borrowed=counts["borrowed"],
            criteria=evaluated,
            compliant=all(r.passed for r in evaluated.values()),
        )
        results.append(club)
        national.add(club, trained_code)
        bucket = provinces.get(row["pcode"])
        if bucket is None:
            bucket = provinces[row["pcode"]] = ProvinceResult(
                code=row["pcode"], name=row["pname"], province_id=row["pid"]
            )
        bucket.add(club, trained_code)

    target_results = [_measure_target(t, phase, as_of, base) for t in targets]
    province_targets = _province_targets(phase, as_of, base, province)
    return ComplianceReport(
        as_of=as_of,
        phase=phase,
        era=era,
        criteria=criteria,
        clubs=results,
        provinces=[provinces[k] for k in sorted(provinces)],
        national=national,
        provinces_with_clubs=len(provinces),
        targets=target_results,
        province_targets=province_targets,
        trained_code=trained_code,
    )


def measured_on(phase: Phase, as_of: datetime.date) -> datetime.date:
    """Targets are measured at the earlier of the as-of date and the phase end."""
    return min(as_of, phase.ends_on)


def _cohort(clubs, phase: Phase, day: datetime.date):
    return clubs.filter(
        active_clubs_q(day), founded_on__gte=phase.starts_on, founded_on__lte=phase.ends_on
    )


def _measure_target(target: Target, phase: Phase, as_of: datetime.date, clubs) -> TargetResult:
    day = measured_on(phase, as_of)
    era = Era.of(day)
    province_path = "founding_commune__province" if era == Era.PRE2025 else "province"
    metric = target.metric
    value = Fraction(Decimal(target.value))
    numerator = denominator = None
    if metric == TargetMetric.COHORT_CLUBS:
        actual = _cohort(clubs, phase, day).count()
    elif metric == TargetMetric.COHORT_PROVINCES:
        actual = _cohort(clubs, phase, day).values(province_path).distinct().count()
    elif metric in (TargetMetric.COHORT_MEMBERS, TargetMetric.COHORT_OLDER_MEMBERS):
        members = Member.objects.filter(active_members_q(day), club__in=_cohort(clubs, phase, day))
        if metric == TargetMetric.COHORT_OLDER_MEMBERS:
            members = members.filter(older_q(target.age_threshold, day))
        actual = members.count()
    elif metric == TargetMetric.PROVINCE_SHARE:
        numerator = clubs.filter(active_clubs_q(day)).values(province_path).distinct().count()
        denominator = Province.objects.filter(era=era).count()
        actual = Fraction(numerator, denominator)
    elif metric == TargetMetric.COMMUNE_COVERAGE:
        commune_path = "founding_commune" if era == Era.PRE2025 else "commune"
        numerator = (
            clubs.filter(active_clubs_q(day), **{f"{commune_path}__isnull": False})
            .values(commune_path)
            .distinct()
            .count()
        )
        denominator = Commune.objects.filter(era=era).count()
        actual = Fraction(numerator, denominator)
    elif metric == TargetMetric.EARLIER_CLUBS_ACTIVE:
        earlier = clubs.filter(active_clubs_q(phase.starts_on - datetime.timedelta(days=1)))
        denominator = earlier.count()
        numerator = earlier.filter(active_clubs_q(day)).count()
        actual = Fraction(numerator, denominator) if denominator else Fraction(1)
    elif metric == TargetMetric.TRAINED_MONITORED_SHARE:
        window = next(
            (
                c.monitoring_months
                for c in phase.criteria.all()
                if c.metric == Metric.TRAINED_MONITORED
            ),
            12,
        )
        active = clubs.filter(active_clubs_q(day))
        denominator = active.count()
        # The same rule as the criterion: a club with no active members does not pass.
        numerator = active.filter(
            Exists(Member.objects.filter(active_members_q(day), club=OuterRef("pk"))),
            Exists(Attendance.objects.filter(club=OuterRef("pk"), session__held_on__lte=day)),
            Exists(
                MonitoringVisit.objects.filter(
                    club=OuterRef("pk"),
                    visited_on__lte=day,
                    visited_on__gt=months_before(day, window),
                )
            ),
        ).count()
        actual = Fraction(numerator, denominator) if denominator else Fraction(0)
    else:  # pragma: no cover - guarded by the model's check constraint
        raise ComplianceError(f"unknown target metric {metric}")
    return TargetResult(
        code=target.code,
        label=target.label,
        metric=metric,
        target=value if target.metric in SHARE_TARGET_METRICS else int(value),
        actual=actual,
        comparison=target.comparison,
        measured_on=day,
        numerator=numerator,
        denominator=denominator,
    )


def _province_targets(phase, as_of, clubs, province) -> list[ProvinceTargetResult]:
    """Each province target of ``phase`` (or only ``province``'s) against the cohort clubs and
    their active members at M, counted in the units of the target province's era."""
    day = measured_on(phase, as_of)
    rows = ProvinceTarget.objects.filter(phase=phase).select_related("province")
    if province is not None:
        rows = rows.filter(
            Q(province=province) | Q(province__successor=province) | Q(province=province.successor)
        )
    rows = list(rows.order_by("province__code"))
    if not rows:
        return []
    cohort = _cohort(clubs, phase, day)
    by_era = {}
    for era, path in ((Era.PRE2025, "founding_commune__province"), (Era.POST2025, "province")):
        if any(r.province.era == era for r in rows):
            club_counts = dict(
                cohort.order_by().values(path).annotate(n=Count("pk")).values_list(path, "n")
            )
            member_counts = dict(
                Member.objects.filter(active_members_q(day), club__in=cohort)
                .order_by()
                .values(f"club__{path}")
                .annotate(n=Count("pk"))
                .values_list(f"club__{path}", "n")
            )
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


def province_target_progress(
    as_of: datetime.date, province: Province, *, clubs=None, phase=None
) -> tuple[Phase, list[ProvinceTargetResult]]:
    """The phase at ``as_of`` and ``province``'s own targets in it against its actuals, without
    evaluating every club (a few queries; for a club page). Raises ``ComplianceError`` when no
    phase covers ``as_of``."""
    phase = resolve_phase(as_of, phase)
    base = Club.objects.all() if clubs is None else clubs
    return phase, _province_targets(phase, as_of, base, province)


def club_compliance(club: Club, as_of: datetime.date, phase=None) -> ClubResult | None:
    """The compliance of one club at ``as_of`` (``None`` when it is not active then)."""
    report = compute(as_of, phase=phase, clubs=Club.objects.filter(pk=club.pk), with_targets=False)
    return report.clubs[0] if report.clubs else None
