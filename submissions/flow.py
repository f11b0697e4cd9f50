"""The steps of a submission: what a province would submit (:func:`preview`), submitting
(freezing the figures with ``reporting.snapshots``, one snapshot per phase of the period),
accepting, returning with comments, reopening. Each step locks the submission's row
(``select_for_update``), so that two clicks or two reviewers at once do one thing: the second
finds the status moved and does nothing."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from clubs.models import Club
from common import formats
from members.models import HouseholdAssessment, Member
from reporting import snapshots
from reporting.compliance import province_filter
from reporting.models import FigureSnapshot, Metric

from .models import Action, Comment, Period, Reopening, Status, Step, Submission


class StepRefused(ValueError):
    """A step that the submission's status does not allow now (the message says why)."""


@dataclass
class PhasePreview:
    """What a province would submit for one phase of the period: the engine's ``report``,
    the canonical ``figures``, the clubs failing each criterion (``(criterion, [clubs])``),
    the clubs without a monitoring visit in the criterion's window."""

    phase: object
    report: object
    figures: dict
    data_time: object
    failing: list = field(default_factory=list)
    unmonitored: list = field(default_factory=list)


@dataclass
class Preview:
    period: Period
    province: object
    phases: list[PhasePreview]
    #: active members at the period end without any household assessment on or before it
    without_status: list = field(default_factory=list)
    without_status_count: int = 0


def preview(period: Period, province) -> Preview:
    """The province's figures at the period's end for each phase of the period, the clubs
    failing each criterion, and warnings: clubs without a visit in the window of the "trained
    and monitored" criterion, active members without a household status on or before the
    period's end (at most 50 listed)."""
    day = period.ends_on
    parts = []
    for phase in period.phases():
        captured = snapshots.capture(province, day, phase)
        report = captured.report
        failing = []
        unmonitored = []
        for criterion in report.criteria:
            clubs = [c for c in report.clubs if not c.criteria[criterion.code].passed]
            failing.append((criterion, clubs))
            if criterion.metric == Metric.TRAINED_MONITORED:
                unmonitored = [c for c in report.clubs if not c.criteria[criterion.code].monitored]
        parts.append(
            PhasePreview(phase, report, captured.figures, captured.data_time, failing, unmonitored)
        )
    clubs = Club.objects.filter(province_filter(province, day)).filter(Club.active_q(day))
    members = (
        Member.objects.filter(club__in=clubs)
        .filter(Member.active_q(day))
        .exclude(
            Exists(HouseholdAssessment.objects.filter(member=OuterRef("pk"), assessed_on__lte=day))
        )
        .select_related("club")
        .order_by("club__code", "full_name")
    )
    return Preview(period, province, parts, list(members[:50]), members.count())


def _locked(period, province) -> Submission:
    submission, _created = Submission.objects.get_or_create(period=period, province=province)
    return Submission.objects.select_for_update().get(pk=submission.pk)


def can_be_submitted(submission: Submission | None, today=None) -> bool:
    if submission is None or submission.status in (Status.NOT_SUBMITTED, Status.RETURNED):
        return True
    return submission.status == Status.ACCEPTED and submission.must_resubmit


def submit(period: Period, province, user, comment: str = "") -> Submission:
    """Freeze the province's figures at the period's end (one ``FigureSnapshot`` per phase of
    the period) and mark it submitted. Raises :class:`StepRefused` before the period ends or
    when it is waiting for review or accepted (unless changed under a reopening)."""
    today = timezone.localdate()
    if period.ends_on > today:
        raise StepRefused(_("Kỳ báo cáo chưa kết thúc; chưa thể gửi số liệu."))
    with transaction.atomic():
        submission = _locked(period, province)
        if not can_be_submitted(submission):
            raise StepRefused(_("Số liệu của kỳ này đã được gửi; không gửi lần nữa."))
        frozen = []
        for phase in period.phases():
            captured = snapshots.capture(province, period.ends_on, phase)
            frozen.append(
                snapshots.freeze(
                    FigureSnapshot.Kind.SUBMISSION,
                    province,
                    period.ends_on,
                    user,
                    captured.figures,
                    phase=phase,
                    data_time=captured.data_time,
                )
            )
        step = Step.objects.create(
            submission=submission, action=Action.SUBMIT, user=user, comment=comment
        )
        step.snapshots.set(frozen)
        submission.status = Status.SUBMITTED
        submission.must_resubmit = False
        submission.save(update_fields=["status", "must_resubmit", "updated_at"])
        return submission


def review(submission_id: int, user, accept: bool, comment: str = "", comments=()) -> Submission:
    """Accept the submission, or return it with ``comment`` and ``comments`` (``(club or
    None, figure key or "", text)``). Raises :class:`StepRefused` unless it is waiting for
    review, when a return says nothing, and when an acceptance finds the submitted snapshots
    no longer matching the data (changed since they were submitted): what is accepted, and
    then locked, is what the data say."""
    comments = [(club, figure, text.strip()) for club, figure, text in comments if text.strip()]
    if not accept and not comment.strip() and not comments:
        raise StepRefused(_("Hãy ghi nhận xét để tỉnh biết cần sửa gì."))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Status.SUBMITTED:
            raise StepRefused(_("Số liệu này không còn chờ duyệt."))
        if accept and not all(snapshots.compare(s).matches for s in submission.snapshots()):
            raise StepRefused(
                _(
                    "Dữ liệu của tỉnh đã thay đổi sau khi gửi: số liệu đã gửi không còn khớp. "
                    "Hãy trả lại để tỉnh gửi lại."
                )
            )
        step = Step.objects.create(
            submission=submission,
            action=Action.ACCEPT if accept else Action.RETURN,
            user=user,
            comment=comment.strip(),
        )
        Comment.objects.bulk_create(
            [
                Comment(step=step, club=club, figure=figure, text=text)
                for club, figure, text in comments
            ]
        )
        submission.status = Status.ACCEPTED if accept else Status.RETURNED
        submission.save(update_fields=["status", "updated_at"])
        return submission


def reopen(submission_id: int, user, until: datetime.date, reason: str) -> Reopening:
    """Grant an exception: the accepted submission's period takes changes until ``until``
    inclusive. Raises :class:`StepRefused` unless accepted, or for a date before today."""
    if until < timezone.localdate():
        raise StepRefused(_("Ngày mở đến không được trước hôm nay."))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Status.ACCEPTED:
            raise StepRefused(_("Chỉ mở lại được kỳ đã được chấp nhận."))
        reopening = Reopening.objects.create(
            submission=submission, until=until, reason=reason, granted_by=user
        )
        Step.objects.create(
            submission=submission,
            action=Action.REOPEN,
            user=user,
            comment=_("Mở đến hết ngày %(day)s: %(reason)s")
            % {"day": formats.day(until), "reason": reason},
        )
        return reopening


def open_comments(club_ids=None, province_ids=None):
    """The comments of the latest return of each submission still returned, of the clubs
    ``club_ids`` or of the new-era provinces ``province_ids`` (``None``: all); one query."""
    last_return = (
        Step.objects.filter(submission=OuterRef("step__submission"), action=Action.RETURN)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    comments = (
        Comment.objects.filter(step__submission__status=Status.RETURNED)
        .filter(step_id=Subquery(last_return))
        .select_related("step__submission__period__phase", "step__submission__province", "club")
    )
    if club_ids is not None:
        comments = comments.filter(club_id__in=club_ids)
    if province_ids is not None:
        comments = comments.filter(
            Q(step__submission__province_id__in=province_ids)
            | Q(step__submission__province__successor_id__in=province_ids)
        )
    return list(comments.order_by("-step__at", "pk"))
