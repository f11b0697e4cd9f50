"""Loans from a club's revolving fund, in cash or in kind, and their income outcome."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club
from common import formats
from members.models import Member


class LoanKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    IN_KIND = "in_kind", _("Hiện vật")


class IncomeOutcome(models.TextChoices):
    NOT_ASSESSED = "", _("Chưa đánh giá")
    IMPROVED = "improved", _("Cải thiện")
    NOT_IMPROVED = "not_improved", _("Không cải thiện")


class LoanQuerySet(models.QuerySet):
    def for_user(self, user):
        """Loans of members of the clubs ``user`` may see (``Club.objects.for_user``)."""
        return self.filter(member__club__in=Club.objects.for_user(user))


class Loan(models.Model):
    """A loan to a member: ``amount_vnd`` in whole VND (for in-kind loans, the value of the
    goods named in ``item``). The income outcome counts for the "borrowed and improved income"
    criterion once assessed (``outcome_assessed_on``)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="loans")
    code = models.CharField(_("mã khoản vay"), max_length=30, blank=True)
    kind = models.CharField(_("hình thức"), max_length=8, choices=LoanKind)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    item = models.CharField(_("hiện vật"), max_length=150, blank=True)
    disbursed_on = models.DateField(_("ngày giải ngân"))
    due_on = models.DateField(_("hạn trả"), null=True, blank=True)
    repaid_on = models.DateField(_("ngày trả xong"), null=True, blank=True)
    income_outcome = models.CharField(
        _("kết quả thu nhập"), max_length=12, choices=IncomeOutcome, blank=True
    )
    outcome_assessed_on = models.DateField(_("ngày đánh giá"), null=True, blank=True)

    history = HistoricalRecords()
    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản vay")
        verbose_name_plural = _("khoản vay")
        ordering = ["-disbursed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "code"], condition=~Q(code=""), name="loan_code_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=LoanKind.values), name="loan_kind_valid"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind=LoanKind.CASH) | ~Q(item=""), name="loan_in_kind_has_item"
            ),
            models.CheckConstraint(
                condition=Q(income_outcome__in=IncomeOutcome.values),
                name="loan_outcome_valid",
            ),
            models.CheckConstraint(
                condition=(Q(income_outcome="") & Q(outcome_assessed_on__isnull=True))
                | (~Q(income_outcome="") & Q(outcome_assessed_on__isnull=False)),
                name="loan_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("disbursed_on")),
                name="loan_due_after_disbursed",
            ),
            models.CheckConstraint(
                condition=Q(repaid_on__isnull=True) | Q(repaid_on__gte=F("disbursed_on")),
                name="loan_repaid_after_disbursed",
            ),
            models.CheckConstraint(
                condition=Q(outcome_assessed_on__isnull=True)
                | Q(outcome_assessed_on__gte=F("disbursed_on")),
                name="loan_outcome_after_disbursed",
            ),
        ]
        indexes = [models.Index(fields=["member", "disbursed_on"])]

    def __str__(self):
        return f"{self.member} – {formats.vnd(self.amount_vnd)} ({formats.day(self.disbursed_on)})"

    @classmethod
    def code_taken(cls, club_id: int, code: str, exclude_pk=None) -> bool:
        """Whether another loan of the club ``club_id`` has ``code``: a loan code is unique
        within its club (the key for re-importing, IMPORT_TEMPLATES "loans")."""
        return (
            cls.objects.filter(member__club_id=club_id, code=code).exclude(pk=exclude_pk).exists()
        )

    def clean(self):
        errors = {}
        today = timezone.localdate()
        member = self.member if self.member_id else None
        if member and self.disbursed_on and self.disbursed_on < member.joined_on:
            errors["disbursed_on"] = _(
                "Ngày giải ngân không được trước ngày thành viên tham gia CLB."
            )
        for field, label in (
            ("disbursed_on", _("Ngày giải ngân")),
            ("repaid_on", _("Ngày trả xong")),
            ("outcome_assessed_on", _("Ngày đánh giá")),
        ):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, _("%(label)s không được sau hôm nay.") % {"label": label})
        if self.kind == LoanKind.IN_KIND and not self.item:
            errors["item"] = _("Khoản vay hiện vật cần ghi rõ hiện vật.")
        if self.income_outcome and not self.outcome_assessed_on:
            errors["outcome_assessed_on"] = _("Hãy nhập ngày đánh giá kết quả thu nhập.")
        if self.outcome_assessed_on and not self.income_outcome:
            errors["income_outcome"] = _("Hãy chọn kết quả thu nhập.")
        for field, label in (
            ("due_on", _("Hạn trả")),
            ("repaid_on", _("Ngày trả xong")),
            ("outcome_assessed_on", _("Ngày đánh giá")),
        ):
            value = getattr(self, field)
            if value and self.disbursed_on and value < self.disbursed_on:
                errors[field] = _("%(label)s không được trước ngày giải ngân.") % {"label": label}
        if errors:
            raise ValidationError(errors)
