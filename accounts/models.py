"""Users and their role in the programme (DESIGN §3)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
