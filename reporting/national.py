"""The national figures as the sum of the provinces' own.

Every club is in exactly one new-era province (``Club.province``; an old province merged whole
into one), so the national report is the sum of one part per province: its provinces' results
(in the units of the as-of date's era), its totals, the raw measure of each target
(``reporting.targets.target_measure``), its province targets' counts, its commune coverage
and its quarterly series. Each part is cached on its own province's data version, so after a
write into one province the national figures cost that province's part, and the sum.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.cache import cache

from clubs.models import Club

from .cache import cache_key_for, province_versions
from .compliance import compute
from .results import CommuneCoverage, ComplianceReport, Totals
from .series import QuarterPoint, quarterly_series
from .targets import combine_measures

TIMEOUT = 24 * 3600


def _part(as_of: datetime.date, phase, province_id: int):
    clubs = Club.objects.filter(province_id=province_id)
    report = compute(as_of, phase=phase, clubs=clubs, details=False)
    return report, quarterly_series(as_of, clubs)


def national_report(as_of: datetime.date, phase) -> tuple[ComplianceReport, list[QuarterPoint]]:
    """The national compliance report at ``as_of`` (no per-club results, as
    ``compute(..., details=False)`` gives) and the quarterly series, summed from the provinces'
    cached parts; the parts of provinces written since are computed again."""
    versions = province_versions()
    keys = {
        pid: cache_key_for(("nation-part", as_of.isoformat(), phase.code, pid), version)
        for pid, version in versions.items()
    }
    found = cache.get_many(list(keys.values()))
    parts = []
    for pid, key in sorted(keys.items()):
        part = found.get(key)
        if part is None:
            part = _part(as_of, phase, pid)
            cache.set(key, part, TIMEOUT)
        parts.append(part)
    if not parts:  # no club at all: the engine's own empty report
        report = compute(as_of, phase=phase, details=False)
        return report, quarterly_series(as_of, Club.objects.none())
    return _combine([r for r, _s in parts], as_of, phase), _sum_series([s for _r, s in parts])


def _combine(reports: list[ComplianceReport], as_of, phase) -> ComplianceReport:
    first = reports[0]
    national = Totals(
        trained_code=first.trained_code,
        older_members=None if first.national.older_members is None else 0,
    )
    provinces = []
    for r in reports:
        national.merge(r.national)
        provinces.extend(r.provinces)
    provinces.sort(key=lambda p: p.code)
    rows = {t.code: t for t in phase.targets.all()}
    targets = []
    for result in first.targets:  # every part measured the same targets
        row = rows[result.code]
        row.label = result.label  # as the engine showed it, in the interface's language
        targets.append(
            combine_measures(row, phase, as_of, [r.target_measures[row.code] for r in reports])
        )
    trained_code = first.trained_target.code if first.trained_target else None
    trained_target = next((t for t in targets if t.code == trained_code), None)
    province_targets = [dataclasses.replace(t) for t in first.province_targets]
    for r in reports[1:]:
        for total, other in zip(province_targets, r.province_targets, strict=True):
            total.clubs += other.clubs
            total.members += other.members
    coverage = first.coverage
    if coverage is not None:
        coverage_target = next((t for t in targets if t.metric == "commune_coverage"), None)
        coverage = CommuneCoverage(
            sum(r.coverage.communes for r in reports),
            coverage.total,
            coverage.measured_on,
            coverage_target,
        )
    return dataclasses.replace(
        first,
        clubs=[],
        provinces=provinces,
        national=national,
        provinces_with_clubs=len(provinces),
        targets=targets,
        province_targets=province_targets,
        trained_target=trained_target,
        coverage=coverage,
        target_measures={},
    )


def _sum_series(series: list[list[QuarterPoint]]) -> list[QuarterPoint]:
    first = series[0]
    return [
        QuarterPoint(
            day=p.day,
            clubs=sum(s[i].clubs for s in series),
            members=sum(s[i].members for s in series),
        )
        for i, p in enumerate(first)
    ]
