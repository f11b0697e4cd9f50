"""Whether a planned club comes out as designed, judged by the compliance engine itself.

A plan is checked at the phase ends since its first year and today. At each date D the
criteria are those of the phase whose standard applies: the phase containing D (where two
overlap, the later-started one) and, today, also the phase of the club's founding date (a
report of its own phase). The engine's ``evaluate_criterion`` evaluates each criterion row on
counts of the planned members at D (the same counts as the engine's queries over stored data);
the outcome must match the club's designed failures (``designed_to_fail``).

Training and monitoring are seeded separately and designed by the flags ``not_trained`` and
``not_monitored``, so the "trained and monitored" criterion is not checked here.
"""

import datetime

from common.dates import age_on, is_active
from common.formats import day as format_day
from loans.models import IncomeOutcome
from members.models import POOR_STATUSES, Sex, status_at
from reporting.compliance import evaluate_criterion
from reporting.models import Criterion, Metric, Phase

from .plans import plan_members

#: Members are checked once the club has run for this long (a new club is still recruiting).
SETTLING = datetime.timedelta(days=365)


class Standards:
    """The phases and their quality criteria, read once: a handful of rows."""

    def __init__(self):
        self.phases = list(Phase.objects.order_by("starts_on"))
        self.criteria = {p.pk: [] for p in self.phases}
        for criterion in Criterion.objects.order_by("phase", "order", "code"):
            self.criteria.setdefault(criterion.phase_id, []).append(criterion)
        self.ages = sorted(
            {
                c.age_threshold
                for rows in self.criteria.values()
                for c in rows
                if c.metric == Metric.OLDER
            }
        )
        self._phase_of = {}

    def phase_of(self, day: datetime.date) -> Phase | None:
        """The phase containing ``day`` (``Phase.objects.containing``), remembered per date."""
        if day not in self._phase_of:
            self._phase_of[day] = Phase.objects.containing(day)
        return self._phase_of[day]

    def member_criteria(self, phase: Phase) -> list[Criterion]:
        """The criteria of ``phase`` this module checks: all but "trained and monitored"."""
        return [c for c in self.criteria[phase.pk] if c.metric != Metric.TRAINED_MONITORED]


def planned_counts(members, day: datetime.date, ages) -> dict:
    """The counts ``evaluate_criterion`` reads, of the planned ``members`` active at ``day``.

    As the engine counts stored data: ``women``; ``older_<age>`` aged ``age`` or more in
    completed years; ``poor`` whose household status at ``day`` is poor, near-poor or
    disadvantaged; ``borrowed`` with a loan disbursed on or before ``day``; ``borrowed_improved``
    with such a loan whose income outcome, assessed on or before ``day``, is "improved". The
    club counts as trained and monitored (``trained``, ``last_visit``): not checked here.
    """
    active = [m for m in members if is_active(m.joined, m.left, day)]
    ages_at = [age_on(day, *m.birth) for m in active]
    counts = {
        "active": len(active),
        "women": sum(m.sex == Sex.FEMALE for m in active),
        "poor": sum(status_at(m.statuses, day) in POOR_STATUSES for m in active),
        "borrowed": sum(any(loan.disbursed <= day for loan in m.loans) for m in active),
        "borrowed_improved": sum(
            any(
                loan.disbursed <= day
                and loan.outcome == IncomeOutcome.IMPROVED
                and loan.assessed is not None
                and loan.assessed <= day
                for loan in m.loans
            )
            for m in active
        ),
        "trained": True,
        "last_visit": day,
    }
    for age in ages:
        counts[f"older_{age}"] = sum(a >= age for a in ages_at)
    return counts


def designed_to_fail(flags, criterion: Criterion, day: datetime.date, today: datetime.date):
    """Whether a club with ``flags`` is designed to fail ``criterion`` at ``day``."""
    metric = criterion.metric
    if metric == Metric.ACTIVE_MEMBERS:
        return "size_small" in flags and day == today
    if metric == Metric.WOMEN:
        return "women" in flags
    if metric == Metric.OLDER:
        return "older" in flags
    if metric == Metric.POOR:
        return "poor" in flags
    if metric == Metric.BORROWED:
        return "borrowed_low" in flags or ("improved_low" in flags and criterion.require_improved)
    raise ValueError(f"no design for the criterion metric {metric!r}")


def checks_for(spec, today: datetime.date, standards: Standards):
    """The (date, phase, criteria) at which the club's criteria must come out as designed.

    The club's size is kept within the size criterion of today's standard at every date, so
    that its history reads plausibly in any report (``size_small`` excepted today): where the
    phase of a date has no size criterion, today's is checked too.
    """
    today_phase = standards.phase_of(today)
    sizes = [
        c
        for c in (standards.member_criteria(today_phase) if today_phase else [])
        if c.metric == Metric.ACTIVE_MEMBERS
    ]

    def active(day):
        return is_active(spec.founded_on, spec.dissolved_on, day)

    dates = sorted({p.ends_on for p in standards.phases})
    pairs = [
        (day, standards.phase_of(day))
        for day in dates
        if day <= today and day >= spec.founded_on + SETTLING and active(day)
    ]
    if active(today):
        pairs += [(today, today_phase), (today, standards.phase_of(spec.founded_on))]
    checks, seen = [], set()
    for day, phase in pairs:
        if phase is None or (day, phase.pk) in seen:
            continue
        seen.add((day, phase.pk))
        criteria = standards.member_criteria(phase)
        if not any(c.metric == Metric.ACTIVE_MEMBERS for c in criteria):
            criteria = criteria + sizes
        checks.append((day, phase, criteria))
    return checks


def mismatches(members, flags, checks, today: datetime.date, ages) -> list[str]:
    """The checks at which ``members`` do not come out as designed: ``"31/12/2020
    (2018-2020): poor, women"`` naming the criteria that passed or failed against design."""
    found = []
    for day, phase, criteria in checks:
        counts = planned_counts(members, day, ages)
        wrong = [
            c.code
            for c in criteria
            if evaluate_criterion(c, counts, day).passed == designed_to_fail(flags, c, day, today)
        ]
        if wrong:
            found.append(f"{format_day(day)} ({phase.code}): {', '.join(sorted(wrong))}")
    return found


def plan_as_designed(rng, spec, end, region, today, standards: Standards, tries=300):
    """Draw members until the club's criteria come out as designed at every check
    (``checks_for``). Returns (plan, tries, misses): the misses of the last plan drawn."""
    checks = checks_for(spec, today, standards)
    attempt = 0
    while attempt < tries:
        attempt += 1
        plan = plan_members(rng, spec, end, region)
        misses = mismatches(plan, spec.flags, checks, today, standards.ages)
        if not misses:
            break
    return plan, attempt, misses
