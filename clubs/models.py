"""Administrative units in both eras (63 provinces until 30/06/2025, 34 from 01/07/2025 under
Resolution 202/2025/QH15), clubs and officers' province assignments.

Units are keyed by (era, code), never by code alone: the reform of 1 July 2025 reused official
codes with new meanings (code 24 was Bắc Giang and is now Bắc Ninh).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.access import province_ids_for
from common.dates import active_q, is_active
from common.text import normalise_name, search_key

#: The first day of the 34-province system (Resolution 202/2025/QH15); before it, 63 provinces.
REFORM_DATE = datetime.date(2025, 7, 1)


class Era(models.TextChoices):
    PRE2025 = "pre2025", _("Trước 01/07/2025 (63 tỉnh)")
    POST2025 = "post2025", _("Từ 01/07/2025 (34 tỉnh)")

    @classmethod
    def of(cls, day: datetime.date) -> "Era":
        """Return the era whose units were in force on ``day`` (a ``date``)."""
        return cls.POST2025 if day >= REFORM_DATE else cls.PRE2025


class Province(models.Model):
    """A province or centrally-run city as it stood in one era.

    ``successor`` links an old-era province to the new province it merged into (every old
    province went whole into exactly one new province); it is empty for new-era provinces.
    ``latitude``/``longitude`` are the centroid in degrees (WGS 84).
    """

    era = models.CharField(_("thời kỳ"), max_length=8, choices=Era)
    code = models.CharField(_("mã"), max_length=2)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh mới"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["era", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="province_era_code_unique"),
            models.CheckConstraint(condition=Q(era__in=Era.values), name="province_era_valid"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_two_digits"
            ),
            models.CheckConstraint(
                condition=Q(era=Era.PRE2025) | Q(successor__isnull=True),
                name="province_successor_only_pre2025",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class District(models.Model):
    """A district of the old era (districts were abolished on 1 July 2025)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(_("mã"), max_length=3, unique=True)
    name = models.CharField(_("tên"), max_length=100)

    class Meta:
        verbose_name = _("quận/huyện")
        verbose_name_plural = _("quận/huyện")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}$"), name="district_code_three_digits"
            ),
        ]

    def __str__(self):
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone as it stood in one era.

    Old-era communes link to the new commune(s) they went into through ``CommuneSuccession``
    (about 441 were split across several).
    """

    era = models.CharField(_("thời kỳ"), max_length=8, choices=Era)
    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="CommuneSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["era", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="commune_era_code_unique"),
            models.CheckConstraint(condition=Q(era__in=Era.values), name="commune_era_valid"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{5}$"), name="commune_code_five_digits"
            ),
            models.CheckConstraint(
                condition=Q(era=Era.PRE2025) | Q(district__isnull=True),
                name="commune_district_only_pre2025",
            ),
        ]
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self):
        return self.name


class CommuneSuccession(models.Model):
    """One new-era commune that (part of) an old-era commune went into on 1 July 2025."""

    old = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    is_default = models.BooleanField(
        default=False, help_text=_("Xã mới chính theo nguồn dữ liệu khi xã cũ bị chia tách")
    )

    class Meta:
        verbose_name = _("sắp xếp xã/phường")
        verbose_name_plural = _("sắp xếp xã/phường")
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="commune_succession_unique"),
            models.CheckConstraint(
                condition=~Q(old=models.F("new")), name="commune_succession_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.old} → {self.new}"


class OfClubQuerySet(models.QuerySet):
    """Rows that belong to a club through their ``club`` field (visits, attendances, meetings,
    activities): ``for_user`` scopes them by their club."""

    def for_user(self, user):
        """Rows of the clubs ``user`` may see (:meth:`ClubQuerySet.for_user`)."""
        return self.filter(club__in=Club.objects.for_user(user))


def day_after_today_error(day: datetime.date | None, what) -> str | None:
    """Why ``day`` cannot date something that happened (a visit, a meeting, a training
    session), in Vietnamese, or ``None``: it is after today (Asia/Ho_Chi_Minh). ``what`` names
    the date in the message ("Ngày họp")."""
    if day is not None and day > timezone.localdate():
        return _("%(what)s không được sau hôm nay.") % {"what": what}
    return None


class ClubQuerySet(models.QuerySet):
    def for_user(self, user):
        """Clubs ``user`` may see: all for administrators and the board; for an officer, the
        clubs of the new-era provinces assigned to them (old-era clubs reach them through the
        old→new province map, stored on ``Club.province``). Anonymous users see nothing.

        This is the one scoping method: every other model's ``for_user`` goes through it.
        """
        province_ids = province_ids_for(user)
        if province_ids is None:
            return self
        return self.filter(province_id__in=province_ids)

    def active_on(self, day: datetime.date):
        """Clubs active at ``day`` (:meth:`Club.active_q`)."""
        return self.filter(Club.active_q(day))

    def awaiting_commune(self):
        """Clubs founded in an old commune that was split, whose new commune is not yet chosen."""
        return self.filter(commune__isnull=True)


class Club(models.Model):
    """An Intergenerational Self-Help Club (CLB LTHTGN).

    ``commune`` is the new-era commune the club is in today; it is empty while a club founded
    in a split old commune waits for an officer to confirm it. ``founding_commune`` is the
    old-era commune of a club founded before 1 July 2025. ``province`` is the new-era province,
    derived on save from ``commune`` or, failing that, from the founding commune's province.
    """

    code = models.CharField(
        _("mã CLB"),
        max_length=30,
        unique=True,
        # The same words wherever the code is used: never which province holds it.
        error_messages={"unique": _("Mã CLB này đã được dùng; hãy chọn mã khác.")},
    )
    name = models.CharField(_("tên CLB"), max_length=200)
    search_key = models.CharField(max_length=200, editable=False, db_index=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("xã/phường hiện nay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clubs",
        limit_choices_to={"era": Era.POST2025},
    )
    founding_commune = models.ForeignKey(
        Commune,
        verbose_name=_("xã/phường khi thành lập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="founded_clubs",
        limit_choices_to={"era": Era.PRE2025},
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        related_name="clubs",
        editable=False,
    )
    village = models.CharField(_("thôn/tổ dân phố"), max_length=150, blank=True)
    founded_on = models.DateField(_("ngày thành lập"))
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu lạc bộ")
        verbose_name_plural = _("câu lạc bộ")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commune__isnull=False) | Q(founding_commune__isnull=False),
                name="club_has_a_commune",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="club_dissolved_after_founded",
            ),
            models.CheckConstraint(
                condition=Q(founded_on__gte=REFORM_DATE) | Q(founding_commune__isnull=False),
                name="club_old_era_has_founding_commune",
            ),
        ]
        indexes = [models.Index(fields=["province", "founded_on"])]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def derive_units(self):
        """Fill ``commune`` (when the old commune went whole into one new commune) and
        ``province`` from the communes. Called by ``save()`` and by bulk paths."""
        self.name = normalise_name(self.name)
        self.search_key = search_key(self.name)
        if self.commune_id is None and self.founding_commune_id is not None:
            successions = list(
                CommuneSuccession.objects.filter(old_id=self.founding_commune_id).values_list(
                    "new_id", flat=True
                )[:2]
            )
            if len(successions) == 1:
                self.commune_id = successions[0]
        if self.commune_id is not None:
            self.province_id = (
                Commune.objects.filter(pk=self.commune_id).values_list("province_id", flat=True)
            ).first()
        elif self.founding_commune_id is not None:
            self.province_id = (
                Commune.objects.filter(pk=self.founding_commune_id).values_list(
                    "province__successor_id", flat=True
                )
            ).first()

    def clean(self):
        errors = {}
        if self.commune_id and self.commune.era != Era.POST2025:
            errors["commune"] = _("Xã/phường hiện nay phải thuộc danh mục từ 01/07/2025.")
        if self.founding_commune_id and self.founding_commune.era != Era.PRE2025:
            errors["founding_commune"] = _(
                "Xã/phường khi thành lập phải thuộc danh mục trước 01/07/2025."
            )
        if self.founded_on and self.founded_on < REFORM_DATE and not self.founding_commune_id:
            errors["founding_commune"] = _(
                "CLB thành lập trước 01/07/2025 cần xã/phường khi thành lập."
            )
        if not self.commune_id and not self.founding_commune_id:
            errors.setdefault("commune", _("Hãy chọn xã/phường."))
        if self.commune_id and self.founding_commune_id:
            allowed = CommuneSuccession.objects.filter(
                old_id=self.founding_commune_id, new_id=self.commune_id
            ).exists()
            if not allowed:
                errors["commune"] = _(
                    "Xã/phường hiện nay không phải là nơi xã/phường khi thành lập được sắp xếp vào."
                )
        if self.dissolved_on and self.founded_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = _("Ngày giải thể không được trước ngày thành lập.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.derive_units()
        super().save(*args, **kwargs)

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        """Clubs active at ``day``: founded on or before it and not dissolved on or before it
        (``prefix``: the path to the club, e.g. ``"club__"``)."""
        return active_q(day, start="founded_on", end="dissolved_on", prefix=prefix)

    def is_active_on(self, day: datetime.date) -> bool:
        """Whether the club is active at ``day`` (the rule of :meth:`active_q`)."""
        return is_active(self.founded_on, self.dissolved_on, day)

    def event_day_error(self, day: datetime.date | None, what) -> str | None:
        """Why ``day`` cannot date something the club did (a monitoring visit, a meeting), in
        Vietnamese, or ``None``: after today (Asia/Ho_Chi_Minh), before the club was founded,
        after it was dissolved. ``what`` names the date in the message ("Ngày họp")."""
        if day is None:
            return None
        if error := day_after_today_error(day, what):
            return error
        if day < self.founded_on:
            return _("%(what)s không được trước ngày thành lập CLB.") % {"what": what}
        if self.dissolved_on and day > self.dissolved_on:
            return _("%(what)s không được sau ngày giải thể CLB.") % {"what": what}
        return None

    @staticmethod
    def unit_path(era: str, unit: str = "province") -> str:
        """The lookup from a club to its ``unit`` (``"province"`` or ``"commune"``) in the units
        of ``era``: before 1 July 2025 the founding (old-era) commune and its province, from then
        the current ones (Resolution 202/2025/QH15 merged 63 provinces into 34)."""
        if era == Era.PRE2025:
            return "founding_commune__province" if unit == "province" else "founding_commune"
        return unit

    def province_in_era(self, day: datetime.date):
        """The province of this club in the units of ``day``'s era (a ``Province``), by the rule
        of :meth:`unit_path`."""
        if Era.of(day) == Era.PRE2025 and self.founding_commune_id:
            return self.founding_commune.province
        return self.province


class OfficerAssignment(models.Model):
    """A new-era province whose data a provincial officer reads and writes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"era": Era.POST2025},
    )

    class Meta:
        verbose_name = _("phân công tỉnh")
        verbose_name_plural = _("phân công tỉnh")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="officer_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.province}"
