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
        """Loans of the clubs ``user`` may see (``Club.objects.for_user``): the club whose fund
        lent, which is the member's club when the loan is made."""
        return self.filter(club__in=Club.objects.for_user(user))

    def overdue(self, day):
        """Loans past their due date at ``day`` (due before it), not repaid and with no income
        outcome yet (they use the partial index ``loan_open_due_idx``)."""
        return self.filter(
            due_on__lt=day, repaid_on__isnull=True, income_outcome="", due_on__isnull=False
        )

    def overdue_for(self, user, day):
        """The loans of the clubs ``user`` may see that are ``overdue`` at ``day``, the longest
        overdue first (by due date, then as entered): the officers' home page counts and
        lists the first of them, the overdue loans' page all of them."""
        return self.for_user(user).overdue(day).order_by("due_on", "pk")


class Loan(models.Model):
    """A loan from a club's revolving fund to one of its members: ``amount_vnd`` in whole VND
    (for in-kind loans, the value of the goods named in ``item``). The income outcome counts for
    the "borrowed and improved income" criterion once assessed (``outcome_assessed_on``).

    ``club`` is the club whose fund lent, the member's club when the loan is made (set on save
    from the member; bulk paths set it themselves); a loan's ``code`` is unique within that club
    (the key for re-importing a loans file; a file's rows are matched on it, so imports set
    ``code_checked`` to skip the per-row query)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="loans")
    club = models.ForeignKey(
        Club, verbose_name=_("CLB"), on_delete=models.PROTECT, related_name="loans", editable=False
    )
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
                fields=["club", "code"], condition=~Q(code=""), name="loan_code_unique_in_club"
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
        indexes = [
            models.Index(fields=["member", "disbursed_on"]),
            models.Index(fields=["club", "disbursed_on"]),
            # The officers' home page lists loans past due without an outcome: only the open
            # ones are indexed, by club then due date, so the list and its count read a few
            # rows of the user's clubs instead of every loan.
            models.Index(
                fields=["club", "due_on"],
                condition=Q(repaid_on__isnull=True, income_outcome="", due_on__isnull=False),
                name="loan_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.member} – {formats.vnd(self.amount_vnd)} ({formats.day(self.disbursed_on)})"

    def save(self, *args, **kwargs):
        if self.club_id is None and self.member_id is not None:
            self.club_id = self.member.club_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.club_id is None and self.member_id is not None:
            self.club_id = self.member.club_id
        if self.code and self.club_id and not getattr(self, "code_checked", False):
            taken = Loan.objects.filter(club_id=self.club_id, code=self.code).exclude(pk=self.pk)
            if taken.exists():
                errors["code"] = _("Mã khoản vay này đã dùng trong CLB.")
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
