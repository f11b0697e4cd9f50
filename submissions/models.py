"""Reporting periods, the provinces' submissions for them and each step of their review.

A province (of the era of the period's end: before 1 July 2025 one of the 63, from then one of
the 34, Resolution 202/2025/QH15) submits its figures for a period once; the steering board or
an administrator accepts them or returns them with comments; accepted figures are locked
(:mod:`submissions.locks`) unless an administrator grants a :class:`Reopening` until a date.
"""

import datetime
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clubs.models import Club, Era, Province
from common import formats
from reporting.models import FigureSnapshot, Phase


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")
    PHASE_END = "phase_end", _("Cuối giai đoạn")


class PeriodQuerySet(models.QuerySet):
    def ended_by(self, day: datetime.date):
        """Periods whose end is on or before ``day`` (they can be submitted)."""
        return self.filter(ends_on__lte=day).select_related("phase")


class Period(models.Model):
    """A reporting period ending on ``ends_on`` (its figures are the state at that date), due
    by ``deadline``. One period per end date: a quarter end that is also a year end or a
    phase end is one period (``kind`` names the widest), and a date in two overlapping phases
    (2021-2025 and 2025-2030 from 1 August 2025) is one period that feeds both
    (:meth:`phases`). Rows an administrator edits (seeded from the phases)."""

    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind)
    ends_on = models.DateField(_("đến ngày"), unique=True)
    deadline = models.DateField(_("hạn gửi"))
    #: the phase a phase-end period ends (its name is the period's)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("giai đoạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("ends_on")),
                name="period_deadline_after_end",
            ),
        ]

    def __str__(self):
        return self.label

    @cached_property
    def label(self) -> str:
        """The period in words: "Quý 3/2025", "Năm 2024", "Cuối giai đoạn 2021-2025" (read
        once per instance, in the language active then)."""
        if self.kind == PeriodKind.PHASE_END and self.phase_id is not None:
            return gettext("Cuối giai đoạn %(phase)s") % {"phase": self.phase.code}
        if self.kind in (PeriodKind.YEAR, PeriodKind.PHASE_END):
            return gettext("Năm %(year)s") % {"year": self.ends_on.year}
        return gettext("Quý %(quarter)s/%(year)s") % {
            "quarter": (self.ends_on.month + 2) // 3,
            "year": self.ends_on.year,
        }

    @property
    def era(self) -> str:
        """The units' era of the period's end: its provinces submit."""
        return Era.of(self.ends_on)

    def phases(self) -> list[Phase]:
        """Every phase whose dates contain the period's end (two where phases overlap)."""
        return list(
            Phase.objects.filter(starts_on__lte=self.ends_on, ends_on__gte=self.ends_on).order_by(
                "starts_on"
            )
        )

    def provinces(self):
        """The provinces that submit for this period: those of the era of its end."""
        return Province.objects.filter(era=self.era).order_by("code")

    def is_late(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class Status(models.TextChoices):
    NOT_SUBMITTED = "", _("Chưa gửi")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class SubmissionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Submissions ``user`` may see: all for the board and administrators; an officer's
        own provinces (new-era, and the old-era provinces merged into them)."""
        from accounts.access import province_ids_for

        ids = province_ids_for(user)
        if ids is None:
            return self
        return self.filter(models.Q(province_id__in=ids) | models.Q(province__successor_id__in=ids))


class Submission(models.Model):
    """A province's figures for a period: its current ``status``, and ``must_resubmit`` once
    data was changed under a reopening of the accepted period. Every step is a :class:`Step`."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, blank=True)
    must_resubmit = models.BooleanField(_("phải gửi lại"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu tỉnh gửi")
        verbose_name_plural = _("số liệu tỉnh gửi")
        ordering = ["period__ends_on", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "province"], name="submission_period_province_unique"
            ),
        ]

    def __str__(self):
        return f"{self.province} – {self.period}"

    def latest(self, action):
        return self.steps.filter(action=action).order_by("-at", "-pk").first()

    def snapshots(self) -> list[FigureSnapshot]:
        """The snapshots of the latest submit (one per phase of the period)."""
        step = self.latest(Action.SUBMIT)
        return list(step.snapshots.order_by("phase__starts_on")) if step else []

    def active_reopening(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.reopenings.filter(until__gte=today).order_by("-until").first()


class Action(models.TextChoices):
    SUBMIT = "submit", _("Gửi số liệu")
    RETURN = "return", _("Trả lại")
    ACCEPT = "accept", _("Chấp nhận")
    REOPEN = "reopen", _("Mở lại kỳ")


class Step(models.Model):
    """One step of a submission: who did what, when, with a general ``comment``; a submit
    keeps the snapshots frozen (``reporting.snapshots``), a return its :class:`Comment`s."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("việc"), max_length=8, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    comment = models.TextField(_("nhận xét"), blank=True)
    snapshots = models.ManyToManyField(FigureSnapshot, blank=True, related_name="+")

    class Meta:
        verbose_name = _("bước duyệt")
        verbose_name_plural = _("bước duyệt")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {formats.day(timezone.localdate(self.at))}"


#: The figures a comment may be about (keys of the snapshot's totals), with their names.
FIGURES = (
    ("", _("(số liệu chung)")),
    ("clubs", _("Số CLB đang hoạt động")),
    ("members", _("Số thành viên")),
    ("older_members", _("Số thành viên cao tuổi")),
    ("compliant_clubs", _("Số CLB đạt chuẩn")),
    ("loans", _("Số khoản vay")),
    ("borrowers", _("Số thành viên được vay")),
)


class Comment(models.Model):
    """A reviewer's comment of a return, on one club or one figure (a total's name, e.g.
    ``members``), or on neither (the whole submission)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="comments")
    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, null=True, blank=True, related_name="review_comments"
    )
    figure = models.CharField(_("số liệu"), max_length=40, blank=True)
    text = models.TextField(_("nhận xét"))

    class Meta:
        verbose_name = _("nhận xét")
        verbose_name_plural = _("nhận xét")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def figure_name(self) -> str:
        return str(dict(FIGURES).get(self.figure, self.figure))


class Reopening(models.Model):
    """An exception an administrator grants: the accepted ``submission``'s period takes the
    province's changes until ``until`` inclusive (Asia/Ho_Chi_Minh); each change is recorded
    as a :class:`ReopenedEdit`, and the province must submit again."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reopenings")
    until = models.DateField(_("mở đến hết ngày"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("cấp lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("mở lại kỳ đã chấp nhận")
        verbose_name_plural = _("mở lại kỳ đã chấp nhận")
        ordering = ["-granted_at"]

    def __str__(self):
        return gettext("%(submission)s, mở đến %(day)s") % {
            "submission": self.submission,
            "day": formats.day(self.until),
        }


class ReopenedEdit(models.Model):
    """A change that went into a reopened period: the kind of data, the club, the earliest
    date it changed, when."""

    reopening = models.ForeignKey(Reopening, on_delete=models.CASCADE, related_name="edits")
    model = models.CharField(_("loại dữ liệu"), max_length=60)
    club = models.ForeignKey(Club, on_delete=models.CASCADE, null=True, related_name="+")
    since = models.DateField(_("từ ngày"))
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thay đổi trong kỳ mở lại")
        verbose_name_plural = _("thay đổi trong kỳ mở lại")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.model} {self.club_id} {self.since}"
