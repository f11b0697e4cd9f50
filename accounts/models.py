"""Users and their role in the programme: administrators, steering-board members, provincial
officers (their access rules are in ``accounts.access``)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from common import formats


class User(AbstractUser):
    """A person who signs in: an administrator, a steering-board member or a provincial officer.

    Officers reach the provinces assigned to them through ``clubs.OfficerAssignment``.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Quản trị viên")
        BOARD = "board", _("Thành viên Ban Điều hành")
        OFFICER = "officer", _("Cán bộ tỉnh")

    role = models.CharField(_("vai trò"), max_length=10, choices=Role, default=Role.OFFICER)

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "board", "officer"]), name="user_role_valid"
            ),
        ]

    def get_full_name(self):
        """Vietnamese order: family and middle names (``last_name``), then the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_board(self) -> bool:
        return self.role == self.Role.BOARD and not self.is_superuser

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER and not self.is_superuser

    @property
    def can_write(self) -> bool:
        """Board members read everything and write nothing."""
        return not self.is_board


class AuditEvent(models.Model):
    """A record of who took personal data out of the system, what, and when: spreadsheet
    exports, PDF downloads and anonymisations (Decree 13/2023/NĐ-CP on personal data).

    Written through :func:`accounts.audit.record`; read-only in the admin. ``detail`` names what
    was taken (e.g. "members of club 02-001, 48 rows") and never holds a national ID.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("Xuất bảng tính")
        PDF = "pdf", _("Tải báo cáo PDF")
        ANONYMISE = "anonymise", _("Ẩn danh hoá thành viên")
        OTHER = "other", _("Khác")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=10, choices=Action)
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy xuất dữ liệu")
        verbose_name_plural = _("nhật ký truy xuất dữ liệu")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{formats.moment(self.at)} {self.username} {self.get_action_display()}"


class RetentionPolicy(models.Model):
    """How long personal data of members who left is kept (one row, edited by an administrator).

    ``anonymise_after_months``: members who left at least that many calendar months ago are
    anonymised by ``manage.py anonymise_members`` (run daily by cron); empty means never.
    """

    anonymise_after_months = models.PositiveSmallIntegerField(
        _("ẩn danh hoá sau (tháng kể từ ngày rời CLB)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không tự động ẩn danh hoá."),
    )

    class Meta:
        verbose_name = _("chính sách lưu giữ dữ liệu cá nhân")
        verbose_name_plural = _("chính sách lưu giữ dữ liệu cá nhân")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "RetentionPolicy":
        """The single policy row (created empty, i.e. "never", on first use)."""
        return cls.objects.get_or_create(pk=1)[0]


class Submission(models.Model):
    """A create form's submission, claimed once (``accounts.submissions.once``): ``token`` is
    the random value the form page carried; ``url`` the page the first submission led to.
    Two POSTs of one page (a double click, two tabs) meet this row's unique token: the second
    creates nothing and is sent where the first went."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token
