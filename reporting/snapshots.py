"""Frozen figures a reader can verify: one mechanism for reports and provinces' submissions.

A snapshot (:class:`reporting.models.FigureSnapshot`) keeps the figures of a scope (the nation,
or one province in the units of the as-of date's era) at an as-of date exactly as they were
issued, as canonical JSON (RFC 8785, JSON Canonicalization Scheme), with the SHA-256 of that
text, the time of the data it reflects and a verification code: the first 10 characters of the
base32 (RFC 4648) of the digest, printed on every page of a report.

API:

- ``figures_for(province_or_None, as_of, phase=None) -> dict``: the canonical figures of the
  scope at ``as_of`` (a ``date``), from the compliance engine (``reporting.compliance.compute``).
  ``province`` is a ``Province`` of ``as_of``'s era or ``None`` for the nation; ``phase`` a
  ``Phase``, its code, or ``None`` for the phase containing ``as_of``. Raises
  ``ComplianceError`` as ``compute`` does.
- ``capture(province_or_None, as_of, phase=None) -> Captured``: the same figures with the
  engine's report they come from and the time of their data (``data_time``), read so that no
  write committed while they were computed (else computed again).
- ``freeze(kind, province_or_None, as_of, user, figures=None, *, phase=None, data_time=None)
  -> FigureSnapshot``: store the figures (computed now when ``figures`` is ``None``). ``kind``
  is a ``FigureSnapshot.Kind`` (``"report"``, ``"submission"``). The same figures frozen again
  for the same kind, scope, phase and date return the snapshot first made (one code, one
  first issue; a unique constraint makes it so when two processes freeze them at once).
- ``compare(snapshot) -> Comparison``: whether the stored figures still match those computed
  from today's data, and what changed (clubs added and removed, members, loans, borrowers,
  per criterion, per club, targets).
- ``difference(old, new) -> Comparison``: the same between two figure dicts.
- ``first_of(snapshot) -> FigureSnapshot``: the first snapshot of the same kind, scope, phase
  and date (itself when it is the first); a regenerated report compares against it.
- ``canonical(figures) -> bytes``, ``digest(figures) -> (sha256 hex, code)``,
  ``normalise_code(text) -> str``.

The figures (format 1) use only integers, strings, lists and objects (no floats, booleans or
nulls; an unknown value is left out), so their canonical form is plain sorted-key JSON:

``{"format": 1, "scope": "national" | "<era>:<province code>", "phase": "2021-2025",
"as_of": "2025-12-31", "criteria": [criterion codes, in order],
"totals": {"clubs", "members", "older_members", "compliant_clubs", "loans", "borrowers",
"passing": {criterion code: clubs passing}},
"clubs": {club code: {"members", "older_members", "women", "poor", "borrowers", "loans",
"passed": [criterion codes passed]}},
"provinces": {province code: {"clubs", "members", "compliant_clubs", "passing"}},
"targets": {target code: {"target", "actual", "measured_on"}},
"trained": {"target", "actual", "measured_on"},
"province_targets": {province code: {"target_clubs", "clubs", "target_members", "members"}},
"coverage": {"communes", "total", "measured_on"}}``

Counts are integers; shares are exact fractions written ``"n/d"`` (``"19/20"``); dates are ISO
``YYYY-MM-DD``. ``members`` are active members at the as-of date; ``loans`` the loans disbursed
to the club on or before it; ``borrowers`` its active members with such a loan (Decision
1336/QĐ-TTg §I.2). ``provinces`` is for the national scope only.

To recompute a code by hand: ``python manage.py snapshot_figures <code> > figures.json`` writes
the stored canonical text byte for byte; ``sha256sum figures.json`` gives the hash, and
``python -c "import base64,hashlib,sys; print(base64.b32encode(hashlib.sha256(
open(sys.argv[1],'rb').read()).digest())[:10].decode())" figures.json`` the code. Any RFC 8785
implementation over the parsed file gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction

import rfc8785
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from clubs.models import Era, Province
from loans.models import Loan

from .cache import report_version
from .compliance import compute, resolve_phase
from .models import ClubState, DataVersion, FigureSnapshot, Phase
from .results import ComplianceReport

FORMAT = 1
CODE_LENGTH = 10
#: How many times the figures are computed again when a write committed meanwhile.
ATTEMPTS = 3


# --------------------------------------------------------------------------- canonical form


def canonical(figures: dict) -> bytes:
    """The RFC 8785 canonical JSON of ``figures`` (UTF-8 bytes)."""
    return rfc8785.dumps(figures)


def digest(figures: dict) -> tuple[str, str]:
    """``(sha256 hex of the canonical bytes, verification code)``; the code is the first
    ``CODE_LENGTH`` characters of the base32 (RFC 4648) of the digest."""
    raw = hashlib.sha256(canonical(figures)).digest()
    return raw.hex(), base64.b32encode(raw).decode()[:CODE_LENGTH]


def normalise_code(text: str) -> str:
    """A typed verification code as stored: upper case, spaces and dashes dropped
    (``"abcd efgh-23"`` → ``"ABCDEFGH23"``)."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def share(value: Fraction) -> str:
    """An exact share as ``"n/d"`` (``Fraction(19, 20)`` → ``"19/20"``; 1 → ``"1/1"``)."""
    value = Fraction(value)
    return f"{value.numerator}/{value.denominator}"


def scope_name(province: Province | None) -> str:
    """``"national"`` or ``"<era>:<code>"`` (as ``ReportDocument.scope_of``)."""
    return f"{province.era}:{province.code}" if province is not None else "national"


# --------------------------------------------------------------------------- figures


def _loan_counts(report: ComplianceReport, province: Province | None) -> dict[int, int]:
    """Loans disbursed on or before the as-of date, by club id, for the report's clubs."""
    loans = Loan.objects.filter(disbursed_on__lte=report.as_of)
    if province is not None:
        loans = loans.filter(club_id__in=[c.id for c in report.clubs])
    rows = loans.order_by().values("club_id").annotate(n=Count("pk")).values_list("club_id", "n")
    return dict(rows)


def _target(result) -> dict:
    def number(value):
        return share(value) if result.is_share else int(value)

    return {
        "target": number(result.target),
        "actual": number(result.actual),
        "measured_on": result.measured_on.isoformat(),
    }


def _passing(totals) -> dict:
    return {code: n for code, n in totals.passing.items()}


def figures_of(report: ComplianceReport, province: Province | None) -> dict:
    """The canonical figures of an engine ``report`` computed with details (per club) for
    ``province`` (``None``: the nation). One query for the loans."""
    loans = _loan_counts(report, province)
    totals = report.national
    clubs = {}
    for club in report.clubs:
        row = {
            "members": club.active_members,
            "women": club.women,
            "poor": club.poor,
            "borrowers": club.borrowed,
            "loans": loans.get(club.id, 0),
            "passed": [code for code, r in club.criteria.items() if r.passed],
        }
        if club.older_members is not None:
            row["older_members"] = club.older_members
        clubs[club.code] = row
    summary = {
        "clubs": totals.active_clubs,
        "members": totals.active_members,
        "compliant_clubs": totals.compliant_clubs,
        "loans": sum(row["loans"] for row in clubs.values()),
        "borrowers": sum(row["borrowers"] for row in clubs.values()),
        "passing": _passing(totals),
    }
    if totals.older_members is not None:
        summary["older_members"] = totals.older_members
    figures = {
        "format": FORMAT,
        "scope": scope_name(province),
        "phase": report.phase.code,
        "as_of": report.as_of.isoformat(),
        "criteria": [c.code for c in report.criteria],
        "totals": summary,
        "clubs": clubs,
        "targets": {t.code: _target(t) for t in report.targets},
        "province_targets": {
            t.province_code: {
                k: v
                for k, v in {
                    "target_clubs": t.target_clubs,
                    "clubs": t.clubs,
                    "target_members": t.target_members,
                    "members": t.members,
                }.items()
                if v is not None
            }
            for t in report.province_targets
        },
    }
    if province is None:
        figures["provinces"] = {
            p.code: {
                "clubs": p.active_clubs,
                "members": p.active_members,
                "compliant_clubs": p.compliant_clubs,
                "passing": _passing(p),
            }
            for p in report.provinces
        }
    if report.trained_target is not None:
        figures["trained"] = _target(report.trained_target)
    if report.coverage is not None:
        figures["coverage"] = {
            "communes": report.coverage.communes,
            "total": report.coverage.total,
            "measured_on": report.coverage.measured_on.isoformat(),
        }
    return figures


def data_time_of(province: Province | None) -> datetime.datetime | None:
    """The time of the latest write to the scope's data: the latest ``ClubState.changed_at``
    of its clubs (all, or the new-era province's; an old-era province's clubs are all in its
    successor) and of the writes not tied to clubs; ``None`` when none was timed."""
    states = ClubState.objects.all()
    if province is not None:
        states = states.filter(club__province_id=province.successor_id or province.pk)
    times = [
        states.aggregate(t=Max("changed_at"))["t"],
        DataVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first(),
    ]
    times = [t for t in times if t is not None]
    return max(times) if times else None


@dataclass
class Captured:
    """Figures computed at once with what they come from: ``report`` (the engine's, with per
    club details), ``figures`` (canonical dict), ``data_time`` (the latest write they
    reflect) and ``phase``."""

    report: ComplianceReport
    figures: dict
    data_time: datetime.datetime | None
    phase: Phase


def _check_era(province: Province | None, as_of: datetime.date) -> None:
    if province is not None and province.era != Era.of(as_of):
        raise ValueError(f"province {province.code} is not of the era of {as_of}")


def capture(
    province: Province | None, as_of: datetime.date, phase: Phase | str | None = None
) -> Captured:
    """Compute the figures of the scope at ``as_of`` and the time of their data. The data
    version and time are read before and after: when a write committed meanwhile the
    figures are computed again (up to ``ATTEMPTS`` times; then the time read after)."""
    _check_era(province, as_of)
    phase = resolve_phase(as_of, phase)
    for _attempt in range(ATTEMPTS):
        before = (report_version(province), data_time_of(province))
        report = compute(as_of, phase=phase, province=province)
        after = (report_version(province), data_time_of(province))
        if before == after:
            break
    return Captured(report, figures_of(report, province), after[1], phase)


def figures_for(
    province: Province | None, as_of: datetime.date, phase: Phase | str | None = None
) -> dict:
    """The canonical figures of the nation (``province=None``) or of ``province`` at
    ``as_of``: see the module docstring for their shape."""
    return capture(province, as_of, phase).figures


# --------------------------------------------------------------------------- freezing


def freeze(
    kind: str,
    province: Province | None,
    as_of: datetime.date,
    user,
    figures: dict | None = None,
    *,
    phase: Phase | str | None = None,
    data_time: datetime.datetime | None = None,
) -> FigureSnapshot:
    """Store ``figures`` (default: :func:`capture` now, with its data time) of the scope at
    ``as_of`` as a ``FigureSnapshot`` of ``kind``, made by ``user`` (``None`` or anonymous:
    no one). Figures already frozen for the same kind, scope, phase and date return that
    snapshot. Raises ``ValueError`` for a province of another era than ``as_of``'s, or for
    ``figures`` of another scope or date."""
    _check_era(province, as_of)
    if figures is None:
        captured = capture(province, as_of, phase)
        figures, data_time, phase = captured.figures, captured.data_time, captured.phase
    else:
        phase = resolve_phase(as_of, phase or figures.get("phase"))
        if data_time is None:
            data_time = data_time_of(province)
    if figures.get("scope") != scope_name(province) or figures.get("as_of") != as_of.isoformat():
        raise ValueError("the figures are not of this scope and date")
    text = canonical(figures)
    sha, code = digest(figures)
    key = {
        "kind": kind,
        "scope": "" if province is None else scope_name(province),
        "phase": phase,
        "as_of": as_of,
    }
    found = FigureSnapshot.objects.filter(**key, sha256=sha).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            return FigureSnapshot.objects.create(
                **key,
                province=province,
                figures=text.decode(),
                sha256=sha,
                code=code,
                data_time=data_time,
                created_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # the same figures frozen at the same moment elsewhere
        return FigureSnapshot.objects.get(**key, sha256=sha)


def first_of(snapshot: FigureSnapshot) -> FigureSnapshot:
    """The first snapshot frozen of the same kind, scope, phase and date as ``snapshot``."""
    return (
        FigureSnapshot.objects.filter(
            kind=snapshot.kind,
            scope=snapshot.scope,
            phase_id=snapshot.phase_id,
            as_of=snapshot.as_of,
        )
        .order_by("created_at", "pk")
        .first()
    ) or snapshot


def stored_figures(snapshot: FigureSnapshot) -> dict:
    return json.loads(snapshot.figures)


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Change:
    """A number then (``before``) and now (``after``); ``delta`` = after − before."""

    before: int | str | None
    after: int | str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def delta(self) -> int | None:
        if isinstance(self.before, int) and isinstance(self.after, int):
            return self.after - self.before
        return None


@dataclass
class ClubChange:
    """A club in both: its members and loans then and now, the criteria it passes now and did
    not (``gained``), and those it passed and no longer does (``lost``)."""

    code: str
    members: Change
    loans: Change
    borrowers: Change
    gained: list[str]
    lost: list[str]


@dataclass
class Comparison:
    """Stored figures (``before``) against others (``after``; today's for :func:`compare`).

    ``matches``: the canonical texts are equal (so are the codes ``before_code``,
    ``after_code``). Totals as :class:`Change`: ``clubs``, ``members``, ``loans``,
    ``borrowers``, ``compliant``; ``clubs_added`` and ``clubs_removed`` (club codes, sorted);
    ``clubs_changed`` (:class:`ClubChange`, by code); ``criteria`` (criterion code →
    :class:`Change` of clubs passing, changed ones only); ``targets`` (target code →
    :class:`Change` of the actual, changed ones only); ``other`` (other top-level parts that
    differ: ``provinces``, ``province_targets``, ``coverage``, ``trained``...)."""

    before: dict
    after: dict
    matches: bool
    before_code: str
    after_code: str
    clubs: Change
    members: Change
    loans: Change
    borrowers: Change
    compliant: Change
    clubs_added: list[str] = field(default_factory=list)
    clubs_removed: list[str] = field(default_factory=list)
    clubs_changed: list[ClubChange] = field(default_factory=list)
    criteria: dict[str, Change] = field(default_factory=dict)
    targets: dict[str, Change] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)
    #: the time of today's data, for :func:`compare`
    data_time: datetime.datetime | None = None


def difference(before: dict, after: dict) -> Comparison:
    """What differs from the figures ``before`` to ``after`` (both of this module's shape)."""
    _sha, before_code = digest(before)
    _sha, after_code = digest(after)
    bt, at = before.get("totals", {}), after.get("totals", {})

    def total(name):
        return Change(bt.get(name), at.get(name))

    bc, ac = before.get("clubs", {}), after.get("clubs", {})
    changed = []
    for code in sorted(bc.keys() & ac.keys()):
        old, new = bc[code], ac[code]
        if old == new:
            continue
        changed.append(
            ClubChange(
                code=code,
                members=Change(old.get("members"), new.get("members")),
                loans=Change(old.get("loans"), new.get("loans")),
                borrowers=Change(old.get("borrowers"), new.get("borrowers")),
                gained=[c for c in new.get("passed", []) if c not in old.get("passed", [])],
                lost=[c for c in old.get("passed", []) if c not in new.get("passed", [])],
            )
        )
    bp, ap = bt.get("passing", {}), at.get("passing", {})
    criteria = {
        code: Change(bp.get(code), ap.get(code))
        for code in dict.fromkeys([*before.get("criteria", []), *after.get("criteria", [])])
        if bp.get(code) != ap.get(code)
    }
    btg, atg = before.get("targets", {}), after.get("targets", {})
    targets = {
        code: Change(btg.get(code, {}).get("actual"), atg.get(code, {}).get("actual"))
        for code in sorted(btg.keys() | atg.keys())
        if btg.get(code) != atg.get(code)
    }
    known = {"format", "scope", "phase", "as_of", "criteria", "totals", "clubs", "targets"}
    other = sorted(
        k for k in (before.keys() | after.keys()) - known if before.get(k) != after.get(k)
    )
    return Comparison(
        before=before,
        after=after,
        matches=canonical(before) == canonical(after),
        before_code=before_code,
        after_code=after_code,
        clubs=total("clubs"),
        members=total("members"),
        loans=total("loans"),
        borrowers=total("borrowers"),
        compliant=total("compliant_clubs"),
        clubs_added=sorted(ac.keys() - bc.keys()),
        clubs_removed=sorted(bc.keys() - ac.keys()),
        clubs_changed=changed,
        criteria=criteria,
        targets=targets,
        other=other,
    )


def compare(snapshot: FigureSnapshot) -> Comparison:
    """The stored figures of ``snapshot`` against those computed from today's data for the
    same scope, phase and as-of date (:func:`capture`)."""
    now = capture(snapshot.province, snapshot.as_of, snapshot.phase)
    result = difference(stored_figures(snapshot), now.figures)
    result.data_time = now.data_time
    return result
