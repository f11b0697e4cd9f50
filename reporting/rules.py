"""The rules of the quality criteria and targets, for many clubs at once: query builders and
set-based counts over the model-level rules (``Club.active_q``, ``Member.active_q``,
``Member.aged_q``, ``HouseholdAssessment.objects.in_force_on``), and the one Python rule for
"trained and monitored".

Definitions (Decision 1533/QĐ-TTg, Article 1, §I.2, and the standards that followed it):

- Trained and monitored at D: the club took part in a training session held on or before D,
  and had a monitoring visit after D minus N calendar months and on or before D, N being the
  window of the phase's criterion row; a club with no active member does not pass.
- Household status at D: the latest assessment on or before D; none means "not poor".
- Borrowed at D: distinct active members with a loan disbursed on or before D (and, when the
  criterion requires it, an "improved" income outcome assessed on or before D); a member who
  moved club brings the loans of the rows of the person in the earlier clubs
  (``Member.transfer``), which count in the new club from the transfer date.
- Clubs of a phase (its cohort) at M: those whose founding date's phase it is (the
  later-started one where two overlap), active at M.

Every count here is one aggregate query grouped by club, whatever the number of clubs.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from clubs.models import Club
from common.dates import months_before
from loans.models import IncomeOutcome, Loan
from members.models import POOR_STATUSES, HouseholdAssessment, Member, Sex
from training.models import Attendance, MonitoringVisit

# --------------------------------------------------------------------------- trained, monitored


@lru_cache(maxsize=64)
def _window_start(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, months)


def is_monitored(last_visit: datetime.date | None, day: datetime.date, months: int) -> bool:
    """Whether a visit on ``last_visit`` is in the monitoring window of ``day``: after ``day``
    minus ``months`` calendar months and on or before ``day``."""
    return last_visit is not None and _window_start(day, months) < last_visit <= day


def is_trained_and_monitored(
    trained: bool, last_visit: datetime.date | None, active: int, day: datetime.date, months: int
) -> bool:
    """The "trained and monitored" rule for one club at ``day``: trained on or before ``day``
    (``trained``), monitored in the window of ``months`` months (:func:`is_monitored`), with
    active members (``active`` > 0). The criterion and the programme target both decide by it.
    """
    return bool(trained) and active > 0 and is_monitored(last_visit, day, months)


def visits_in_window(day: datetime.date, months: int):
    """Monitoring visits after ``day`` minus ``months`` calendar months and on or before
    ``day``."""
    return MonitoringVisit.objects.filter(
        visited_on__lte=day, visited_on__gt=_window_start(day, months)
    )


def monitored_q(day: datetime.date, months: int) -> Exists:
    """Clubs (``OuterRef("pk")``) with a monitoring visit in the window of ``day``."""
    return Exists(visits_in_window(day, months).filter(club=OuterRef("pk")))


def training_annotations(day: datetime.date) -> dict:
    """Annotations of a ``Club`` queryset: ``trained`` (a training session on or before
    ``day``) and ``last_visit`` (the latest monitoring visit on or before ``day``, or ``None``;
    whether it counts is :func:`is_monitored`'s to say)."""
    return {
        "trained": Exists(
            Attendance.objects.filter(club=OuterRef("pk"), session__held_on__lte=day)
        ),
        "last_visit": Subquery(
            MonitoringVisit.objects.filter(club=OuterRef("pk"), visited_on__lte=day)
            .order_by()
            .values("club")
            .annotate(m=Max("visited_on"))
            .values("m")
        ),
    }


def trained_and_monitored_counts(counts, day: datetime.date, months: int) -> tuple[int, int]:
    """``(passing, active)``: how many clubs of ``counts`` (each club's counts at ``day``, as
    ``reporting.figures.club_counts`` gives them for the active clubs) pass
    :func:`is_trained_and_monitored`, and how many there are."""
    passing = active = 0
    for c in counts:
        active += 1
        passing += is_trained_and_monitored(c["trained"], c["last_visit"], c["active"], day, months)
    return passing, active


# --------------------------------------------------------------------------- clubs


def cohort(clubs, phase, day: datetime.date):
    """The clubs of ``phase`` among ``clubs`` active at ``day``: those whose founding date's
    phase it is (``Phase.founded_in_q``; where phases overlap, a club founded in the overlap
    belongs to the later-started one only)."""
    return clubs.filter(Club.active_q(day), phase.founded_in_q())


# --------------------------------------------------------------------------- members


def empty_counts(ages) -> dict:
    """The counts of a club with no active member (see :func:`member_counts`)."""
    counts = {"active": 0, "women": 0, "poor": 0, "borrowed": 0, "borrowed_improved": 0}
    counts.update({f"older_{a}": 0 for a in ages})
    return counts


def member_counts(club_ids, day: datetime.date, ages) -> dict[int, dict]:
    """Counts of the active members of ``club_ids`` (a queryset of club ids), by club id:
    ``active``, ``women``, ``older_<age>`` for each of ``ages``, ``poor``, ``borrowed``,
    ``borrowed_improved``.

    Four aggregate queries grouped by club, each over one relation, so that no join multiplies
    member rows: members (conditional aggregation), the assessment in force at ``day`` of each
    member (``in_force_on``, an anti-join on later assessments), and members with a loan (a
    semi-join), with and without an improved outcome; two more, over the clubs with members who
    moved in, for those members' loans of their earlier rows.
    """
    members = Member.objects.filter(Member.active_q(day), club_id__in=club_ids).order_by()
    aggregates = {
        "active": Count("pk"),
        "women": Count("pk", filter=Q(sex=Sex.FEMALE)),
        "moved_in": Count("pk", filter=Q(origin__isnull=False)),
    }
    for age in ages:
        aggregates[f"older_{age}"] = Count("pk", filter=Member.aged_q(age, day))
    counts = {row.pop("club_id"): row for row in members.values("club_id").annotate(**aggregates)}
    moved_in = [pk for pk, row in counts.items() if row.pop("moved_in")]
    for row in counts.values():
        row.update(poor=0, borrowed=0, borrowed_improved=0)

    poor = (
        HouseholdAssessment.objects.in_force_on(day)
        .filter(
            Member.active_q(day, "member__"),
            member__club_id__in=club_ids,
            status__in=POOR_STATUSES,
        )
        .order_by()
        .values("member__club_id")
        .annotate(n=Count("pk"))
        .values_list("member__club_id", "n")
    )

    improved = {"income_outcome": IncomeOutcome.IMPROVED, "outcome_assessed_on__lte": day}
    for club_id, n in poor:
        counts[club_id]["poor"] = n
    for key, outcome in (("borrowed", {}), ("borrowed_improved", improved)):
        own = Exists(Loan.objects.filter(member=OuterRef("pk"), disbursed_on__lte=day, **outcome))
        # A member who moved club also brings the loans of the person's earlier rows: counted
        # apart, over the few members with an ``origin``, so the common case stays one
        # semi-join.
        person = Exists(
            Loan.objects.filter(
                Q(member=OuterRef("origin")) | Q(member__origin=OuterRef("origin")),
                disbursed_on__lte=day,
                **outcome,
            )
        )
        queries = [members.filter(own)]
        if moved_in:
            queries.append(members.filter(~own, person, club_id__in=moved_in, origin__isnull=False))
        for rows in queries:
            for club_id, n in (
                rows.values("club_id").annotate(n=Count("pk")).values_list("club_id", "n")
            ):
                counts[club_id][key] += n
    return counts
