"""Loan forms: disburse (cash or in kind), record the repayment, record the income outcome."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import VNDField, date_field

from .models import IncomeOutcome, Loan, LoanKind


class LoanForm(forms.ModelForm):
    """Disburse or correct a loan to an active member of one club."""

    amount_vnd = VNDField(label=_("Số tiền hoặc giá trị hiện vật (đồng)"))
    disbursed_on = date_field(_("Ngày giải ngân"))
    due_on = date_field(_("Hạn trả"), required=False)

    class Meta:
        model = Loan
        fields = ["member", "kind", "amount_vnd", "item", "disbursed_on", "due_on", "code"]
        labels = {
            "member": _("Thành viên vay"),
            "kind": _("Hình thức"),
            "item": _("Hiện vật (ví dụ: 1 con bê)"),
            "code": _("Mã khoản vay"),
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

    def clean(self):
        data = super().clean()
        if data.get("kind") == LoanKind.CASH:
            data["item"] = ""
        return data


class RepaymentForm(forms.ModelForm):
    repaid_on = date_field(_("Ngày trả xong"))

    class Meta:
        model = Loan
        fields = ["repaid_on"]


class OutcomeForm(forms.ModelForm):
    income_outcome = forms.ChoiceField(
        label=_("Kết quả thu nhập"),
        choices=[c for c in IncomeOutcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    outcome_assessed_on = date_field(_("Ngày đánh giá"))

    class Meta:
        model = Loan
        fields = ["income_outcome", "outcome_assessed_on"]
