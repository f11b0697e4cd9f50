"""Who issues the phase reports: the national steering board and each province's, as an
administrator sets them (the letterhead, the document symbol, the place and the signer of
Decree 30/2020/NĐ-CP, Appendix I). A model of the reporting app, defined here and exported by
``reporting.models``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clubs.models import Era, Province


def national_issuer_defaults() -> dict:
    """The national issuing body's lines when no administrator has set them."""
    return {
        "parent_body": "TRUNG ƯƠNG HỘI NGƯỜI CAO TUỔI VIỆT NAM",
        "parent_body_en": "Central Committee of the Vietnam Association of the Elderly",
        "issuing_body": "BAN ĐIỀU HÀNH ĐỀ ÁN",
        "issuing_body_en": "Scheme Steering Board",
        "symbol": "BC-BĐH",
        "signer_title": "TRƯỞNG BAN",
        "signer_title_en": "Head of the Board",
        "signer_name": "",
        "place": "Hà Nội",
    }


def province_issuer_defaults(province: Province) -> dict:
    """A province's issuing body when no administrator has set it: its provincial association
    of the elderly and the scheme's steering board there; the place is the province's name."""
    return {
        **national_issuer_defaults(),
        "parent_body": f"HỘI NGƯỜI CAO TUỔI {province.name.upper()}",
        "parent_body_en": f"Association of the Elderly of {province.name}",
        "issuing_body": "BAN ĐIỀU HÀNH ĐỀ ÁN",
        "issuing_body_en": f"Scheme Steering Board of {province.short_name}",
        "place": province.short_name,
    }


class ReportIssuerQuerySet(models.QuerySet):
    def for_province(self, province: Province | None) -> "ReportIssuer":
        """The issuer of a report: the national row (``province`` ``None``) or the row of the
        province, which issues today in its post-2025 unit (an old-era province through its
        successor); an unsaved issuer with the defaults when no row is set."""
        if province is not None and province.era == Era.PRE2025:
            province = province.successor
        row = self.filter(province=province).first()
        if row is not None:
            return row
        if province is None:
            return ReportIssuer(**national_issuer_defaults())
        return ReportIssuer(province=province, **province_issuer_defaults(province))


class ReportIssuer(models.Model):
    """The issuing body of the phase reports, as an administrator sets it: the national row
    (no province) and one row per province (post-2025 units). The letterhead (Decree
    30/2020/NĐ-CP, Appendix I) prints the parent body and the issuing body, the document
    symbol after the number ("Số:     /BC-BĐH"), the place with the issue date, and the
    signer's title and name. The ``_en`` lines (the bodies' and the signer's title) are
    printed in English reports beneath the Vietnamese ones, which every report keeps."""

    province = models.OneToOneField(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"era": Era.POST2025},
        related_name="report_issuer",
        verbose_name=_("tỉnh/thành phố"),
        help_text=_("Để trống cho cơ quan ban hành báo cáo toàn quốc."),
    )
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=150)
    parent_body_en = models.CharField(_("cơ quan chủ quản (tiếng Anh)"), max_length=150, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=150)
    issuing_body_en = models.CharField(
        _("cơ quan ban hành (tiếng Anh)"), max_length=150, blank=True
    )
    symbol = models.CharField(
        _("ký hiệu văn bản"), max_length=30, help_text=_("Phần sau số, ví dụ BC-BĐH.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_title_en = models.CharField(
        _("chức vụ người ký (tiếng Anh)"), max_length=100, blank=True
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    place = models.CharField(
        _("địa danh"), max_length=60, help_text=_("Tên tỉnh/thành phố nơi cơ quan đóng trụ sở.")
    )

    objects = ReportIssuerQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan ban hành báo cáo")
        verbose_name_plural = _("cơ quan ban hành báo cáo")
        constraints = [
            # One national row (no province) and one row per province.
            models.UniqueConstraint(
                Coalesce("province", Value(0)),
                name="report_issuer_one_per_scope",
            ),
        ]

    def __str__(self):
        return f"{self.parent_body} – {self.issuing_body}"

    def clean(self):
        if self.province_id and self.province.era != Era.POST2025:
            raise ValidationError(
                {"province": _("Chọn tỉnh/thành phố theo đơn vị hành chính sau 01/07/2025.")}
            )
