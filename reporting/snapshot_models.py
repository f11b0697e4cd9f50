"""Frozen figures (:class:`FigureSnapshot`), a model of ``reporting.models`` kept in a module
of its own; made and checked by ``reporting.snapshots``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import province_ids_for
from common import formats


class FigureSnapshotQuerySet(models.QuerySet):
    def for_user(self, user):
        """Snapshots ``user`` may see: all for administrators and the board; for an officer,
        those of their provinces (an old-era province through its successor), never a national
        one (``accounts.access.province_ids_for``)."""
        ids = province_ids_for(user)
        if ids is None:
            return self
        return self.filter(
            Q(province_id__in=ids) | Q(province__successor_id__in=ids),
            province__isnull=False,
        )


class FigureSnapshot(models.Model):
    """Figures frozen as they were issued: a report's, a province's submission for a period.
    Made and checked by ``reporting.snapshots`` (see there for the shape of ``figures``).

    ``figures`` is the canonical JSON text (RFC 8785) exactly as hashed: ``sha256`` is the
    SHA-256 of its UTF-8 bytes in hexadecimal, ``code`` the first 10 characters of the
    base32 (RFC 4648) of that digest, the verification code printed on the report. Equal
    figures have equal codes. ``scope`` is ``""`` for the nation and ``"<era>:<code>"`` for a
    province (``province``, of the era of ``as_of``). ``data_time`` is the time of the latest
    write the figures reflect (``None`` when no write was timed yet)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo")
        SUBMISSION = "submission", _("Số liệu tỉnh gửi")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind)
    province = models.ForeignKey(
        "clubs.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("tỉnh/thành phố"),
    )
    scope = models.CharField(_("phạm vi"), max_length=20, blank=True)
    phase = models.ForeignKey(
        "reporting.Phase",
        on_delete=models.PROTECT,
        related_name="snapshots",
        verbose_name=_("giai đoạn"),
    )
    as_of = models.DateField(_("số liệu tại ngày"))
    figures = models.TextField(_("số liệu (JSON chuẩn hoá)"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    code = models.CharField(_("mã xác minh"), max_length=10, db_index=True, editable=False)
    data_time = models.DateTimeField(_("thời điểm dữ liệu"), null=True, blank=True)
    created_at = models.DateTimeField(_("chốt lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người chốt"),
    )

    objects = FigureSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu đã chốt")
        verbose_name_plural = _("số liệu đã chốt")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "scope", "as_of", "created_at"])]
        constraints = [
            # The same figures frozen twice for the same report or submission are one row.
            models.UniqueConstraint(
                fields=["kind", "scope", "phase", "as_of", "sha256"], name="figure_snapshot_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["report", "submission"]), name="figure_snapshot_kind"
            ),
            models.CheckConstraint(
                condition=Q(province__isnull=True, scope="")
                | Q(province__isnull=False) & ~Q(scope=""),
                name="figure_snapshot_scope_matches_province",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.scope or 'national'} {formats.day(self.as_of)})"
