"""Phases of the scheme, their programme targets and quality criteria, and province targets.

Targets and criteria are data, seeded from Decisions 1533/QĐ-TTg, 1336/QĐ-TTg and 1648/QĐ-TTg
and editable by the national administrator: a row picks a metric that the compliance engine
implements (``reporting.rules``, ``reporting.targets``), inclusive bounds and parameters, so a
new standard needs no code change. Shares are stored as fractions (``0.7000`` is 70%) and
compared exactly. Rendered PDF reports are kept here too (:class:`ReportDocument`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.access import province_ids_for
from clubs.models import Era, Province
from common import formats

from .issuers import ReportIssuer  # noqa: F401 - a model of this app, in a module of its own
from .kept_models import ClubFigures, ClubSeries, ClubState, DataVersion, KeptDate  # noqa: F401
from .snapshot_models import FigureSnapshot, FigureSnapshotQuerySet  # noqa: F401


class PhaseQuerySet(models.QuerySet):
    def containing(self, day: datetime.date):
        """The phase whose dates contain ``day``; where two overlap, the one that started later.
        Returns a ``Phase`` or ``None``."""
        return self.containing_q(day).first()

    def containing_q(self, day: datetime.date):
        """The phases whose dates contain ``day``, the one :meth:`containing` gives first."""
        return self.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on")


class Phase(models.Model):
    """A phase of the scheme (e.g. ``2018-2020``, Decision 1533/QĐ-TTg), from ``starts_on``
    to ``ends_on`` inclusive."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    decision = models.CharField(_("quyết định"), max_length=60)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.decision})"

    @property
    def target_era(self) -> str:
        """The era of the provinces this phase's province targets are set for: that of its
        first day, when the provinces adopted their schemes (2021-2025: the 63 provinces
        before 01/07/2025; 2025-2030: the 34 after). An ``Era`` value."""
        return Era.of(self.starts_on)

    def founded_in_q(self, prefix: str = "") -> Q:
        """Clubs (fields after ``prefix``) that belong to this phase by their founding date:
        founded within its dates and not within those of a phase that started later, for a
        date's phase is the later-started one where two overlap (a club founded on 01/08/2025
        belongs to 2025-2030, not 2021-2025). The same rule as ``Phase.objects.containing``."""
        field = f"{prefix}founded_on"
        q = Q(**{f"{field}__gte": self.starts_on, f"{field}__lte": self.ends_on})
        for start, end in self._later_phases():
            q &= ~Q(**{f"{field}__gte": start, f"{field}__lte": end})
        return q

    def _later_phases(self) -> list[tuple[datetime.date, datetime.date]]:
        """The dates of the phases that started later within this one's, read once per
        instance."""
        if getattr(self, "_later", None) is None:
            self._later = list(
                Phase.objects.filter(
                    starts_on__gt=self.starts_on, starts_on__lte=self.ends_on
                ).values_list("starts_on", "ends_on")
            )
        return self._later


class Metric(models.TextChoices):
    """Per-club metrics of the quality criteria, which ``reporting.rules`` implements."""

    ACTIVE_MEMBERS = "active_members", _("Số thành viên đang sinh hoạt")
    OLDER = "older", _("Tỷ lệ người cao tuổi")
    WOMEN = "women", _("Tỷ lệ nữ")
    POOR = "poor", _("Tỷ lệ nghèo, cận nghèo, khó khăn")
    BORROWED = "borrowed", _("Tỷ lệ được vay vốn")
    TRAINED_MONITORED = "trained_monitored", _("Được tập huấn và giám sát")


class Criterion(models.Model):
    """A quality criterion of a phase's standard: a metric with inclusive bounds.

    For ``active_members`` the bounds are counts (``min_count``, ``max_count``); for the share
    metrics they are fractions of active members (``min_share``, ``max_share``, e.g. ``0.7``).
    Parameters: ``age_threshold`` in years (older), ``require_improved`` (borrowed: only loans
    whose income outcome is "improved"), ``monitoring_months`` (trained and monitored: a visit
    after D minus this many calendar months and on or before D).
    """

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("giai đoạn")
    )
    code = models.SlugField(_("mã"), max_length=20)
    label = models.CharField(_("tiêu chí"), max_length=150)
    metric = models.CharField(_("chỉ số"), max_length=20, choices=Metric)
    min_count = models.PositiveIntegerField(_("tối thiểu (người)"), null=True, blank=True)
    max_count = models.PositiveIntegerField(_("tối đa (người)"), null=True, blank=True)
    min_share = models.DecimalField(
        _("tỷ lệ tối thiểu"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    max_share = models.DecimalField(
        _("tỷ lệ tối đa"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    age_threshold = models.PositiveSmallIntegerField(_("tuổi từ"), null=True, blank=True)
    require_improved = models.BooleanField(_("chỉ tính khi thu nhập cải thiện"), default=False)
    monitoring_months = models.PositiveSmallIntegerField(
        _("giám sát trong (tháng)"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí chất lượng")
        verbose_name_plural = _("tiêu chí chất lượng")
        ordering = ["phase", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(metric__in=Metric.values), name="criterion_metric"),
            models.CheckConstraint(
                condition=Q(min_share__isnull=True) | Q(min_share__gte=0, min_share__lte=1),
                name="criterion_min_share_fraction",
            ),
            models.CheckConstraint(
                condition=Q(max_share__isnull=True) | Q(max_share__gte=0, max_share__lte=1),
                name="criterion_max_share_fraction",
            ),
            models.CheckConstraint(
                condition=Q(min_share__isnull=True)
                | Q(max_share__isnull=True)
                | Q(min_share__lte=F("max_share")),
                name="criterion_share_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_count__isnull=True)
                | Q(max_count__isnull=True)
                | Q(min_count__lte=F("max_count")),
                name="criterion_count_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(metric="older") | Q(age_threshold__isnull=False),
                name="criterion_older_has_age",
            ),
            models.CheckConstraint(
                condition=~Q(metric="trained_monitored") | Q(monitoring_months__isnull=False),
                name="criterion_trained_has_window",
            ),
        ]

    def __str__(self):
        return f"{self.phase.code}: {self.label}"

    def clean(self):
        if self.metric == Metric.ACTIVE_MEMBERS and (self.min_share or self.max_share):
            raise ValidationError(_("Tiêu chí số thành viên dùng số người, không dùng tỷ lệ."))


class TargetMetric(models.TextChoices):
    """Programme-level metrics of the phase targets, each with its population
    (``reporting.targets``)."""

    COHORT_CLUBS = "cohort_clubs", _("Số CLB thành lập trong giai đoạn")
    COHORT_PROVINCES = "cohort_provinces", _("Số tỉnh có CLB thành lập trong giai đoạn")
    COHORT_MEMBERS = "cohort_members", _("Số thành viên của các CLB trong giai đoạn")
    COHORT_OLDER_MEMBERS = "cohort_older_members", _("Số người cao tuổi của các CLB")
    PROVINCE_SHARE = "province_share", _("Tỷ lệ tỉnh có CLB")
    COMMUNE_COVERAGE = "commune_coverage", _("Tỷ lệ xã/phường có CLB")
    EARLIER_CLUBS_ACTIVE = "earlier_clubs_active", _("Tỷ lệ CLB giai đoạn trước còn hoạt động")
    NEW_CLUBS_ACTIVE = "new_clubs_active", _("Tỷ lệ CLB thành lập mới còn hoạt động")
    TRAINED_MONITORED_SHARE = "trained_monitored_share", _("Tỷ lệ CLB được tập huấn và giám sát")
    ALL_ACTIVITIES_SHARE = (
        "all_activities_share",
        _("Tỷ lệ CLB thực hiện đủ các hoạt động, quản lý tốt và đạt tiêu chí vay vốn"),
    )
    REVOLVING_FUND_SHARE = "revolving_fund_share", _("Tỷ lệ CLB có quỹ tạo thu nhập")
    ACTIVITY_FUND_SHARE = "activity_fund_share", _("Tỷ lệ CLB có quỹ hoạt động")


#: Metrics whose ``value`` is a fraction (0.95 = 95%); the others are counts.
SHARE_TARGET_METRICS = (
    TargetMetric.PROVINCE_SHARE,
    TargetMetric.COMMUNE_COVERAGE,
    TargetMetric.EARLIER_CLUBS_ACTIVE,
    TargetMetric.NEW_CLUBS_ACTIVE,
    TargetMetric.TRAINED_MONITORED_SHARE,
    TargetMetric.ALL_ACTIVITIES_SHARE,
    TargetMetric.REVOLVING_FUND_SHARE,
    TargetMetric.ACTIVITY_FUND_SHARE,
)

#: The club-life metrics (``reporting.club_life``), over every club active at M.
CLUB_LIFE_METRICS = (
    TargetMetric.ALL_ACTIVITIES_SHARE,
    TargetMetric.REVOLVING_FUND_SHARE,
    TargetMetric.ACTIVITY_FUND_SHARE,
)


class Target(models.Model):
    """A programme target of a phase: ``actual >= value`` ("about N", "at least N") or
    ``actual > value`` (">N"), measured at the earlier of the as-of date and the phase end.
    ``value`` is a count, or a fraction for the share metrics. The "all activities" share reads
    its window (``window_months`` calendar months ending at M) and its least number of monthly
    meetings in that window (``min_meetings``) from the row (``reporting.club_life``)."""

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("từ … trở lên")
        MORE_THAN = "gt", _("trên …")

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="targets", verbose_name=_("giai đoạn")
    )
    code = models.SlugField(_("mã"), max_length=30)
    label = models.CharField(_("chỉ tiêu"), max_length=200)
    metric = models.CharField(_("chỉ số"), max_length=24, choices=TargetMetric)
    comparison = models.CharField(
        _("so sánh"), max_length=3, choices=Comparison, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("mức chỉ tiêu"), max_digits=12, decimal_places=4)
    age_threshold = models.PositiveSmallIntegerField(_("tuổi từ"), null=True, blank=True)
    window_months = models.PositiveSmallIntegerField(
        _("trong số tháng gần nhất"), null=True, blank=True
    )
    min_meetings = models.PositiveSmallIntegerField(
        _("số buổi sinh hoạt tối thiểu"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu giai đoạn")
        verbose_name_plural = _("chỉ tiêu giai đoạn")
        ordering = ["phase", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "code"], name="target_code_unique"),
            models.CheckConstraint(
                condition=Q(metric__in=TargetMetric.values), name="target_metric_valid"
            ),
            models.CheckConstraint(condition=Q(comparison__in=["gte", "gt"]), name="target_cmp"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive"),
            models.CheckConstraint(
                condition=~Q(metric="cohort_older_members") | Q(age_threshold__isnull=False),
                name="target_older_has_age",
            ),
            models.CheckConstraint(
                condition=~Q(metric="all_activities_share")
                | Q(window_months__gt=0, min_meetings__isnull=False),
                name="target_activities_has_window",
            ),
        ]

    def __str__(self):
        return f"{self.phase.code}: {self.label}"

    @property
    def is_share(self) -> bool:
        """Whether ``value`` is a fraction (the share metrics) rather than a count."""
        return self.metric in SHARE_TARGET_METRICS


class ProvinceTarget(models.Model):
    """What a province's own scheme commits it to in a phase: clubs and members founded in the
    phase (cohort counts, as for the national targets). ``province`` is in the units of the
    phase's era (old-era provinces for phases that ended before 1 July 2025)."""

    phase = models.ForeignKey(
        Phase,
        on_delete=models.CASCADE,
        related_name="province_targets",
        verbose_name=_("giai đoạn"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="phase_targets",
        verbose_name=_("tỉnh/thành phố"),
    )
    clubs = models.PositiveIntegerField(_("số CLB"), null=True, blank=True)
    members = models.PositiveIntegerField(_("số thành viên"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu của tỉnh")
        verbose_name_plural = _("chỉ tiêu của tỉnh")
        ordering = ["phase", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "province"], name="province_target_unique"),
            models.CheckConstraint(
                condition=Q(clubs__isnull=False) | Q(members__isnull=False),
                name="province_target_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.phase.code}: {self.province}"


#: The longest document number an issuer's outgoing register gives (digits only).
NUMBER_LENGTH = 6


class ReportDocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Documents ``user`` may see: all for administrators and the board; for an officer,
        the province reports of their provinces (an old-era province through its successor),
        never the national report (``accounts.access.province_ids_for``)."""
        ids = province_ids_for(user)
        if ids is None:
            return self
        return self.filter(
            Q(province_id__in=ids) | Q(province__successor_id__in=ids),
            province__isnull=False,
        )

    def active(self):
        """Documents whose job is queued or running."""
        return self.filter(status__in=ReportDocument.ACTIVE)

    def lease_passed(self, at: datetime.datetime):
        """Active documents whose lease ended before ``at`` (or that never had one: jobs queued
        before leases existed): their worker is gone, or none took the job in time."""
        return self.active().filter(Q(lease_until__lt=at) | Q(lease_until__isnull=True))

    def prunable(self, before: datetime.datetime):
        """Finished renders (ready or failed) older than ``before``, by the time they finished
        (or were asked for, if they never finished), that are not kept for good: an issued
        report (``issued_at``) keeps its file. ``clean_reports`` deletes them."""
        return self.filter(
            Q(finished_at__lt=before) | Q(finished_at__isnull=True, created_at__lt=before),
            status__in=[ReportDocument.Status.READY, ReportDocument.Status.FAILED],
            issued_at__isnull=True,
        )

    def ready(
        self,
        phase: Phase,
        as_of: datetime.date,
        province: Province | None,
        version: str,
        *,
        language: str = "vi",
        number: str = "",
    ):
        """The kept, finished document for this key (without its content), or ``None``."""
        return (
            self.filter(
                phase=phase,
                scope=ReportDocument.scope_of(province),
                as_of=as_of,
                data_version=version,
                language=language,
                number=number,
                status=ReportDocument.Status.READY,
            )
            .defer("content")
            .first()
        )


class ReportDocument(models.Model):
    """One rendered PDF phase report, kept in the database so that every app server can serve
    it and the same report for the same data is rendered once: its key, the state of its
    background job and, when done, the file (``content``, PDF bytes; ``pages``, the page count).

    The job holds a lease (``lease_until``, ``worker``): a queued job must be taken by a worker
    before its lease ends (``REPORT_QUEUE_WAIT_SECONDS``), a running one is renewed by its
    worker every third of ``REPORT_LEASE_SECONDS``. A job whose lease passed is marked failed
    and, if it was running (its worker died), queued again up to ``REPORT_MAX_ATTEMPTS``
    renders (``reporting.tasks.reclaim``, on request and by ``manage.py clean_reports``).
    Finished renders are deleted ``REPORT_KEEP_DAYS`` days after they finished, except an
    issued report (``issued_at``), kept for good.

    The key is (phase, scope, as-of date, data version): ``scope`` is ``""`` for the national
    report and ``"<era>:<code>"`` for a province's. The data version is that of what the report
    shows (``reporting.cache.data_version``: every club for the national report, the province's
    clubs for a province's), so a kept file never shows stale numbers and a write in one
    province does not re-render another's: new data means a new key and a new render
    (``reporting.tasks``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        READY = "ready", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    class Failure(models.TextChoices):
        """Why a job failed, as the status page says it (the technical text is in ``error``
        and in the log, never shown)."""

        RENDER = "render", _("Lập báo cáo bị lỗi.")
        WORKER_LOST = "worker_lost", _("Máy lập báo cáo đã dừng giữa chừng.")
        NOT_STARTED = (
            "not_started",
            _("Chưa có máy nào nhận lập báo cáo này trong thời gian chờ; hãy thử lại sau."),
        )

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("giai đoạn")
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("tỉnh/thành phố"),
    )
    scope = models.CharField(_("phạm vi"), max_length=20, blank=True)
    as_of = models.DateField(_("số liệu tại ngày"))
    data_version = models.CharField(_("phiên bản dữ liệu"), max_length=32)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    failure = models.CharField(_("lý do lỗi"), max_length=12, choices=Failure, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    #: The end of the job's lease (queued: the time by which a worker must take it; running:
    #: renewed by the worker's heartbeat), and the worker holding it ("host:pid:token").
    lease_until = models.DateTimeField(_("hạn lượt chạy"), null=True, blank=True)
    worker = models.CharField(_("máy lập"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần lập"), default=0)
    issued_at = models.DateTimeField(
        _("ban hành lúc"),
        null=True,
        blank=True,
        help_text=_("Báo cáo đã ban hành được giữ mãi; các bản khác được xoá sau một thời gian."),
    )
    #: The language the report is written in (``settings.LANGUAGES``) and the number typed
    #: when issuing it (from the issuer's outgoing register; empty: left blank to be filled in).
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=settings.LANGUAGES, default="vi"
    )
    number = models.CharField(_("số văn bản"), max_length=NUMBER_LENGTH, blank=True)
    content = models.BinaryField(_("tệp PDF"), null=True, blank=True, editable=False)
    #: The annex (every club of the report) as a spreadsheet, made by the same render.
    annex = models.BinaryField(_("phụ lục .xlsx"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    #: The same report as an editable Word document (.docx), rendered with the PDF.
    docx = models.BinaryField(_("tệp Word"), null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("người yêu cầu"),
    )
    #: The figures the report printed, frozen when it was rendered (``reporting.snapshots``).
    snapshot = models.ForeignKey(
        "FigureSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("số liệu đã chốt"),
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ReportDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo PDF")
        verbose_name_plural = _("báo cáo PDF")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "scope", "as_of", "data_version", "language", "number"],
                name="report_document_key",
            ),
            models.CheckConstraint(
                condition=Q(province__isnull=True, scope="")
                | Q(province__isnull=False) & ~Q(scope=""),
                name="report_document_scope_matches_province",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_document_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.phase.code} {self.scope or 'national'} {formats.day(self.as_of)}"

    @staticmethod
    def scope_of(province: Province | None) -> str:
        """The key part for ``province`` (``""`` for the national report)."""
        return f"{province.era}:{province.code}" if province is not None else ""

    @property
    def has_docx(self) -> bool:
        """Whether the Word file was kept (reports rendered before Word files have none); reads
        only whether the field is empty, not the file."""
        return ReportDocument.objects.filter(pk=self.pk, docx__isnull=False).exists()

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    def filename(self, extension: str = "pdf") -> str:
        """``bao-cao-2018-2020-toan-quoc-2020-12-31.pdf`` or ``bao-cao-2018-2020-tinh-02-….pdf``
        (``-en`` before the extension for an English report; ``extension`` ``"docx"`` for the
        Word file, ``"xlsx"`` for the annex, ``phu-luc-…``)."""
        where = f"tinh-{self.province.code}" if self.province_id else "toan-quoc"
        language = "" if self.language == "vi" else f"-{self.language}"
        stem = "phu-luc" if extension == "xlsx" else "bao-cao"
        return f"{stem}-{self.phase.code}-{where}-{self.as_of.isoformat()}{language}.{extension}"
