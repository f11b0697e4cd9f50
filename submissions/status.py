"""Each province's status for a period and the national figures from accepted snapshots
beside the live ones (the status page, the home pages)."""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Q
from django.utils import timezone

from accounts.access import province_ids_for
from clubs.models import Era, Province
from reporting import snapshots
from reporting.models import Phase
from reporting.national import national_report

from .models import Period, Status, Submission

#: The totals shown side by side (keys of the snapshots' ``totals``).
TOTALS = ("clubs", "members", "compliant_clubs")


@dataclass
class Row:
    province: object
    submission: Submission | None
    status: str
    status_label: str
    late: bool
    snapshots: list
    matches: bool | None = None


def visible_provinces(period: Period, user):
    """The provinces of the period's era ``user`` may see (officers: those of their new-era
    provinces)."""
    provinces = period.provinces()
    ids = province_ids_for(user)
    if ids is not None:
        provinces = provinces.filter(pk__in=ids) | provinces.filter(successor_id__in=ids)
    return provinces.order_by("code")


def period_rows(
    period: Period, user, today: datetime.date | None = None, compare=True
) -> list[Row]:
    """One row per visible province: status, late (past the deadline and not submitted or
    returned), the latest submit's snapshots, and for accepted ones whether they still match
    today's data (``compare``)."""
    today = today or timezone.localdate()
    found = {
        s.province_id: s
        for s in Submission.objects.filter(period=period).prefetch_related("steps__snapshots")
    }
    rows = []
    for province in visible_provinces(period, user):
        submission = found.get(province.pk)
        status = submission.status if submission else Status.NOT_SUBMITTED
        frozen = submission.snapshots() if submission else []
        row = Row(
            province,
            submission,
            status,
            Status(status).label,
            period.is_late(today) and status in (Status.NOT_SUBMITTED, Status.RETURNED),
            frozen,
        )
        if compare and status == Status.ACCEPTED and frozen:
            row.matches = all(snapshots.compare(s).matches for s in frozen)
        rows.append(row)
    return rows


def national_columns(period: Period, rows: list[Row], accepted_only: bool) -> list[dict]:
    """For each phase of the period: the totals summed over the accepted snapshots and the
    live national totals (of the accepted provinces only with ``accepted_only``)."""
    out = []
    for phase in period.phases():
        accepted = {}
        codes = set()
        for row in rows:
            if row.status != Status.ACCEPTED:
                continue
            for snap in row.snapshots:
                if snap.phase_id == phase.pk:
                    codes.add(row.province.code)
                    totals = snapshots.stored_figures(snap)["totals"]
                    for key in TOTALS:
                        accepted[key] = accepted.get(key, 0) + totals.get(key, 0)
        report, _series = national_report(period.ends_on, phase)
        live = {key: 0 for key in TOTALS}
        for p in report.provinces:
            if accepted_only and p.code not in codes:
                continue
            live["clubs"] += p.active_clubs
            live["members"] += p.active_members
            live["compliant_clubs"] += p.compliant_clubs
        out.append(
            {
                "phase": phase,
                "provinces": len(codes),
                "rows": [(key, accepted.get(key, 0), live[key]) for key in TOTALS],
            }
        )
    return out


@dataclass
class HomeSummary:
    """What the home page's panel shows (see :func:`home_summary`)."""

    period: Period | None = None
    missing: list = field(default_factory=list)
    late: list = field(default_factory=list)
    resubmit: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    #: whether a submission the user sees is returned (its comments are then worth reading)
    any_returned: bool = False


def home_summary(user, today: datetime.date, window: datetime.timedelta) -> HomeSummary:
    """For the provinces ``user`` sees: the next deadline of a period that has ended and the
    provinces missing for it (not submitted, returned, or to submit again), ``(period, row)``
    of the periods whose deadline passed within ``window`` that a province is late with, the
    submissions to send again after a reopening, and those waiting for review. Three queries
    whatever the number of periods and provinces."""
    periods = list(
        Period.objects.ended_by(today).filter(deadline__gte=today - window).order_by("ends_on")
    )
    ids = province_ids_for(user)
    subs = Submission.objects.for_user(user).select_related("period__phase", "province")
    subs = list(
        subs.filter(
            Q(period__in=periods)
            | Q(must_resubmit=True)
            | Q(status__in=(Status.SUBMITTED, Status.RETURNED))
        )
    )
    eras = {p.era for p in periods}
    provinces = Province.objects.filter(era__in=eras).order_by("code")
    if ids is not None:
        provinces = provinces.filter(Q(pk__in=ids) | Q(successor_id__in=ids))
    by_era = {}
    for province in provinces:
        by_era.setdefault(province.era, []).append(province)
    found = {(s.period_id, s.province_id): s for s in subs}
    out = HomeSummary(
        resubmit=[s for s in subs if s.must_resubmit],
        waiting=[s for s in subs if s.status == Status.SUBMITTED],
        any_returned=any(s.status == Status.RETURNED for s in subs),
    )
    upcoming = [p for p in periods if p.deadline >= today]
    out.period = min(upcoming, key=lambda p: p.deadline, default=None)
    for period in periods:
        for province in by_era.get(period.era, []):
            submission = found.get((period.pk, province.pk))
            status = submission.status if submission else Status.NOT_SUBMITTED
            row = Row(
                province,
                submission,
                status,
                Status(status).label,
                period.is_late(today) and status in (Status.NOT_SUBMITTED, Status.RETURNED),
                [],
            )
            if row.late:
                out.late.append((period, row))
            if period == out.period and (
                status in (Status.NOT_SUBMITTED, Status.RETURNED)
                or (submission and submission.must_resubmit)
            ):
                out.missing.append(row)
    out.late.sort(key=lambda pair: (-pair[0].ends_on.toordinal(), pair[1].province.code))
    return out


@dataclass
class DashboardSubmissions:
    """What the national dashboard shows of the submissions (see :func:`dashboard_part`)."""

    period: Period | None = None
    #: ``Row`` by province code, for the status column of the province table
    by_code: dict = field(default_factory=dict)
    #: the province table's rows: the live ones with their ``status`` (``Row``, ``None`` for a
    #: province not of the period's era), or with "accepted only" the accepted provinces'
    #: figures from their snapshots in the same shape
    rows: list = field(default_factory=list)
    #: the accepted provinces' figures from their snapshots, in the province table's shape
    accepted_rows: list = field(default_factory=list)
    #: their sum, in the same shape (``None`` when no province is accepted)
    accepted_total: dict | None = None
    #: :func:`national_columns` of the period
    national: list = field(default_factory=list)


def _figure_row(totals: dict, criteria: list[str]) -> dict:
    """A snapshot's ``totals`` as a row of the dashboard's province table: counts, and shares
    as fractions of the clubs counted (``None`` without clubs)."""
    clubs = totals.get("clubs", 0)

    def share(n):
        return Fraction(n, clubs) if clubs else None

    passing = totals.get("passing", {})
    return {
        "clubs": clubs,
        "members": totals.get("members", 0),
        "older": totals.get("older_members", 0),
        "compliant": totals.get("compliant_clubs", 0),
        "passing": dict(passing),
        "compliant_share": share(totals.get("compliant_clubs", 0)),
        "criteria": [share(passing.get(code, 0)) for code in criteria],
    }


def dashboard_part(
    user,
    as_of: datetime.date,
    phase: Phase,
    criteria: list[str],
    live_rows: list[dict],
    accepted_only: bool,
) -> DashboardSubmissions:
    """For the national dashboard at ``as_of`` in ``phase``: the latest period ended on or
    before ``as_of`` (none: the ``live_rows`` without status); each province's
    :func:`period_rows` row by code (only when the period's era is ``as_of``'s, whose
    provinces the table lists); the table's rows: ``live_rows`` (dicts with ``code``) each
    given its ``status``, or with ``accepted_only`` the accepted provinces' figures from their
    snapshots of ``phase`` (criteria shares, fractions of the clubs counted, in the order of
    the criterion codes ``criteria``) with their sum; and the period's
    :func:`national_columns` (live totals of the accepted provinces only with
    ``accepted_only``), when some province was accepted for the period (else empty). Read at
    each request: a submission or review shows at once."""
    period = Period.objects.ended_by(as_of).order_by("-ends_on").first()
    if period is None:
        return DashboardSubmissions(rows=[] if accepted_only else live_rows)
    rows = period_rows(period, user, compare=False)
    out = DashboardSubmissions(period=period)
    if period.era == Era.of(as_of):  # the table lists the provinces of the as-of date's era
        out.by_code = {r.province.code: r for r in rows}
    summed = {"clubs": 0, "members": 0, "older_members": 0, "compliant_clubs": 0, "passing": {}}
    for row in rows:
        if row.status != Status.ACCEPTED:
            continue
        for snap in row.snapshots:
            if snap.phase_id != phase.pk:
                continue
            totals = snapshots.stored_figures(snap)["totals"]
            figures = _figure_row(totals, criteria)
            figures.update(code=row.province.code, name=row.province.name, status=row)
            out.accepted_rows.append(figures)
            for key in ("clubs", "members", "older_members", "compliant_clubs"):
                summed[key] += totals.get(key, 0)
            for code, n in totals.get("passing", {}).items():
                summed["passing"][code] = summed["passing"].get(code, 0) + n
    if out.accepted_rows:
        out.accepted_total = _figure_row(summed, criteria)
    out.rows = (
        out.accepted_rows
        if accepted_only
        else [{**r, "status": out.by_code.get(r["code"])} for r in live_rows]
    )
    # The live side costs a national computation at the period end per phase, paid again after
    # every write: only when some province's figures were accepted is there anything to set it
    # beside (the dashboard shows the live figures already).
    if any(r.status == Status.ACCEPTED for r in rows):
        out.national = national_columns(period, rows, accepted_only)
    return out
