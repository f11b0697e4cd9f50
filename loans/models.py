"""Loans from a club's revolving fund, in cash or in kind, their repayment instalments and
income outcome; the club's two funds (income generation, activities) and their movements."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clubs.models import Club, OfClubQuerySet
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

    def refresh_repaid(self) -> None:
        """Set each loan's ``repaid_on`` from its instalments (:func:`repaid_on_from`), for
        bulk paths that wrote instalments without their model's ``save``; loans whose date
        changes are saved one by one (history, ``data_changed``)."""
        loans = list(self.only("pk", "amount_vnd", "repaid_on", "club_id", "member_id"))
        paid = {}
        for loan_id, on, amount in (
            Repayment.objects.filter(loan__in=[x.pk for x in loans])
            .order_by("paid_on")
            .values_list("loan_id", "paid_on", "amount_vnd")
        ):
            paid.setdefault(loan_id, []).append((on, amount))
        for loan in loans:
            day = repaid_on_from(loan.amount_vnd, paid.get(loan.pk, []))
            if day != loan.repaid_on:
                loan.repaid_on = day
                loan.save(update_fields=["repaid_on"])


def repaid_on_from(amount: int, instalments) -> datetime.date | None:
    """The day a loan of ``amount`` VND is repaid in full: the date of the instalment that
    brings the sum of ``instalments`` (``(date, VND)`` pairs) to ``amount``; ``None`` while
    something is outstanding."""
    total = 0
    for on, paid in sorted(instalments):
        total += paid
        if total >= amount:
            return on
    return None


class Loan(models.Model):
    """A loan from a club's revolving fund to one of its members: ``amount_vnd`` in whole VND
    (for in-kind loans, the value of the goods named in ``item``). The income outcome counts for
    the "borrowed and improved income" criterion once assessed (``outcome_assessed_on``).

    ``club`` is the club whose fund lent, the member's club when the loan is made (set on save
    from the member; bulk paths set it themselves); a loan's ``code`` is unique within that club
    (the key for re-importing a loans file; a file's rows are matched on it, so imports set
    ``code_checked`` to skip the per-row query, and ``paid``, the instalments' ``(date, VND)``
    read with the file, to skip those of the instalments).

    The loan is repaid by its instalments (``repayments``); ``repaid_on`` is the day they
    reach the amount, kept from them (:meth:`refresh_repaid`)."""

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
    #: The day the instalments reached the amount (``repaid_on_from``), kept from them by
    #: every write of instalments; the overdue lists and their index read it.
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
        if self.pk and self.amount_vnd and self.disbursed_on and not errors:
            paid = getattr(self, "paid", None)
            if paid is None:
                paid = list(self.repayments.values_list("paid_on", "amount_vnd"))
            first = min((on for on, _vnd in paid), default=None)
            if first and first < self.disbursed_on:
                errors["disbursed_on"] = _(
                    "Ngày giải ngân không được sau lần trả nợ đầu tiên (%(day)s)."
                ) % {"day": formats.day(first)}
            repaid = sum(vnd for _on, vnd in paid)
            if repaid > self.amount_vnd:
                errors["amount_vnd"] = _("Số tiền không được nhỏ hơn số đã trả (%(paid)s).") % {
                    "paid": formats.vnd(repaid)
                }
        if errors:
            raise ValidationError(errors)

    def repaid_total(self, day: datetime.date | None = None) -> int:
        """VND repaid by the instalments (those on or before ``day`` when given)."""
        rows = self.repayments.all()
        if day is not None:
            rows = rows.filter(paid_on__lte=day)
        return rows.aggregate(s=Sum("amount_vnd"))["s"] or 0

    def outstanding(self, day: datetime.date | None = None) -> int:
        """VND still owed at ``day`` (today when omitted): the amount less the instalments paid
        on or before it; 0 before the disbursement."""
        day = day or timezone.localdate()
        if self.disbursed_on > day:
            return 0
        return self.amount_vnd - self.repaid_total(day)

    def refresh_repaid(self) -> None:
        """Keep ``repaid_on`` from the instalments (saved only when it changes)."""
        paid = self.repayments.values_list("paid_on", "amount_vnd")
        day = repaid_on_from(self.amount_vnd, paid)
        if day != self.repaid_on:
            self.repaid_on = day
            self.save(update_fields=["repaid_on"])


class Repayment(models.Model):
    """An instalment repaid on a loan: ``amount_vnd`` whole VND on ``paid_on`` (one a day per
    loan). The instalments of a loan never sum to more than its amount; the loan's
    ``repaid_on`` is the day they reach it."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="repayments")
    paid_on = models.DateField(_("ngày trả"))
    amount_vnd = models.PositiveBigIntegerField(_("số tiền trả (đồng)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lần trả nợ")
        verbose_name_plural = _("lần trả nợ")
        ordering = ["loan", "paid_on"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "paid_on"], name="repayment_one_a_day"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="repayment_positive"),
        ]

    def __str__(self):
        return f"{formats.day(self.paid_on)}: {formats.vnd(self.amount_vnd)}"

    def clean(self):
        """Refuse an instalment after today or before the disbursement, and one that makes the
        instalments exceed the loan's amount (unless ``total_checked``: the loan form checks
        the total of the instalments it saves together)."""
        errors = {}
        loan = self.loan
        if self.paid_on and self.paid_on > timezone.localdate():
            errors["paid_on"] = _("Ngày trả không được sau hôm nay.")
        elif self.paid_on and loan.disbursed_on and self.paid_on < loan.disbursed_on:
            errors["paid_on"] = _("Ngày trả không được trước ngày giải ngân.")
        if self.amount_vnd and loan.pk and not getattr(self, "total_checked", False):
            others = loan.repayments.exclude(pk=self.pk).aggregate(s=Sum("amount_vnd"))["s"] or 0
            if others + self.amount_vnd > loan.amount_vnd:
                errors["amount_vnd"] = _(
                    "Tổng số đã trả (%(total)s) vượt số tiền vay (%(amount)s)."
                ) % {
                    "total": formats.vnd(others + self.amount_vnd),
                    "amount": formats.vnd(loan.amount_vnd),
                }
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.loan.refresh_repaid()

    def delete(self, *args, **kwargs):
        loan = self.loan
        result = super().delete(*args, **kwargs)
        loan.refresh_repaid()
        return result


class FundKind(models.TextChoices):
    """A club's two funds (Decision 1336/QĐ-TTg §I.2: an income-generation fund and an activity
    fund managed by the club itself)."""

    REVOLVING = "revolving", _("Quỹ tạo thu nhập (quay vòng)")
    ACTIVITY = "activity", _("Quỹ hoạt động")


class MovementKind(models.TextChoices):
    """What is entered on a fund; loans out and repayments are not among them: the revolving
    fund's loans and their instalments move its balance themselves."""

    CONTRIBUTION = "contribution", _("Thành viên đóng góp")
    GRANT_PROJECT = "grant_project", _("Dự án hỗ trợ")
    GRANT_COMMUNE = "grant_commune", _("Xã hỗ trợ")
    INTEREST = "interest", _("Lãi, phí thu được")
    SPENDING = "spending", _("Chi")


#: The kinds that take money out of a fund; the others bring money in.
OUTFLOWS = frozenset({MovementKind.SPENDING})


class Fund(models.Model):
    """One of a club's funds (``kind``), set up on ``opened_on``; its movements are entered
    (contributions, grants, interest, spending), and for the revolving fund the club's loans
    (``Loan.club``) and their instalments move it too."""

    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="funds")
    kind = models.CharField(_("quỹ"), max_length=10, choices=FundKind)
    opened_on = models.DateField(_("ngày lập quỹ"))

    history = HistoricalRecords()
    objects = OfClubQuerySet.as_manager()

    class Meta:
        verbose_name = _("quỹ")
        verbose_name_plural = _("quỹ")
        ordering = ["club", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["club", "kind"], name="fund_one_of_each_kind"),
            models.CheckConstraint(condition=Q(kind__in=FundKind.values), name="fund_kind_valid"),
        ]

    def __str__(self):
        return f"{self.club} – {self.get_kind_display()}"

    def clean(self):
        error = (
            self.club.event_day_error(self.opened_on, _("Ngày lập quỹ")) if self.club_id else None
        )
        if error:
            raise ValidationError({"opened_on": error})


class FundMovement(models.Model):
    """Money entered on a fund on ``moved_on``: ``amount_vnd`` whole VND, in or out by its
    ``kind`` (``OUTFLOWS``)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="movements")
    moved_on = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=14, choices=MovementKind)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thu chi quỹ")
        verbose_name_plural = _("thu chi quỹ")
        ordering = ["fund", "moved_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="movement_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="movement_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["fund", "moved_on"])]

    def __str__(self):
        return (
            f"{formats.day(self.moved_on)} {self.get_kind_display()} {formats.vnd(self.amount_vnd)}"
        )

    @property
    def signed_vnd(self) -> int:
        """The amount with its direction: negative for spending."""
        return -self.amount_vnd if self.kind in OUTFLOWS else self.amount_vnd

    def clean(self):
        """Refuse a movement before the fund was set up, after today, or after the club's
        dissolution."""
        if not self.fund_id or not self.moved_on:
            return
        error = self.fund.club.event_day_error(self.moved_on, _("Ngày"))
        if not error and self.moved_on < self.fund.opened_on:
            error = _("Ngày không được trước ngày lập quỹ (%(day)s).") % {
                "day": formats.day(self.fund.opened_on)
            }
        if error:
            raise ValidationError({"moved_on": error})
