"""Rendered PDF phase reports, kept in the database so that every app server can serve them and
the same report for the same data is rendered once (issue 7).

A :class:`ReportDocument` is keyed on (phase, scope, as-of date, data version): ``scope`` is
``""`` for the national report and ``"<era>:<code>"`` for a province's. The data version comes
from ``reporting.cache.data_version()``, which every write bumps, so a kept file never shows
stale numbers: new data means a new key and a new render.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from clubs.models import Province

from .models import Phase

logger = logging.getLogger(__name__)


class ReportDocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Documents ``user`` may see: all for administrators and the board; for an officer,
        the province reports of their provinces (an old-era province through its successor),
        never the national report. Goes through ``Club.objects.for_user``'s scoping rule."""
        from accounts.access import province_ids_for

        ids = province_ids_for(user)
        if ids is None:
            return self
        return self.filter(
            models.Q(province_id__in=ids) | models.Q(province__successor_id__in=ids),
            province__isnull=False,
        )


class ReportDocument(models.Model):
    """One PDF phase report: its key, the state of its background job and, when done, the file
    (``content``, PDF bytes; ``pages``, the page count)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        READY = "ready", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="documents")
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    scope = models.CharField(_("phạm vi"), max_length=20, blank=True)
    as_of = models.DateField(_("số liệu tại ngày"))
    data_version = models.BigIntegerField(_("phiên bản dữ liệu"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(_("tệp PDF"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
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
                fields=["phase", "scope", "as_of", "data_version"], name="report_document_key"
            ),
            models.CheckConstraint(
                condition=models.Q(province__isnull=True, scope="")
                | models.Q(province__isnull=False) & ~models.Q(scope=""),
                name="report_document_scope_matches_province",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_document_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.phase.code} {self.scope or 'national'} {self.as_of:%d/%m/%Y}"

    @staticmethod
    def scope_of(province: Province | None) -> str:
        """The key part for ``province`` (``""`` for the national report)."""
        return f"{province.era}:{province.code}" if province is not None else ""

    @property
    def is_national(self) -> bool:
        return self.province_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    def filename(self) -> str:
        """``bao-cao-2018-2020-toan-quoc-2020-12-31.pdf`` or ``bao-cao-2018-2020-tinh-02-….pdf``."""
        where = f"tinh-{self.province.code}" if self.province_id else "toan-quoc"
        return f"bao-cao-{self.phase.code}-{where}-{self.as_of.isoformat()}.pdf"


# --------------------------------------------------------------------------- requesting, running


def find_ready(phase: Phase, as_of, province: Province | None, version: int):
    """The kept, finished document for this key, or ``None``."""
    return (
        ReportDocument.objects.filter(
            phase=phase,
            scope=ReportDocument.scope_of(province),
            as_of=as_of,
            data_version=version,
            status=ReportDocument.Status.READY,
        )
        .defer("content")
        .first()
    )


def request_document(*, phase: Phase, as_of, province: Province | None, user=None):
    """Find the document for (phase, province, as_of, current data version), or create it and
    enqueue its background job. A failed document is queued again. Returns
    ``(document, enqueued)``; the caller has checked that ``user`` may see the report."""
    from .cache import data_version
    from .tasks import render_report_document

    version = data_version()
    key = {
        "phase": phase,
        "scope": ReportDocument.scope_of(province),
        "as_of": as_of,
        "data_version": version,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                document, created = ReportDocument.objects.defer("content").get_or_create(
                    **key, defaults={"province": province, "requested_by": user}
                )
        except IntegrityError:  # the same request at the same moment from elsewhere
            return ReportDocument.objects.defer("content").get(**key), False
        if not created and document.status != ReportDocument.Status.FAILED:
            return document, False
        if not created:
            document.status, document.progress, document.step, document.error = (
                ReportDocument.Status.QUEUED,
                0,
                "",
                "",
            )
            document.save(update_fields=["status", "progress", "step", "error"])
        result = render_report_document.enqueue(document.pk)
        ReportDocument.objects.filter(pk=document.pk).update(task_id=str(result.id))
        document.task_id = str(result.id)
    document.refresh_from_db(fields=["status", "progress", "step", "error"])
    return document, True


def run_document(document_id: int) -> ReportDocument:
    """Render a queued document and keep the PDF (the body of the background job). Progress
    goes to ``progress``/``step`` as the render advances; an error marks it failed with the
    message. A document already ready is returned as it is."""
    from .cache import data_version
    from .pdf import render_report

    document = ReportDocument.objects.select_related("phase", "province").get(pk=document_id)
    if document.status == ReportDocument.Status.READY:
        return document
    rows = ReportDocument.objects.filter(pk=document.pk)
    # Stamp the version the render actually reads (a write since the request bumped it).
    version = data_version()
    if version != document.data_version:
        try:
            with transaction.atomic():
                rows.update(data_version=version)
            document.data_version = version
        except IntegrityError:
            pass
    rows.update(status=ReportDocument.Status.RUNNING, progress=1, step="")

    def progress(percent, step):
        rows.update(progress=percent, step=step)

    try:
        rendered = render_report(
            document.phase,
            document.as_of,
            document.province,
            data_version=document.data_version,
            progress=progress,
        )
    except Exception as error:  # kept on the document for the status page, and logged
        logger.exception("report %s failed", document.pk)
        rows.update(status=ReportDocument.Status.FAILED, error=str(error), finished_at=now())
        document.refresh_from_db()
        return document
    rows.update(
        status=ReportDocument.Status.READY,
        progress=100,
        step="",
        content=rendered.content,
        pages=rendered.pages,
        size=len(rendered.content),
        finished_at=now(),
    )
    document.refresh_from_db()
    return document
