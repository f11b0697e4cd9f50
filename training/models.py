"""Training sessions with the clubs that attended, and monitoring visits to clubs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import province_ids_for
from clubs.models import Club, Era, OfClubQuerySet, Province, day_after_today_error
from common import formats


class TrainingLevel(models.TextChoices):
    TOT = "tot", _("Tập huấn giảng viên")
    MODEL = "model", _("Tập huấn mẫu")
    PROVINCIAL = "provincial", _("Tập huấn tại tỉnh")


class TrainingSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sessions organised by a province ``user`` may see, or attended by one of its clubs."""
        province_ids = province_ids_for(user)
        if province_ids is None:
            return self
        clubs = Club.objects.for_user(user)
        return self.filter(
            Q(province_id__in=province_ids)
            | Q(pk__in=Attendance.objects.filter(club__in=clubs).values("session_id"))
        )


class TrainingSession(models.Model):
    """A training session (lớp tập huấn); a club "was trained" at D when it attended one held
    on or before D (Decision 1533/QĐ-TTg, quality criterion "trained and monitored")."""

    code = models.CharField(
        _("mã lớp"),
        max_length=30,
        unique=True,
        # The same words wherever the code is used: never which province holds it.
        error_messages={"unique": _("Mã lớp này đã được dùng; hãy chọn mã khác.")},
    )
    title = models.CharField(_("tên lớp"), max_length=200)
    held_on = models.DateField(_("ngày"))
    level = models.CharField(
        _("loại"), max_length=10, choices=TrainingLevel, default=TrainingLevel.PROVINCIAL
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh tổ chức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        limit_choices_to={"era": Era.POST2025},
        help_text=_("Để trống với lớp do Trung ương tổ chức."),
    )
    clubs = models.ManyToManyField(Club, through="Attendance", related_name="training_sessions")

    history = HistoricalRecords()
    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-held_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=TrainingLevel.values), name="training_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def clean(self):
        if error := held_on_error(self.held_on):
            raise ValidationError({"held_on": error})


def held_on_error(day: datetime.date | None) -> str | None:
    """Why ``day`` cannot be the date a session was held (after today), in Vietnamese, or
    ``None``: the form and the import both ask."""
    return day_after_today_error(day, _("Ngày tổ chức"))


class Attendance(models.Model):
    """A club's attendance at a training session, with the number of its people who came."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="attendances")
    participants = models.PositiveSmallIntegerField(_("số người tham gia"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OfClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("CLB tham gia tập huấn")
        verbose_name_plural = _("CLB tham gia tập huấn")
        constraints = [
            models.UniqueConstraint(fields=["session", "club"], name="attendance_unique"),
        ]
        indexes = [models.Index(fields=["club", "session"])]

    def __str__(self):
        return f"{self.club} @ {self.session}"


class MonitoringVisit(models.Model):
    """A supervision visit to a club under the regulations; one per club per day."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="monitoring_visits")
    visited_on = models.DateField(_("ngày giám sát"))
    monitor = models.CharField(_("người giám sát"), max_length=150, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = OfClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("giám sát")
        verbose_name_plural = _("giám sát")
        ordering = ["-visited_on"]
        constraints = [
            models.UniqueConstraint(fields=["club", "visited_on"], name="monitoring_one_per_day"),
        ]

    def __str__(self):
        return f"{self.club} – {formats.day(self.visited_on)}"

    def clean(self):
        error = (
            self.club.event_day_error(self.visited_on, _("Ngày giám sát")) if self.club_id else None
        )
        if error:
            raise ValidationError({"visited_on": error})
