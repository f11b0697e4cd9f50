"""Member forms: one member, the quick-entry grid, leaving, household assessments.

Births are typed in one field as a year (``1948``), month/year (``03/1948``) or a full date
(``05/03/1948``): the year is required, day and month optional.
"""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can_see_national_id, mask_national_id
from common import formats
from common.dates import no_such_day
from common.fields import date_field
from spreadsheets.cells import CellError, parse_phone

from .models import (
    HouseholdAssessment,
    HouseholdStatus,
    LeaveReason,
    Member,
    Sex,
    assessment_change,
    namesake_warning,
)


def clean_phone_value(value) -> str:
    """A typed phone number by the rule imports use (``spreadsheets.cells.parse_phone``: 8 to 15
    digits, an optional leading ``+``; spaces, dots, dashes and brackets dropped), or a
    ``ValidationError`` with its Vietnamese reason."""
    try:
        return parse_phone(value)
    except CellError as error:
        raise forms.ValidationError(str(error), code="invalid") from None


def namesake_field() -> forms.BooleanField:
    """The confirmation that a new member is not a stored namesake (same name and birth year,
    ``Member.objects.namesakes``): hidden until the warning is shown."""
    return forms.BooleanField(
        label=_("Đã kiểm tra: đây là người khác, vẫn thêm"),
        required=False,
        widget=forms.HiddenInput,
    )


def ask_namesake_confirmation(form) -> None:
    """Show ``form``'s namesake confirmation as a checkbox (after a warning)."""
    form.fields["namesake_checked"].widget = forms.CheckboxInput()


def parse_birth(text: str) -> tuple[int, int | None, int | None]:
    """``"1948"`` -> ``(1948, None, None)``, ``"3/1948"`` -> ``(1948, 3, None)``,
    ``"05/03/1948"`` -> ``(1948, 3, 5)`` (day first). Raises ``ValidationError``."""
    value = (text or "").strip().replace("-", "/").replace(".", "/")
    invalid = forms.ValidationError(
        _("Nhập năm sinh (1948) hoặc ngày sinh dd/mm/yyyy (05/03/1948)."), code="invalid"
    )
    match = re.fullmatch(r"(?:(?:(\d{1,2})/)?(\d{1,2})/)?(\d{4})", value)
    if not match:
        raise invalid
    day, month, year = (int(g) if g else None for g in match.groups())
    this_year = timezone.localdate().year
    if not 1880 <= year <= this_year:
        raise forms.ValidationError(
            _("Năm sinh phải từ 1880 đến %(year)s.") % {"year": this_year}, code="range"
        )
    if month is not None and not 1 <= month <= 12:
        raise forms.ValidationError(
            _("Không có tháng %(month)s: tháng từ 1 đến 12.") % {"month": month}, code="month"
        )
    if day is not None and no_such_day(day, month, year):
        raise forms.ValidationError(no_such_day(day, month, year), code="no_such_day")
    return year, month, day


def format_birth(member) -> str:
    if member.birth_month is None:
        return str(member.birth_year)
    if member.birth_day is None:
        return f"{member.birth_month:02d}/{member.birth_year}"
    return f"{member.birth_day:02d}/{member.birth_month:02d}/{member.birth_year}"


class BirthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Năm sinh hoặc ngày sinh"))
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "1948 / 05/03/1948", "inputmode": "numeric"})

    def clean(self, value):
        value = super().clean(value)
        return parse_birth(value) if value else None


class MemberForm(forms.ModelForm):
    """Add or edit a member. The national ID is never sent to the browser except to
    administrators: others see it masked and leave the box empty to keep it.

    The household status is recorded as a dated assessment (``HouseholdAssessment``): a new
    member's on the given date or else the joining date; an existing member's when a date is
    given (a new date adds an assessment to the history, also with the same status, as a
    re-certification does; the date of an existing assessment corrects it). Changing the status
    without a date is refused, so that no change is dated by guesswork.
    """

    birth = BirthField()
    joined_on = date_field(_("Ngày tham gia"))
    status = forms.ChoiceField(
        label=_("Hoàn cảnh gia đình"),
        choices=HouseholdStatus.choices,
        required=False,
        help_text=_("Ghi nhận một lần đánh giá vào ngày tham gia."),
    )
    assessed_on = date_field(_("Ngày đánh giá hoàn cảnh"), required=False)
    namesake_checked = namesake_field()

    field_order = ["full_name", "sex", "birth", "joined_on", "status", "assessed_on"]

    class Meta:
        model = Member
        fields = [
            "full_name",
            "sex",
            "birth",
            "joined_on",
            "code",
            "phone",
            "national_id",
            "is_board_member",
            "is_home_care_volunteer",
        ]
        labels = {
            "full_name": _("Họ và tên"),
            "sex": _("Giới tính"),
            "code": _("Mã thành viên"),
            "phone": _("Số điện thoại"),
            "national_id": _("Số định danh (12 chữ số)"),
            "is_board_member": _("Thuộc Ban Chủ nhiệm"),
            "is_home_care_volunteer": _("Tình nguyện viên chăm sóc tại nhà"),
        }
        widgets = {"sex": forms.RadioSelect}

    def __init__(self, *args, user, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.club = club
        self.instance.club = club
        self.fields["sex"].choices = Sex.choices  # radio buttons: no empty "---------" choice
        self.show_id = can_see_national_id(user)
        self.is_new = self.instance.pk is None
        self.latest_assessment = None
        if not self.is_new:
            self.latest_assessment = self.instance.assessments.order_by("-assessed_on").first()
            self.initial["status"] = (
                self.latest_assessment.status if self.latest_assessment else HouseholdStatus.NONE
            )
            self.fields["status"].help_text = _(
                "Để ghi nhận một lần đánh giá mới (kể cả khi hoàn cảnh không đổi), nhập ngày "
                "đánh giá."
            )
            self.fields["assessed_on"].help_text = (
                _("Lần đánh giá gần nhất: %(day)s.")
                % {"day": formats.day(self.latest_assessment.assessed_on)}
                if self.latest_assessment
                else _("Chưa có lần đánh giá nào.")
            )
            self.initial["birth"] = format_birth(self.instance)
            if not self.show_id:
                stored = self.instance.national_id
                self.initial["national_id"] = ""
                if stored:
                    masked = mask_national_id(stored)
                    self.fields["national_id"].widget.attrs["placeholder"] = masked
                    self.fields["national_id"].help_text = _("Để trống để giữ số đã lưu.")
        else:
            self.initial.setdefault("joined_on", club.founded_on)
            self.fields["assessed_on"].help_text = _("Để trống: ngày tham gia.")
            self.fields["code"].help_text = _("Để trống: CLB tự cấp mã tiếp theo (TV1, TV2…).")
        self.fields["national_id"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off"}
        )

    def clean_code(self):
        """The member code typed; blank keeps a stored member's code, and gives a new member
        the next assigned code of the club on saving (``members.models.free_codes``)."""
        code = (self.cleaned_data.get("code") or "").strip()
        if not code and not self.is_new:
            return self.instance.code
        taken = Member.objects.filter(club=self.club, code=code).exclude(pk=self.instance.pk)
        if code and taken.exists():
            raise forms.ValidationError(_("Mã thành viên này đã có trong CLB."))
        return code

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean_national_id(self):
        value = (self.cleaned_data.get("national_id") or "").strip()
        if not value and self.instance.pk and not self.show_id:
            return self.instance.national_id
        return value

    def clean_assessed_on(self):
        day = self.cleaned_data.get("assessed_on")
        error = HouseholdAssessment.date_error(day)
        if error:
            raise forms.ValidationError(error)
        return day

    def clean(self):
        data = super().clean()
        birth = data.get("birth")
        if birth:
            self.instance.birth_year, self.instance.birth_month, self.instance.birth_day = birth
        if self.is_new and birth and data.get("full_name") and not data.get("namesake_checked"):
            others = Member.objects.namesakes([(self.club, data["full_name"], birth[0])])[0]
            if others:
                ask_namesake_confirmation(self)
                self.add_error(None, namesake_warning(others))
        if not self.is_new and not data.get("assessed_on") and "assessed_on" not in self.errors:
            current = self.initial.get("status")
            if data.get("status") and data["status"] != current:
                self.add_error(
                    "assessed_on", _("Hãy nhập ngày đánh giá khi thay đổi hoàn cảnh gia đình.")
                )
        return data

    def save(self, commit=True):
        member = super().save(commit=commit)
        status = self.cleaned_data.get("status")
        day = self.cleaned_data.get("assessed_on")
        if not commit or not status:
            return member
        dated = day is not None
        day = day or member.joined_on
        if not dated and not self.is_new:
            return member  # the status is unchanged (``clean`` refuses a change without a day)
        stored = dict(member.assessments.values_list("assessed_on", "status"))
        change = assessment_change(stored, day, status, dated=dated)
        if change == "add":
            HouseholdAssessment.objects.create(member=member, assessed_on=day, status=status)
        elif change == "correct":
            assessment = member.assessments.get(assessed_on=day)
            assessment.status = status
            assessment.save()
        return member


class QuickMemberForm(forms.Form):
    """One row of the quick-entry grid; a row left blank is skipped."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices])
    birth = BirthField(label=_("Năm/ngày sinh"))
    status = forms.ChoiceField(
        label=_("Hoàn cảnh"), choices=HouseholdStatus.choices, initial=HouseholdStatus.NONE
    )
    is_board_member = forms.BooleanField(label=_("BCN"), required=False)
    is_home_care_volunteer = forms.BooleanField(label=_("TNV"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each cell is named by its column's header and its row's number (ids in the
        # template; "__prefix__" of the added rows' template is replaced by the script).
        row = (self.prefix or "").rsplit("-", 1)[-1]
        for name, field in self.fields.items():
            field.widget.attrs["aria-labelledby"] = f"quick-col-{name} quick-row-{row}"

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))


#: Column names a header row pasted into the quick-entry grid may use, besides each column's
#: label: the member import template's and the member form's (compared without diacritics,
#: case or punctuation, in ``static/js/app.js``).
QUICK_ENTRY_ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Tên"],
    "sex": ["Giới tính", "Giới"],
    "birth": ["Năm sinh", "Ngày sinh", "Năm sinh hoặc ngày sinh"],
    "status": ["Hoàn cảnh", "Hoàn cảnh gia đình"],
    "is_board_member": ["Ban Chủ nhiệm", "Thuộc Ban Chủ nhiệm"],
    "is_home_care_volunteer": ["Tình nguyện viên", "Tình nguyện viên chăm sóc tại nhà"],
    "phone": ["Số điện thoại", "SĐT", "Điện thoại di động"],
}
for _name, _aliases in QUICK_ENTRY_ALIASES.items():
    QuickMemberForm.base_fields[_name].aliases = _aliases


class BaseQuickFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:
            form.empty_permitted = True
            form.use_required_attribute = False


QuickMemberFormSet = forms.formset_factory(
    QuickMemberForm, formset=BaseQuickFormSet, extra=10, max_num=200, absolute_max=200
)


class QuickEntryHeaderForm(forms.Form):
    joined_on = date_field(_("Ngày tham gia (cho mọi dòng)"))
    namesake_checked = namesake_field()


class LeaveForm(forms.ModelForm):
    left_on = date_field(_("Ngày rời CLB"))

    class Meta:
        model = Member
        fields = ["left_on", "leave_reason"]
        labels = {"leave_reason": _("Lý do")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_reason"].required = True
        self.fields["leave_reason"].choices = [("", "—"), *LeaveReason.choices]


class AssessmentForm(forms.ModelForm):
    assessed_on = date_field(_("Ngày đánh giá"))

    class Meta:
        model = HouseholdAssessment
        fields = ["assessed_on", "status"]
        labels = {"status": _("Hoàn cảnh")}

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.member = member

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if self.instance.member.assessments.filter(assessed_on=day).exists():
            raise forms.ValidationError(_("Thành viên đã có một lần đánh giá vào ngày này."))
        return day


class RecertificationForm(forms.Form):
    """The yearly re-certification of a club's household statuses: one assessment date for
    every row, and each active member's status (initially the one in force that day)."""

    assessed_on = date_field(_("Ngày đánh giá (cho mọi dòng)"))

    def __init__(self, *args, members, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=member.picker_label,
                choices=HouseholdStatus.choices,
                initial=statuses.get(member.pk, HouseholdStatus.NONE),
            )

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        error = HouseholdAssessment.date_error(day)
        if error:
            raise forms.ValidationError(error)
        return day

    def rows(self):
        """``(member, its status field, the status in force)`` for the template."""
        return [
            (m, self[f"status_{m.pk}"], self.fields[f"status_{m.pk}"].initial) for m in self.members
        ]

    def statuses(self) -> dict:
        """``{member id: status}`` chosen (once valid)."""
        return {m.pk: self.cleaned_data[f"status_{m.pk}"] for m in self.members}


class TransferForm(forms.Form):
    """Move a member to another club of the user's provinces on a date
    (``Member.transfer``)."""

    club = forms.ModelChoiceField(label=_("CLB chuyển đến"), queryset=None, empty_label="—")
    moved_on = date_field(_("Ngày chuyển"))

    def __init__(self, *args, member, clubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["club"].queryset = clubs.exclude(pk=member.club_id).order_by("code")
        self.fields["club"].label_from_instance = lambda c: f"{c.code} – {c.name}"

    def clean(self):
        data = super().clean()
        club, day = data.get("club"), data.get("moved_on")
        if club and day:
            error = self.member.transfer_error(club, day)
            if error:
                self.add_error("moved_on", error)
        return data
