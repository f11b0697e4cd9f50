"""Loan forms: one form for a loan's disbursement (cash or in kind), its repayment instalments
and its income outcome; the quick-entry grid of several loans of a club; fund movements."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import formats
from common.fields import VNDField, date_field
from members.models import Member
from members.resources import MemberIndex
from spreadsheets import cells as sheets

from .models import Fund, FundMovement, IncomeOutcome, Loan, LoanKind, Repayment


class LoanForm(forms.ModelForm):
    """Disburse or correct a loan to an active member of one club, with its income outcome
    (the instalments are :func:`repayment_formset`)."""

    amount_vnd = VNDField(label=_("Số tiền hoặc giá trị hiện vật (đồng)"))
    disbursed_on = date_field(_("Ngày giải ngân"))
    due_on = date_field(_("Hạn trả"), required=False)
    outcome_assessed_on = date_field(_("Ngày đánh giá"), required=False)

    class Meta:
        model = Loan
        fields = [
            "member",
            "kind",
            "amount_vnd",
            "item",
            "disbursed_on",
            "due_on",
            "code",
            "income_outcome",
            "outcome_assessed_on",
        ]
        labels = {
            "member": _("Thành viên vay"),
            "kind": _("Hình thức"),
            "item": _("Hiện vật (ví dụ: 1 con bê)"),
            "code": _("Mã khoản vay"),
            "income_outcome": _("Kết quả thu nhập"),
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        members = club.members.order_by("given_name_key", "search_key")
        if not self.instance.pk:
            members = members.filter(left_on__isnull=True)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.picker_label
        self.fields["member"].empty_label = "—"
        self.fields["kind"].choices = LoanKind.choices
        self.fields["item"].widget.attrs["data-show-when-kind"] = LoanKind.IN_KIND
        self.fields["income_outcome"].choices = IncomeOutcome.choices

    def clean(self):
        data = super().clean()
        if data.get("kind") == LoanKind.CASH:
            data["item"] = ""
        return data


class RepaymentForm(forms.ModelForm):
    paid_on = date_field(_("Ngày trả"), required=False)
    amount_vnd = VNDField(label=_("Số tiền trả (đồng)"), required=False)

    class Meta:
        model = Repayment
        fields = ["paid_on", "amount_vnd"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the formset checks the instalments' total against the amount being typed
        self.instance.total_checked = True
        row = (self.prefix or "").rsplit("-", 1)[-1]
        number = "" if row == "__prefix__" else f" {int(row) + 1}"
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}{number}"

    def clean(self):
        data = super().clean()
        paid_on, amount = data.get("paid_on"), data.get("amount_vnd")
        if data.get("DELETE"):
            return data
        if paid_on and not amount and "amount_vnd" not in self.errors:
            self.add_error("amount_vnd", _("Hãy nhập số tiền trả."))
        if amount and not paid_on and "paid_on" not in self.errors:
            self.add_error("paid_on", _("Hãy nhập ngày trả."))
        return data

    def _post_clean(self):
        if self.cleaned_data.get("paid_on") and self.cleaned_data.get("amount_vnd"):
            super()._post_clean()


class BaseRepaymentFormSet(forms.BaseInlineFormSet):
    """The instalments of a loan: rows left blank are skipped; two on one day, a day before the
    disbursement, or a total above the loan's amount are refused (``amount`` and
    ``disbursed_on`` as typed in the loan's form, set before validating)."""

    amount = None
    disbursed_on = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            row = "" if index is None else f" {index + 1}"
            form.fields["DELETE"].widget.attrs["aria-label"] = str(_("Xoá lần trả")) + row

    def clean(self):
        super().clean()
        total, days = 0, set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("paid_on") or not data.get("amount_vnd"):
                continue
            day = data["paid_on"]
            if day in days:
                form.add_error("paid_on", _("Đã có một lần trả nợ vào ngày này."))
            days.add(day)
            if self.disbursed_on and day < self.disbursed_on:
                form.add_error("paid_on", _("Ngày trả không được trước ngày giải ngân."))
            total += data["amount_vnd"]
        if self.amount and total > self.amount:
            raise forms.ValidationError(
                gettext("Tổng số đã trả (%(total)s) vượt số tiền vay (%(amount)s).")
                % {"total": formats.vnd(total), "amount": formats.vnd(self.amount)}
            )

    def kept(self):
        """The forms whose rows are to be saved (filled, not deleted)."""
        return [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("paid_on")
        ]


RepaymentFormSet = forms.inlineformset_factory(
    Loan,
    Repayment,
    form=RepaymentForm,
    formset=BaseRepaymentFormSet,
    extra=3,
    max_num=60,
    absolute_max=60,
    can_delete=True,
)


# --------------------------------------------------------------------------- the loan grid

_YEAR = re.compile(r"^(?P<name>.*?)[\s,(]+(?P<year>(?:19|20)\d{2})\b.*$")
_PICKER_CODE = re.compile(r"mã\s+(?P<code>[^\s)]+)\)\s*$", re.IGNORECASE)


class MemberPicker:
    """The members of one club found from what an officer types in a grid's member cell: the
    member's code (``TV12``; leading zeros ignored as in files), the picker label
    (``"Nguyễn Thị Dung (1943, mã TV12)"``, ``Member.picker_label``) or the full name with the
    birth year (``"Nguyễn Thị Dung 1943"``)."""

    def __init__(self, club):
        self.club = club
        self.index = MemberIndex([club])

    def find(self, text: str) -> Member:
        """The one member ``text`` names; raises ``forms.ValidationError`` in Vietnamese."""
        text = " ".join(str(text or "").split())
        if not text:
            raise forms.ValidationError(_("Hãy chọn thành viên vay."))
        labelled = _PICKER_CODE.search(text)
        code = sheets.parse_code(labelled.group("code") if labelled else text)
        member = self.index.with_code(self.club.pk, code)
        if member is not None:
            return member
        match = _YEAR.match(text)
        if not match:
            raise forms.ValidationError(
                _("Không có thành viên mã «%(code)s»: ghi mã, hoặc họ tên và năm sinh.")
                % {"code": text}
            )
        found = self.index.named(self.club.pk, match.group("name"), int(match.group("year")))
        if not found:
            raise forms.ValidationError(_("Không có thành viên này trong CLB."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Có nhiều thành viên cùng họ tên và năm sinh: hãy ghi mã thành viên.")
            )
        return found[0]


#: Column names a header row pasted into the loan grid may use, besides each column's label:
#: the loans template's (compared without diacritics, case or punctuation, in
#: ``static/js/app.js``).
LOAN_GRID_ALIASES = {
    "member": ["Thành viên", "Mã thành viên", "Họ và tên"],
    "code": ["Mã khoản vay", "Mã"],
    "kind": ["Hình thức"],
    "amount_vnd": ["Số tiền (đồng)", "Số tiền", "Giá trị"],
    "item": ["Hiện vật"],
    "disbursed_on": ["Ngày giải ngân", "Ngày vay"],
    "due_on": ["Hạn trả"],
}


class LoanRowForm(forms.Form):
    """One row of the loan grid; a row left blank is skipped."""

    member = forms.CharField(label=_("Thành viên (mã, hoặc họ tên và năm sinh)"), max_length=200)
    code = forms.CharField(label=_("Mã khoản vay"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=LoanKind.choices, initial="cash")
    amount_vnd = VNDField(label=_("Số tiền (đồng)"))
    item = forms.CharField(label=_("Hiện vật"), max_length=150, required=False)
    disbursed_on = date_field(_("Ngày giải ngân"))
    due_on = date_field(_("Hạn trả"), required=False)

    def __init__(self, *args, picker, **kwargs):
        super().__init__(*args, **kwargs)
        self.picker = picker
        row = (self.prefix or "").rsplit("-", 1)[-1]
        for name, field in self.fields.items():
            field.widget.attrs["aria-labelledby"] = f"quick-col-{name} quick-row-{row}"
        self.fields["member"].widget.attrs["list"] = "loan-members"
        self.fields["member"].widget.attrs["autocomplete"] = "off"

    def has_changed(self):
        # The kind's default alone is no row.
        return any(self[name].value() not in (None, "") for name in self.fields if name != "kind")

    def clean_member(self):
        return self.picker.find(self.cleaned_data["member"])

    def clean(self):
        data = super().clean()
        member = data.get("member")
        if not self.errors and member is not None:
            loan = Loan(
                member=member,
                club_id=member.club_id,
                code=data.get("code", ""),
                kind=data["kind"],
                amount_vnd=data["amount_vnd"],
                item="" if data["kind"] == LoanKind.CASH else data.get("item", ""),
                disbursed_on=data["disbursed_on"],
                due_on=data.get("due_on"),
            )
            if member.left_on and member.left_on <= data["disbursed_on"]:
                self.add_error("member", _("Thành viên đã rời CLB trước ngày giải ngân."))
            try:
                loan.full_clean(exclude=["club"])
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in self.fields else None
                    for message in messages:
                        self.add_error(target, message)
            self.loan = loan
        return data


for _name, _aliases in LOAN_GRID_ALIASES.items():
    LoanRowForm.base_fields[_name].aliases = _aliases


class BaseLoanGrid(forms.BaseFormSet):
    """The rows of the loan grid (blank rows skipped); a loan code twice in the grid is an
    error on the later row."""

    def __init__(self, *args, club, **kwargs):
        self.picker = MemberPicker(club)
        super().__init__(*args, **kwargs)
        for form in self.forms:
            form.empty_permitted = True
            form.use_required_attribute = False

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "picker": self.picker}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            picker=self.picker,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        seen = set()
        for form in self.forms:
            code = (getattr(form, "cleaned_data", None) or {}).get("code")
            if code and code in seen:
                form.add_error("code", _("Mã khoản vay này đã có ở dòng trên."))
            if code:
                seen.add(code)

    def loans(self) -> list[Loan]:
        """The loans of the filled rows (once valid)."""
        return [f.loan for f in self.forms if f.has_changed() and hasattr(f, "loan")]


LoanGrid = forms.formset_factory(
    LoanRowForm, formset=BaseLoanGrid, extra=10, max_num=200, absolute_max=200
)


def member_choices(club) -> list[str]:
    """The picker labels of the club's current members, for the grid's suggestions."""
    members = club.members.filter(Q(left_on__isnull=True)).order_by("given_name_key", "search_key")
    return [m.picker_label for m in members]


# --------------------------------------------------------------------------- funds


class FundForm(forms.ModelForm):
    opened_on = date_field(_("Ngày lập quỹ"))

    class Meta:
        model = Fund
        fields = ["opened_on"]


class MovementForm(forms.ModelForm):
    """A movement entered on a fund (contribution, grant, interest, spending)."""

    moved_on = date_field(_("Ngày"))
    amount_vnd = VNDField(label=_("Số tiền (đồng)"))

    class Meta:
        model = FundMovement
        fields = ["moved_on", "kind", "amount_vnd", "note"]
        labels = {"kind": _("Loại"), "note": _("Ghi chú")}

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.fund = fund
        self.fields["kind"].choices = [("", "—"), *FundMovement._meta.get_field("kind").choices]
