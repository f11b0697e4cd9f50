"""Club members and their household status over time.

The rules every figure uses for a member at a date D (Decision 1533/QĐ-TTg, Article 1, §I.2,
and its successors count members, older members, women and the poor): a member is active at D
when joined on or before D and not left on or before D (:meth:`Member.active_q`); age at D is in
completed years, a member known only by a birth year taken as born on 1 January
(``common.dates.age_on``); the household status at D is that of the latest assessment dated on
or before D, none meaning "not poor" (:func:`status_at`, :meth:`AssessmentQuerySet.in_force_on`).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Right
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club
from common import formats
from common.dates import active_q, age_on, aged_at_least_q, birth_date, is_active
from common.text import given_name_of, normalise_name, search_key


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


#: The codes the product gives members typed without one (the spreadsheet contract, "Every
#: member has a code"): ``TV`` and a number, not zero-padded, so that a spreadsheet keeps it
#: as typed and it never meets a register's numeric codes (``001``) by their lost zeros.
ASSIGNED_CODE = re.compile(r"TV([1-9][0-9]*)")


def name_key(name) -> str:
    """The key two people's names are compared by: NFC, single spaces, casefolded (so
    ``"nguyễn thị  dung"`` is ``"Nguyễn Thị Dung"``; tone marks count)."""
    return normalise_name(str(name or "")).casefold()


def namesake_warning(others) -> str:
    """The warning for a new member whose name and birth year ``others`` (stored members,
    :meth:`MemberQuerySet.namesakes`) already have: it names each by club and code."""
    who = "; ".join(
        gettext("%(name)s, CLB %(club)s, mã %(code)s")
        % {"name": m.full_name, "club": m.club.code, "code": m.code}
        for m in others
    )
    return gettext("Đã có người cùng họ tên và năm sinh: %(who)s. Có phải cùng một người?") % {
        "who": who
    }


def assigned_code(number: int) -> str:
    """The ``number``-th code the product assigns in a club: ``assigned_code(7) == "TV7"``."""
    return f"TV{number}"


def free_codes(taken, count: int) -> list[str]:
    """``count`` assigned codes not in ``taken`` (the club's codes), after the highest one
    already assigned: ``free_codes({"TV1", "TV2", "001"}, 2) == ["TV3", "TV4"]``."""
    numbers = [int(m.group(1)) for m in map(ASSIGNED_CODE.fullmatch, taken) if m]
    start = max(numbers, default=0) + 1
    return [assigned_code(n) for n in range(start, start + count)]


class MemberQuerySet(models.QuerySet):
    def for_user(self, user):
        """Members of the clubs ``user`` may see (``Club.objects.for_user``)."""
        return self.filter(club__in=Club.objects.for_user(user))

    def active_on(self, day: datetime.date):
        """Members active at ``day`` (:meth:`Member.active_q`)."""
        return self.filter(Member.active_q(day))

    def with_status_on(self, day: datetime.date):
        """Each member with ``status_on_day``, the household status at ``day`` (the rule of
        :func:`status_at`: the latest assessment dated on or before ``day``, none meaning "not
        poor"), worked out in the query; ``status_label`` words it."""
        latest = (
            HouseholdAssessment.objects.filter(member=OuterRef("pk"), assessed_on__lte=day)
            .order_by("-assessed_on")
            .values("status")[:1]
        )
        return self.annotate(
            status_on_day=Coalesce(Subquery(latest), Value(HouseholdStatus.NONE.value))
        )

    def namesakes(self, people, exclude=()) -> list[list["Member"]]:
        """For each ``(club, full_name, birth_year)`` of ``people``, the stored members with
        the same name (compared by :func:`name_key`) and birth year in that club or another
        club of its province, which may be the same person entered twice (a warning, never a
        refusal). ``exclude``: member ids left out (the member being edited). One query."""
        if not people:
            return []
        found: dict[tuple, list] = {}
        stored = self.filter(
            club__province_id__in={club.province_id for club, _name, _year in people},
            search_key__in={search_key(name) for _club, name, _year in people},
            birth_year__in={year for _club, _name, year in people},
        ).exclude(pk__in=list(exclude))
        for m in stored.select_related("club").order_by("club__code", "code"):
            found.setdefault((m.club.province_id, name_key(m.full_name), m.birth_year), []).append(
                m
            )
        return [
            found.get((club.province_id, name_key(name), year), []) for club, name, year in people
        ]

    def assign_codes(self, members, avoid=()) -> None:
        """Give each of ``members`` (unsaved or saved, of any clubs) that has no code the next
        free assigned code of its club (:func:`free_codes`), none of ``avoid`` (codes a file
        gives other rows). Locks the clubs' rows until the caller's transaction ends, so that
        two writers never pick the same code; call inside a transaction."""
        wanting: dict[int, list] = {}
        for member in members:
            if not member.code:
                wanting.setdefault(member.club_id, []).append(member)
        if not wanting:
            return
        list(Club.objects.select_for_update().filter(pk__in=list(wanting)).values_list("pk"))
        taken: dict[int, set] = {}
        for club_id, code in self.filter(club_id__in=list(wanting)).values_list("club_id", "code"):
            taken.setdefault(club_id, set()).add(code)
        for club_id, group in wanting.items():
            taken.setdefault(club_id, set()).update(avoid)
            for member, code in zip(
                group, free_codes(taken.get(club_id, ()), len(group)), strict=True
            ):
                member.code = code


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
    note = models.TextField(_("ghi chú"), blank=True)
    #: The person's first row when this row continues it in another club after a transfer
    #: (:meth:`transfer`): every row of one person shares it (the first row has none).
    origin = models.ForeignKey(
        "self",
        verbose_name=_("chuyển từ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuations",
        editable=False,
    )

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
        indexes = [
            models.Index(fields=["club", "joined_on"]),
            # The member search (``members.search``): a code, a phone, a national ID's last
            # four digits, in every province at once.
            models.Index(fields=["code"], name="member_code"),
            models.Index(fields=["phone"], name="member_phone"),
            models.Index(Right("national_id", 4), name="member_national_id_tail"),
        ]

    def __str__(self):
        return self.full_name

    def transfer_error(self, club, day) -> str | None:
        """Why this member cannot move to ``club`` on ``day``, in Vietnamese, or ``None``."""
        if club.pk == self.club_id:
            return gettext("Thành viên đã ở CLB này.")
        if not self.is_active_on(day):
            return gettext("Thành viên không sinh hoạt ở CLB vào ngày chuyển.")
        if day <= self.joined_on:
            return gettext("Ngày chuyển phải sau ngày tham gia CLB.")
        return club.event_day_error(day, gettext("Ngày chuyển"))

    def transfer(self, club, day, user=None) -> "Member":
        """Move this member to ``club`` on ``day``: this row leaves on ``day`` ("moved") and
        keeps its history and loans (which stay in this club's fund); a new row in ``club``
        joins on ``day`` with the household status in force that day, and the person's
        earlier loans count toward its borrowed criterion from then (``origin``). Counted in
        the old club before ``day`` and in the new one from it. Returns the new row; call
        inside a transaction. Raises ``ValueError`` with :meth:`transfer_error`'s reason."""
        error = self.transfer_error(club, day)
        if error:
            raise ValueError(error)
        status = self.household_status_on(day)
        self.left_on, self.leave_reason = day, LeaveReason.MOVED
        self.save()
        moved = Member(
            club=club,
            full_name=self.full_name,
            sex=self.sex,
            birth_year=self.birth_year,
            birth_month=self.birth_month,
            birth_day=self.birth_day,
            joined_on=day,
            national_id=self.national_id,
            phone=self.phone,
            note=self.note,
            origin_id=self.origin_id or self.pk,
        )
        moved.save()  # with the next assigned code of the new club
        HouseholdAssessment.objects.create(member=moved, assessed_on=day, status=status)
        return moved

    @property
    def picker_label(self) -> str:
        """The member in a picker, told apart from a namesake: ``"Nguyễn Thị Dung (1943, mã
        TV12)"``."""
        return gettext("%(name)s (%(year)s, mã %(code)s)") % {
            "name": self.full_name,
            "year": self.birth_year,
            "code": self.code,
        }

    @property
    def status_label(self) -> str:
        """The household status of :meth:`MemberQuerySet.with_status_on`, in words."""
        return HouseholdStatus(self.status_on_day).label

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

    def save(self, *args, **kwargs):
        """Save; a member without a code gets the next assigned code of its club
        (:meth:`MemberQuerySet.assign_codes`)."""
        if self.code:
            return self._save_normalised(*args, **kwargs)
        with transaction.atomic():
            Member.objects.assign_codes([self])
            return self._save_normalised(*args, **kwargs)

    def normalise(self):
        """Normalise the name and refresh the stored search keys (bulk paths call this too).
        Each key is cut to its column's length: a 60-letter last word (the form allows 150
        characters of name) would overflow ``given_name_key`` on PostgreSQL; a sort key that
        long sorts the same on its first 50 letters."""
        self.full_name = normalise_name(self.full_name)
        key = search_key(self.full_name)
        self.search_key = key[: _KEY_LENGTHS["search_key"]]
        self.given_name_key = given_name_of(key)[: _KEY_LENGTHS["given_name_key"]]

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

    def _save_normalised(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


def status_at(assessments, day: datetime.date) -> str:
    """The household status at ``day`` from ``assessments``, ``(assessed_on, status)`` pairs of
    one member: the status of the latest dated on or before ``day``; none means "not poor"
    (``HouseholdStatus.NONE``)."""
    dated = [(on, status) for on, status in assessments if on <= day]
    return max(dated)[1] if dated else HouseholdStatus.NONE


#: The stored lengths of a member's name keys (:meth:`Member.normalise` cuts each to it).
_KEY_LENGTHS = {f: Member._meta.get_field(f).max_length for f in ("search_key", "given_name_key")}


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
