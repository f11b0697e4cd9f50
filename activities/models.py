"""Club life: the monthly meetings a club holds (Decision 1533/QĐ-TTg: a club meets every month
to plan, lend and review; Decision 1336/QĐ-TTg §I.2 counts well-managed clubs)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club
from common import formats
from members.models import Member


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """Meetings of the clubs ``user`` may see (``Club.objects.for_user``)."""
        return self.filter(club__in=Club.objects.for_user(user))


class Meeting(models.Model):
    """A club meeting on ``held_on`` (one a day per club): ``attendees`` members present
    (at most the members active that day; blank when not counted) and its ``topics``."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("ngày họp"))
    attendees = models.PositiveIntegerField(_("số thành viên dự họp"), null=True, blank=True)
    topics = models.TextField(_("nội dung"), blank=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

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
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("Ngày họp không được sau hôm nay.")
        elif self.held_on and self.club_id:
            if self.held_on < self.club.founded_on:
                errors["held_on"] = _("Ngày họp không được trước ngày thành lập CLB.")
            elif self.club.dissolved_on and self.held_on > self.club.dissolved_on:
                errors["held_on"] = _("Ngày họp không được sau ngày giải thể CLB.")
            elif self.attendees is not None:
                active = Member.objects.filter(club_id=self.club_id).active_on(self.held_on).count()
                if self.attendees > active:
                    errors["attendees"] = _(
                        "Số thành viên dự họp (%(n)s) nhiều hơn số thành viên của CLB ngày đó "
                        "(%(active)s)."
                    ) % {"n": self.attendees, "active": active}
        if errors:
            raise ValidationError(errors)
