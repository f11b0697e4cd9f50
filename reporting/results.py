"""What the compliance engine returns (``reporting.compliance.compute``): per criterion, per
club, per province and nation, per target. Shares are exact ``Fraction`` values; ``as_dict``
gives the machine form (JSON, the ``compliance`` command) with shares as decimal strings and
dates in ISO form.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from common.formats import share_string

from .models import SHARE_TARGET_METRICS, Criterion, Metric, Phase, Target


@dataclass(frozen=True)
class Gap:
    """What it would take to pass: ``more`` of the needed kind joining, or ``fewer`` of the
    other kind leaving; either may be ``None`` when no such change can pass. ``reason`` says
    it in words."""

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
    gap: Gap | None = None  # a ``gaps.LazyGap`` where the engine made it
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
    """One active club at D: its counts, each criterion's result and overall compliance.
    ``older_members`` is ``None`` when the phase sets no age (no "older" criterion and no
    target with an age)."""

    id: int
    code: str
    name: str
    province_code: str
    province_name: str
    founded_on: datetime.date
    active_members: int
    older_members: int | None
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
    """Sums over a set of clubs (a province, or the nation). ``older_members`` is ``None``
    when the phase sets no age; ``trained_code`` is the code of the phase's "trained and
    monitored" criterion (``None`` without one)."""

    active_clubs: int = 0
    active_members: int = 0
    older_members: int | None = 0
    compliant_clubs: int = 0
    passing: dict[str, int] = field(default_factory=dict)
    trained_code: str | None = None

    def add(self, club: ClubResult):
        self.active_clubs += 1
        self.active_members += club.active_members
        if self.older_members is not None:
            self.older_members += club.older_members
        self.compliant_clubs += club.compliant
        for code, result in club.criteria.items():
            self.passing[code] = self.passing.get(code, 0) + result.passed

    def merge(self, other: Totals):
        """Add the sums of ``other``, of a disjoint set of clubs."""
        self.active_clubs += other.active_clubs
        self.active_members += other.active_members
        if self.older_members is not None:
            self.older_members += other.older_members or 0
        self.compliant_clubs += other.compliant_clubs
        for code, n in other.passing.items():
            self.passing[code] = self.passing.get(code, 0) + n

    @property
    def trained_and_monitored_clubs(self) -> int:
        """The clubs passing the "trained and monitored" criterion at D."""
        return self.passing.get(self.trained_code, 0) if self.trained_code else 0

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


@dataclass(frozen=True)
class CommuneCoverage:
    """Commune coverage at M (``measured_on``): ``communes`` with at least one active club of
    ``total`` communes, both in the units of M's era and of the report's scope (the nation or
    one province). ``target`` is the phase's ``commune_coverage`` target row at M when the
    phase carries one (national reports only), else ``None``."""

    communes: int
    total: int
    measured_on: datetime.date
    target: TargetResult | None = None

    @property
    def share(self) -> Fraction | None:
        """``communes / total`` as a fraction; ``None`` when there is no commune."""
        return Fraction(self.communes, self.total) if self.total else None

    def as_dict(self) -> dict:
        return {
            "communes": self.communes,
            "total": self.total,
            "share": share_string(self.share),
            "measured_on": self.measured_on.isoformat(),
            "target": self.target.as_dict() if self.target else None,
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
    """Everything computed for one as-of date: see ``reporting.compliance.compute``.

    ``targets`` are the phase's programme targets at M (national reports only);
    ``trained_target`` is the phase's "trained and monitored" share target at M over the
    report's clubs (a province's too), or ``None`` when the phase has no such target row;
    ``coverage`` is the commune coverage indicator at M (``None`` for a report computed
    without targets, such as one club's).
    """

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
    trained_target: TargetResult | None = None
    #: the phase's club-life targets at M over the report's clubs (national or one province's)
    club_life: list = field(default_factory=list)
    coverage: CommuneCoverage | None = None
    #: the raw measure of each target (``reporting.targets.target_measure``), by code, so that
    #: reports of disjoint sets of clubs add up (``reporting.national``)
    target_measures: dict = field(default_factory=dict)

    @property
    def monitoring_months(self) -> int | None:
        """The monitoring window of the phase's "trained and monitored" criterion, in months
        (``None`` when the phase has no such criterion)."""
        return next(
            (c.monitoring_months for c in self.criteria if c.metric == Metric.TRAINED_MONITORED),
            None,
        )

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
            "commune_coverage": self.coverage.as_dict() if self.coverage else None,
        }
