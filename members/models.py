"""Club members and their household status over time.

The rules every figure uses for a member at a date D (Decision 1533/QĐ-TTg, Article 1, §I.2,
and its successors count members, older members, women and the poor): a member is active at D
when joined on or before D and not left on or before D (:meth:`Member.active_q`); age at D is in
completed years, a member known only by a birth year taken as born on 1 January
(``common.dates.age_on``); the household status at D is that of the latest assessment dated on
or before D, none meaning "not poor" (:func:`status_at`, :meth:`AssessmentQuerySet.in_force_on`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club
from common import formats
from common.dates import active_q, age_on, aged_at_least_q, birth_date, is_active
from common.text import given_name_key, normalise_name, search_key


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class LeaveReason(models.TextChoices):
    MOVED = "moved", _("Chuyển đi")
    DIED = "died", _("Qua đời")
    WITHDREW = "withdrew", _("Xin rút")
    OTHER = "other", _("Khác")


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    DISADVANTAGED = "disadvantaged", _("Khó khăn")
    NONE = "none", _("Không")


#: Statuses that count towards the "poor, near-poor or disadvantaged" criterion.
POOR_STATUSES = (HouseholdStatus.POOR, HouseholdStatus.NEAR_POOR, HouseholdStatus.DISADVANTAGED)


class MemberQuerySet(models.QuerySet):
    def for_user(self, user):
        """Members of the clubs ``user`` may see (``Club.objects.for_user``)."""
        return self.filter(club__in=Club.objects.for_user(user))

    def active_on(self, day: datetime.date):
        """Members active at ``day`` (:meth:`Member.active_q`)."""
        return self.filter(Member.active_q(day))


national_id_validator = RegexValidator(r"^[0-9]{12}$", _("Số định danh gồm đúng 12 chữ số."))


class Member(models.Model):
    """A person in a club.

    The birth year is required; month and day are optional (many older rural people know only
    the year). A member known only by birth year is taken as born on 1 January of that year.
    ``national_id`` is 12 digits, optional and sensitive (masked except for administrators).
    """

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="members")
    code = models.CharField(_("mã thành viên"), max_length=30, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    search_key = models.CharField(max_length=150, editable=False, db_index=True)
    given_name_key = models.CharField(max_length=50, editable=False)
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    birth_month = models.PositiveSmallIntegerField(_("tháng sinh"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("ngày sinh"), null=True, blank=True)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời CLB"), null=True, blank=True)
    leave_reason = models.CharField(
        _("lý do rời CLB"), max_length=10, choices=LeaveReason, blank=True
    )
    is_board_member = models.BooleanField(_("Ban Chủ nhiệm"), default=False)
    is_home_care_volunteer = models.BooleanField(
        _("tình nguyện viên chăm sóc tại nhà"), default=False
    )
    national_id = models.CharField(
        _("số định danh"), max_length=12, blank=True, validators=[national_id_validator]
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    history = HistoricalRecords(excluded_fields=["search_key", "given_name_key"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["club", "given_name_key", "search_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["club", "code"], condition=~Q(code=""), name="member_code_unique_in_club"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="member_sex_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1880, birth_year__lte=2100),
                name="member_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="member_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True)
                | Q(birth_month__isnull=False, birth_day__gte=1, birth_day__lte=31),
                name="member_birth_day_needs_month",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=False) | Q(leave_reason=""),
                name="member_reason_only_when_left",
            ),
            models.CheckConstraint(
                condition=Q(national_id="") | Q(national_id__regex=r"^[0-9]{12}$"),
                name="member_national_id_12_digits",
            ),
        ]
        indexes = [models.Index(fields=["club", "joined_on"])]

    def __str__(self):
        return self.full_name

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        """Members active at ``day``: joined on or before it and not left on or before it
        (``prefix``: the path to the member, e.g. ``"member__"``)."""
        return active_q(day, start="joined_on", end="left_on", prefix=prefix)

    @staticmethod
    def aged_q(years: int, day: datetime.date, prefix: str = "") -> Q:
        """Members ``years`` old or more in completed years at ``day`` (the rule of
        :meth:`age_on`)."""
        return aged_at_least_q(years, day, prefix)

    @property
    def birth_date(self) -> datetime.date:
        """The date used for ages: missing month and day are taken as 1 (1 January)."""
        return birth_date(self.birth_year, self.birth_month, self.birth_day)

    @property
    def birth_is_year_only(self) -> bool:
        return self.birth_month is None

    def age_on(self, day: datetime.date) -> int:
        """Age in completed years on ``day``."""
        return age_on(day, self.birth_year, self.birth_month, self.birth_day)

    def is_active_on(self, day: datetime.date) -> bool:
        """Whether the member is active at ``day`` (the rule of :meth:`active_q`)."""
        return is_active(self.joined_on, self.left_on, day)

    def household_status_on(self, day: datetime.date) -> str:
        """The household status at ``day`` (:func:`status_at` of the member's assessments)."""
        return status_at(self.assessments.values_list("assessed_on", "status"), day)

    def normalise(self):
        """Normalise the name and refresh the stored search keys (bulk paths call this too)."""
        self.full_name = normalise_name(self.full_name)
        self.search_key = search_key(self.full_name)
        self.given_name_key = given_name_key(self.full_name)

    def clean(self):
        errors = {}
        if self.birth_month is not None:
            try:
                self.birth_date  # noqa: B018 (validates day within month)
            except ValueError:
                errors["birth_day"] = _("Ngày sinh không hợp lệ.")
        elif self.birth_day is not None:
            errors["birth_month"] = _("Có ngày sinh thì phải có tháng sinh.")
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("Ngày rời CLB không được trước ngày tham gia.")
        if self.leave_reason and not self.left_on:
            errors["left_on"] = _("Hãy nhập ngày rời CLB khi có lý do rời.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


def status_at(assessments, day: datetime.date) -> str:
    """The household status at ``day`` from ``assessments``, ``(assessed_on, status)`` pairs of
    one member: the status of the latest dated on or before ``day``; none means "not poor"
    (``HouseholdStatus.NONE``)."""
    dated = [(on, status) for on, status in assessments if on <= day]
    return max(dated)[1] if dated else HouseholdStatus.NONE


def assessment_change(stored: dict, day: datetime.date, status: str, *, dated: bool) -> str | None:
    """What recording ``status`` assessed on ``day`` does to a member's history ``stored``
    (``{assessed_on: status}``): ``"correct"`` when an assessment of that day holds another
    status, ``"add"`` for a new day, ``None`` when nothing changes.

    A new day is added also with the status in force (a re-certification); only when the day
    was not given (``dated`` false, the joining day standing in) does repeating the status in
    force change nothing. The import of members and the member form both decide by this.
    """
    if day in stored:
        return "correct" if stored[day] != status else None
    if dated or status_at(stored.items(), day) != status:
        return "add"
    return None


class AssessmentQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        """The assessment in force at ``day`` of each member: dated on or before ``day`` with no
        later one on or before ``day`` (an anti-join; the rule of :func:`status_at`)."""
        later = HouseholdAssessment.objects.filter(
            member=models.OuterRef("member"),
            assessed_on__gt=models.OuterRef("assessed_on"),
            assessed_on__lte=day,
        )
        return self.filter(assessed_on__lte=day).exclude(models.Exists(later))


class HouseholdAssessment(models.Model):
    """The household status of a member as assessed on a date (poverty certification or the
    club's own record of hardship). The status at D is the latest assessment on or before D."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("ngày đánh giá"))
    status = models.CharField(_("hoàn cảnh"), max_length=14, choices=HouseholdStatus)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá hoàn cảnh")
        verbose_name_plural = _("đánh giá hoàn cảnh")
        ordering = ["member", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "assessed_on"], name="assessment_one_per_member_per_day"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HouseholdStatus.values), name="assessment_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.get_status_display()} ({formats.day(self.assessed_on)})"

    @staticmethod
    def date_error(day: datetime.date | None) -> str | None:
        """Why ``day`` cannot be an assessment date (a Vietnamese message), or ``None``: an
        assessment is not dated after today (Asia/Ho_Chi_Minh)."""
        if day is not None and day > timezone.localdate():
            return _("Ngày đánh giá không được sau hôm nay.")
        return None

    def clean(self):
        error = self.date_error(self.assessed_on)
        if error:
            raise ValidationError({"assessed_on": error})
