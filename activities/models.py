"""Club life: the monthly meetings a club holds and the activities it runs (Decision 1533/QĐ-TTg:
a club meets every month to plan, lend and review, and runs the scheme's kinds of activity;
Decision 1336/QĐ-TTg §I.2 counts clubs that carry out every kind and are well managed)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club, OfClubQuerySet
from common import formats
from members.models import Member


class Meeting(models.Model):
    """A club meeting on ``held_on`` (one a day per club): ``attendees`` members present
    (at most the members active that day; blank when not counted) and its ``topics``."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("ngày họp"))
    attendees = models.PositiveIntegerField(_("số thành viên dự họp"), null=True, blank=True)
    topics = models.TextField(_("nội dung"), blank=True)

    history = HistoricalRecords()
    objects = OfClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["club", "held_on"], name="meeting_one_per_day"),
        ]

    def __str__(self):
        return f"{self.club} – {formats.day(self.held_on)}"

    def clean(self):
        """Refuse a meeting after today, before the club's founding or after its dissolution,
        and more members present than the club's active members that day."""
        errors = {}
        day_error = self.club.event_day_error(self.held_on, _("Ngày họp")) if self.club_id else None
        if day_error:
            errors["held_on"] = day_error
        elif self.held_on and self.club_id and self.attendees is not None:
            active = Member.objects.filter(club_id=self.club_id).active_on(self.held_on).count()
            if self.attendees > active:
                errors["attendees"] = _(
                    "Số thành viên dự họp (%(n)s) nhiều hơn số thành viên của CLB ngày đó "
                    "(%(active)s)."
                ) % {"n": self.attendees, "active": active}
        if errors:
            raise ValidationError(errors)


class ActivityKind(models.Model):
    """A kind of club activity of the scheme (Decision 1533/QĐ-TTg: planning, lending and
    income generation, culture and sport, health care, community support, home-care
    volunteers, resource mobilisation, rights protection, communication), as data the
    administrator edits; a kind counts from ``starts_on``."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    starts_on = models.DateField(_("áp dụng từ"), default=datetime.date(2016, 1, 1))
    counts_visits = models.BooleanField(
        _("đếm lượt thăm tại nhà"),
        default=False,
        help_text=_("Hoạt động của tình nguyện viên chăm sóc tại nhà: ghi số lượt thăm."),
    )

    class Meta:
        verbose_name = _("loại hoạt động")
        verbose_name_plural = _("loại hoạt động")
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the interface's language (English when given and chosen)."""
        return (
            self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name
        )


class ActivityRecord(models.Model):
    """Whether a club ran an activity kind in a month (``month``: its first day), how many
    members took part, and for home care the volunteers' visits."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="activity_records")
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="records")
    month = models.DateField(_("tháng"))
    held = models.BooleanField(_("có tổ chức"), default=False)
    participants = models.PositiveIntegerField(_("số thành viên tham gia"), null=True, blank=True)
    visits = models.PositiveIntegerField(_("số lượt thăm tại nhà"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OfClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động trong tháng")
        verbose_name_plural = _("hoạt động trong tháng")
        ordering = ["-month", "kind__order"]
        constraints = [
            models.UniqueConstraint(fields=["club", "kind", "month"], name="activity_once_a_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="activity_month_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.club} – {self.kind} – {self.month:%m/%Y}"
