"""The lock on accepted periods: a receiver of ``common.signals.data_changing``, which every
write path sends before it writes (model saves and deletes, ``full_clean`` of forms and the
admin, imports row by row, bulk paths), in the same place as the marks of changed clubs.

A write that changes a club's figures from a date ``since`` on is refused while a submission
of the club's province (in the units of the period end's era: before 1 July 2025 the province
of its founding commune, from then its current province) is accepted for a period ending on or
after ``since``: the figures are the state at the period's end, so records dated on or before
it, deletions of records that existed then and undated attributes (sex, birth date, a club's
commune) change them, and a record dated after it does not. Edits of a phase's criteria and
targets are refused while a period of that phase is accepted for any province. A
:class:`~submissions.models.Reopening` in force lets the write go, records it and marks the
submission to be sent again.
"""

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import Club, Era
from common import formats
from common.signals import EARLIEST
from reporting.models import Phase

from .models import Period, ReopenedEdit, Reopening, Status, Submission


def locked_message(submission) -> str:
    """The refusal, in Vietnamese, naming the period, its end and the province."""
    return _(
        "Số liệu %(period)s (đến ngày %(day)s) của %(province)s đã được chấp nhận và đang "
        "khoá: không thể thay đổi dữ liệu làm thay đổi số liệu của kỳ này. Quản trị viên có "
        "thể mở lại kỳ cho tỉnh."
    ) % {
        "period": submission.period.label,
        "day": formats.day(submission.period.ends_on),
        "province": submission.province.name,
    }


def _accepted(since=None):
    """The accepted submissions of periods ending on or after ``since``. On PostgreSQL, inside
    the write's transaction, the rows of the submissions waiting for review or accepted are
    read ``FOR SHARE``: writers do not wait on each other, but an acceptance (which locks its
    row ``FOR UPDATE``) waits for the writes already checked to commit, and a write checked
    after it sees it accepted (:func:`submissions.flow.review` then compares the snapshot with
    the data it accepts)."""
    rows = Submission.objects.select_related("period__phase", "province")
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        table = Submission._meta.db_table
        periods = Period._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.id, s.status FROM {table} s "  # noqa: S608
                f"JOIN {periods} p ON p.id = s.period_id "
                "WHERE s.status IN (%s, %s) AND p.ends_on >= %s FOR SHARE OF s",
                [Status.SUBMITTED, Status.ACCEPTED, since or EARLIEST],
            )
            ids = [pk for pk, status in cursor.fetchall() if status == Status.ACCEPTED]
        return list(rows.filter(pk__in=ids)) if ids else []
    rows = rows.filter(status=Status.ACCEPTED)
    if since is not None:
        rows = rows.filter(period__ends_on__gte=since)
    return list(rows)


def _reopenings(submissions) -> dict:
    today = timezone.localdate()
    found = {}
    for reopening in Reopening.objects.filter(
        submission__in=[s.pk for s in submissions], until__gte=today
    ).order_by("until"):
        found[reopening.submission_id] = reopening
    return found


def _record(reopening, sender, club_id, since, done: set) -> None:
    label = sender._meta.label if hasattr(sender, "_meta") else str(sender)
    key = (reopening.pk, label, club_id, since)
    if key in done:
        return
    done.add(key)
    ReopenedEdit.objects.get_or_create(
        reopening=reopening, model=label, club_id=club_id, since=since
    )
    Submission.objects.filter(pk=reopening.submission_id).update(must_resubmit=True)


def refuse_locked(sender, writes=(), phase_ids=(), **kwargs) -> list[tuple[object, str]]:
    """Receiver of ``data_changing``: the ``(key, message)`` of each write (a
    ``common.signals.Write``) into an accepted period, and of the edit of a phase of
    ``phase_ids`` one of whose periods is accepted; ``[]`` when none is."""
    if not writes and not phase_ids:
        return []
    earliest = min((w.since for w in writes), default=None)
    accepted = _accepted(None if phase_ids else earliest)
    if not accepted:
        return []
    reopened = _reopenings(accepted)
    refused = []
    done = set()
    if writes:
        ids = {w.club_id for w in writes if w.club_id is not None}
        clubs = {
            pk: (new, old)
            for pk, new, old in Club.objects.filter(pk__in=ids).values_list(
                "pk", "province_id", "founding_commune__province_id"
            )
        }
        for write in writes:
            units = clubs.get(write.club_id) if write.club_id is not None else write.provinces
            if units is None:
                continue
            for submission in accepted:
                if submission.period.ends_on < write.since:
                    continue
                new, old = units
                mine = new if submission.province.era == Era.POST2025 else old
                if mine != submission.province_id:
                    continue
                reopening = reopened.get(submission.pk)
                if reopening is not None:
                    _record(reopening, sender, write.club_id, write.since, done)
                    continue
                refused.append((write.key, locked_message(submission)))
                break
    if phase_ids:
        for phase in Phase.objects.filter(pk__in=phase_ids):
            for submission in accepted:
                end = submission.period.ends_on
                if phase.starts_on <= end <= phase.ends_on and submission.pk not in reopened:
                    refused.append((None, phase_locked_message(phase, submission)))
                    break
    return refused


def phase_locked_message(phase, submission) -> str:
    return _(
        "Tiêu chí và chỉ tiêu của giai đoạn %(phase)s đã được dùng cho số liệu %(period)s "
        "của %(province)s đã được chấp nhận: không thể sửa khi kỳ đang khoá."
    ) % {
        "phase": phase.code,
        "period": submission.period.label,
        "province": submission.province.name,
    }


def is_locked(submission, today=None) -> bool:
    """Whether ``submission``'s period is locked now: accepted, and no reopening in force."""
    return submission.status == Status.ACCEPTED and submission.active_reopening(today) is None
