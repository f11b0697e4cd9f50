"""Spreadsheet resource for loans (template ``LOAN_COLUMNS``).

A row names its member by member code, or by full name and birth year; the loan's key is
(club, loan code), or (member, disbursement date, kind, amount) when the code is blank.

"Ngày trả xong" says the loan was repaid in full that day: what is still outstanding becomes
one instalment on it (a loan repaid by its one instalment has that instalment moved); a blank
cell leaves the instalments as they are.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields
from simple_history.utils import bulk_update_with_history

from clubs.resources import ClubRows
from common import formats
from members.models import Member
from members.resources import MemberIndex
from spreadsheets import cells as sheets
from spreadsheets.bulk import create_with_history
from spreadsheets.registry import register
from spreadsheets.resources import (
    Column,
    SpreadsheetResource,
    choice_cell,
    code_cell,
    date_cell,
    money_cell,
    text_cell,
)

from .models import IncomeOutcome, Loan, LoanKind, Repayment

LOAN_COLUMNS = (
    Column("Mã CLB", "club_code", True, example="TQ-2025-001"),
    Column(
        "Mã thành viên",
        "member_code",
        False,
        "Hoặc ghi cả Họ và tên và Năm sinh.",
        example="001",
    ),
    Column("Họ và tên", "full_name", False, example="Nguyễn Thị Lan"),
    Column("Năm sinh", "birth_year", False, "", "int", example=1950),
    Column(
        "Mã khoản vay",
        "loan_code",
        False,
        "Duy nhất trong CLB; là khoá khi nhập lại.",
        example="V001",
    ),
    Column(
        "Hình thức",
        "kind",
        True,
        choices=LoanKind,
        example=sheets.vietnamese_label(LoanKind, LoanKind.CASH),
    ),
    Column(
        "Số tiền (đồng)",
        "amount_vnd",
        True,
        "Số đồng nguyên, ví dụ 1.500.000.",
        "money",
        example=2_000_000,
    ),
    Column("Hiện vật", "item", False, "Bắt buộc với khoản vay hiện vật."),
    Column("Ngày giải ngân", "disbursed_on", True, "dd/mm/yyyy", "date", example="15/09/2025"),
    Column("Hạn trả", "due_on", False, "dd/mm/yyyy", "date", example="15/09/2026"),
    Column(
        "Ngày trả xong",
        "repaid_on",
        False,
        "dd/mm/yyyy. Trả hết vào ngày này (phần còn nợ ghi thành một lần trả); để trống: giữ "
        "nguyên các lần trả đã ghi.",
        "date",
    ),
    Column(
        "Kết quả thu nhập",
        "income_outcome",
        False,
        "Để trống khi chưa đánh giá.",
        choices=IncomeOutcome,
    ),
    Column(
        "Ngày đánh giá", "outcome_assessed_on", False, "Bắt buộc khi có kết quả thu nhập.", "date"
    ),
)


parse_kind = sheets.choice_parser(LoanKind)


@register("loans", order=3, label=_lazy("Khoản vay"), file_name="danh-sach-khoan-vay")
class LoanResource(ClubRows, SpreadsheetResource):
    columns = LOAN_COLUMNS
    title = "Danh sách khoản vay"
    key_attribute = "code"
    error_columns = {"member": "Mã thành viên", "club": "Mã CLB"}

    club_code = fields.Field(None, "Mã CLB", dehydrate_method="dehydrate_club_code")
    member_code = fields.Field(None, "Mã thành viên", dehydrate_method="dehydrate_member_code")
    member_name = fields.Field(None, "Họ và tên", dehydrate_method="dehydrate_member_name")
    birth_year = fields.Field(None, "Năm sinh", dehydrate_method="dehydrate_birth_year")
    code = fields.Field("code", "Mã khoản vay", code_cell())
    kind = fields.Field("kind", "Hình thức", choice_cell(LoanKind, True))
    amount_vnd = fields.Field("amount_vnd", "Số tiền (đồng)", money_cell(True))
    item = fields.Field("item", "Hiện vật", text_cell())
    disbursed_on = fields.Field("disbursed_on", "Ngày giải ngân", date_cell(True))
    due_on = fields.Field("due_on", "Hạn trả", date_cell())
    repaid_on = fields.Field("repaid_on", "Ngày trả xong", date_cell())
    income_outcome = fields.Field("income_outcome", "Kết quả thu nhập", choice_cell(IncomeOutcome))
    outcome_assessed_on = fields.Field("outcome_assessed_on", "Ngày đánh giá", date_cell())

    class Meta(SpreadsheetResource.Meta):
        model = Loan
        fields = (
            "club_code",
            "member_code",
            "member_name",
            "birth_year",
            "code",
            "kind",
            "amount_vnd",
            "item",
            "disbursed_on",
            "due_on",
            "repaid_on",
            "income_outcome",
            "outcome_assessed_on",
        )

    def prepare(self, dataset):
        self.load_clubs(self.column_values(dataset, "Mã CLB"))
        club_ids = [c.pk for c in self.clubs.values()]
        self.members = MemberIndex(self.clubs.values())
        members = {m.pk: m for found in self.members.by_name.values() for m in found}
        self.loans_by_code, self.by_fact = {}, {}
        by_code = self.loans_by_code
        for loan in Loan.objects.filter(club_id__in=club_ids):
            loan.member = members.get(loan.member_id) or loan.member
            if loan.code:
                by_code.setdefault(loan.club_id, {})[loan.code] = loan
            fact = (loan.member_id, loan.disbursed_on, loan.kind, loan.amount_vnd)
            self.by_fact.setdefault(fact, []).append(loan)
        self.instalments = {}
        for r in Repayment.objects.filter(loan__club_id__in=club_ids).order_by("paid_on"):
            self.instalments.setdefault(r.loan_id, []).append(r)
        self.settle = []

    def member_for(self, row) -> Member:
        """The member a row names (raises ValidationError keyed by the column at fault)."""
        try:
            club = self.club_for(row.get("Mã CLB"))
        except ValueError as error:
            raise ValidationError({"club": [str(error)]}) from None
        code = sheets.parse_code(row.get("Mã thành viên"))
        if code:
            member = self.members.with_code(club.pk, code, self)
            if member is None:
                raise ValidationError(
                    {"member": [_("Không có thành viên mã «%(code)s» trong CLB.") % {"code": code}]}
                )
            return member
        name = sheets.parse_name(row.get("Họ và tên"))
        try:
            year = sheets.parse_count(row.get("Năm sinh"))
        except ValueError:
            year = None
        if not name or not year:
            raise ValidationError(
                {"member": [_("Hãy ghi mã thành viên, hoặc cả họ và tên và năm sinh.")]}
            )
        found = self.members.named(club.pk, name, year)
        if len(found) != 1:
            message = (
                _("Không có thành viên này trong CLB.")
                if not found
                else _("Có nhiều thành viên cùng họ tên và năm sinh: hãy ghi mã thành viên.")
            )
            raise ValidationError({"member": [message]})
        return found[0]

    def _fact(self, row, member):
        try:
            return (
                member.pk,
                sheets.parse_date(row.get("Ngày giải ngân")),
                parse_kind(row.get("Hình thức")),
                sheets.parse_money(row.get("Số tiền (đồng)")),
            )
        except ValueError:
            return None

    def find_instance(self, row):
        member = self.member_for(row)
        self._member = member
        code = sheets.parse_code(row.get("Mã khoản vay"))
        if code:
            # a new loan lends from this club; a code of digits also finds the one loan whose
            # code has more leading zeros (spreadsheets.cells.CodeLookup)
            loan, by_zeros = self.loan_codes(member.club_id).find(code)
            if by_zeros:
                self.note(sheets.zeros_note(code, loan.code))
                row["Mã khoản vay"] = loan.code  # the stored code stays
            if loan is not None and loan.member_id != member.pk:
                raise ValidationError(
                    {"code": [_("Mã khoản vay này đã dùng cho thành viên khác trong CLB.")]}
                )
            return loan
        found = [x for x in self.by_fact.get(self._fact(row, member), []) if not x.code]
        return found[0] if len(found) == 1 else None

    def loan_codes(self, club_id: int) -> sheets.CodeLookup:
        """The club's loans by code (built once per club and file)."""
        lookups = self.__dict__.setdefault("_loan_lookups", {})
        if club_id not in lookups:
            lookups[club_id] = sheets.CodeLookup(self.loans_by_code.get(club_id, {}))
        return lookups[club_id]

    def row_key(self, row, instance):
        member = getattr(self, "_member", None)
        if member is None:
            return None
        code = sheets.parse_code(row.get("Mã khoản vay"))
        return (member.club_id, "code", code) if code else ("fact", self._fact(row, member))

    def get_or_init_instance(self, instance_loader, row):
        self._member = None
        instance, new = super().get_or_init_instance(instance_loader, row)
        if self._member is not None:
            instance.member = self._member
            instance.club_id = instance.club_id or self._member.club_id
        instance.code_checked = True  # rows are matched on (club, code): see find_instance
        return instance, new

    def import_extra(self, instance, row, errors):
        """Read "Ngày trả xong" as the day the loan was repaid in full (see the module)."""
        stored = (instance._import_snapshot or {}).get("repaid_on")
        day = instance.repaid_on
        paid = self.instalments.get(instance.pk, []) if instance.pk else []
        instance.paid = [(r.paid_on, r.amount_vnd) for r in paid]
        if day is None or day == stored:
            instance.repaid_on = stored
            return
        if day > timezone.localdate():
            errors.setdefault("repaid_on", [_("Ngày trả xong không được sau hôm nay.")])
        elif stored is not None and len(paid) > 1:
            errors.setdefault(
                "repaid_on",
                [_("Khoản vay đã trả nhiều lần: sửa ngày trả ở trang khoản vay.")],
            )
        elif stored is None and paid and paid[-1].paid_on > day:
            errors.setdefault(
                "repaid_on",
                [
                    _("Đã có lần trả nợ sau ngày này (%(day)s).")
                    % {"day": formats.day(paid[-1].paid_on)}
                ],
            )
        else:
            self.settle.append(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors and instance.amount_vnd == 0:
            errors["amount_vnd"] = [_("Số tiền phải lớn hơn 0.")]
        super().validate_instance(instance, errors, validate_unique)

    def after_import(self, dataset, result, **kwargs):
        """The instalments of the loans the file says were repaid in full on a day."""
        if self.failed or not self.settle:
            return
        new, moved = [], []
        for loan in self.settle:
            paid = self.instalments.get(loan.pk, [])
            day = loan.repaid_on
            if len(paid) == 1 and paid[0].amount_vnd >= loan.amount_vnd:  # moved
                before = self.snapshot(paid[0])
                paid[0].paid_on = day
                moved.append(paid[0])
                self.record_write(paid[0], before)
                continue
            left = loan.amount_vnd - sum(r.amount_vnd for r in paid)
            same_day = [r for r in paid if r.paid_on == day]
            if same_day:
                before = self.snapshot(same_day[0])
                same_day[0].amount_vnd += left
                moved.append(same_day[0])
                self.record_write(same_day[0], before)
            elif left > 0:
                new.append(Repayment(loan=loan, paid_on=day, amount_vnd=left))
        options = {"default_user": self.user, "default_change_reason": self.change_reason}
        if new:
            for r in create_with_history(new, Repayment, batch_size=2000, **options):
                self.record_write(r, None)
        if moved:
            bulk_update_with_history(
                moved, Repayment, ["paid_on", "amount_vnd"], batch_size=2000, **options
            )

    def export_queryset(self):
        return (
            self.scope(Loan.objects)
            .select_related("member__club")
            .order_by("member__club__code", "member__code", "disbursed_on", "pk")
        )

    def dehydrate_club_code(self, loan):
        return loan.member.club.code

    def dehydrate_member_code(self, loan):
        return loan.member.code

    def dehydrate_member_name(self, loan):
        return loan.member.full_name

    def dehydrate_birth_year(self, loan):
        return loan.member.birth_year

    def club_id_of(self, instance):
        return instance.club_id
