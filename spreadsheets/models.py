"""The record of each committed import batch, and of every row it wrote (for its undo).

An :class:`ImportBatch` names the kind, the file, who imported it and when, the counts, and the
clubs and provinces it touched. Every history record its writes leave (django-simple-history)
carries the batch's :attr:`ImportBatch.reason` ("Nhập từ tệp «…» lúc … bởi … (lô 12)") as its
change reason. Each :class:`BatchRow` is one row the batch created or updated, with the values
of the fields it changed as they were before (to restore them when the batch is undone).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One committed import of a file. ``club_ids`` (a JSON list of club ids) are the clubs
    whose figures it changed; ``undone_at``/``undone_by`` are set once it is undone."""

    kind = models.CharField(_("loại dữ liệu"), max_length=40)
    file_name = models.CharField(_("tệp"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("lúc nhập"), db_index=True)
    new_count = models.PositiveIntegerField(_("mới"), default=0)
    updated_count = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("không đổi"), default=0)
    club_ids = models.JSONField(_("CLB bị ảnh hưởng"), default=list)
    #: the change reason of every history record the batch wrote (at most 100 characters)
    reason = models.CharField(_("lý do ghi trong lịch sử"), max_length=100, blank=True)
    undone_at = models.DateTimeField(_("lúc hoàn tác"), null=True, blank=True)
    #: the stored upload this batch imported (its storage name): a second confirm of the same
    #: upload (a double click) finds it taken and imports nothing
    upload = models.CharField(max_length=255, null=True, blank=True, unique=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hoàn tác"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lô nhập dữ liệu")
        verbose_name_plural = _("lô nhập dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.kind} «{self.file_name}»"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class BatchProvince(models.Model):
    """A new-era province whose clubs a batch touched (officers see the batches of their
    provinces)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="provinces")
    province_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "province_id"], name="batch_province_once")
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.province_id}"


class BatchRow(models.Model):
    """One record a batch wrote: ``model`` (``app_label.modelname``), ``object_id``, whether it
    was created (``NEW``) or updated (``UPDATED``) and, for an update, ``before``: the values
    (by attribute name, JSON) of the fields the batch changed, as they were before it."""

    class Action(models.TextChoices):
        NEW = "new", _("Tạo mới")
        UPDATED = "updated", _("Cập nhật")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    model = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"], name="batchrow_object")]

    def __str__(self):
        return f"{self.batch_id}: {self.action} {self.model} #{self.object_id}"


class ColumnMapping(models.Model):
    """The column-mapping step remembered: in files of ``kind`` whose normalised headers hash
    to ``headers_key`` (:func:`spreadsheets.services.headers_key`), imported into province
    ``province_id`` (a new-era province's id), each template header of ``renamed`` is the
    file's column of that name."""

    kind = models.CharField(max_length=40)
    headers_key = models.CharField(max_length=64)
    province_id = models.BigIntegerField()
    renamed = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách ghép cột đã lưu")
        verbose_name_plural = _("cách ghép cột đã lưu")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "headers_key", "province_id"], name="column_mapping_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.headers_key[:8]} ({self.province_id})"


class ImportJob(models.Model):
    """A preview or an import of a large file, run by the background worker
    (``spreadsheets.jobs``): ``upload`` is the stored upload, ``options`` the preview's
    choices (``{"d": date columns read day-first, "m": column mapping}``), ``result`` the
    report once done (the preview's data, JSON), ``batch`` the batch an import saved."""

    class Mode(models.TextChoices):
        PREVIEW = "preview", _("xem trước")
        IMPORT = "import", _("nhập")

    class Status(models.TextChoices):
        QUEUED = "queued", _("đang chờ")
        RUNNING = "running", _("đang chạy")
        DONE = "done", _("xong")
        FAILED = "failed", _("lỗi")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    upload = models.CharField(max_length=255)
    options = models.JSONField(default=dict)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("việc nhập dữ liệu nền")
        verbose_name_plural = _("việc nhập dữ liệu nền")

    def __str__(self):
        return f"{self.mode} {self.kind} «{self.file_name}» ({self.status})"
