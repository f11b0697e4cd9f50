"""Forms of the programme pages (``reporting.programme_views``): a phase's quality criteria
and programme targets (administrators), the provinces' own targets (officers for their
provinces, administrators for all), and the users with their provinces (administrators).

Shares are typed as percentages and stored as the exact fractions the models hold
(``common.fields.PercentField``: ``60`` is ``0.6000``, that is 3/5); every save goes through
the model's ``save()``, so ``common.signals.data_changed`` marks the figures changed.
"""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import writable_province_ids
from accounts.models import User
from clubs.models import Era, OfficerAssignment, Province
from common.fields import (
    CountField,
    ModelMultipleChoiceField,
    PercentField,
    PickerSelect,
    picker_attrs,
)

from .models import SHARE_TARGET_METRICS, Criterion, Metric, Phase, ProvinceTarget, Target

#: The largest number the small positive columns hold (ages in years, windows in months) on
#: every database (SQLite would take more, which the date arithmetic cannot).
SMALL_MAX = BaseDatabaseOperations.integer_field_ranges["PositiveSmallIntegerField"][1]


def require_positive(field):
    """Make the integer form field ``field`` required and bounded to 1..``SMALL_MAX``
    inclusive, checked on the server in one Vietnamese sentence and shown in the browser
    (setting ``min_value`` on a built field adds no validator)."""
    words = gettext("Hãy nhập một số nguyên từ %(low)s đến %(high)s.") % {
        "low": 1,
        "high": SMALL_MAX,
    }
    field.required = True
    field.min_value, field.max_value = 1, SMALL_MAX
    bounds = (MinValueValidator, MaxValueValidator)
    field.validators = [v for v in field.validators if not isinstance(v, bounds)] + [
        MinValueValidator(1, words),
        MaxValueValidator(SMALL_MAX, words),
    ]
    field.widget.attrs.update(min=1, max=SMALL_MAX)


#: The fields of a criterion each metric uses (the others stay empty).
CRITERION_FIELDS = {
    Metric.ACTIVE_MEMBERS: ("min_count", "max_count"),
    Metric.OLDER: ("age_threshold", "min_share", "max_share"),
    Metric.WOMEN: ("min_share", "max_share"),
    Metric.POOR: ("min_share", "max_share"),
    Metric.BORROWED: ("min_share", "max_share", "require_improved"),
    Metric.TRAINED_MONITORED: ("monitoring_months",),
}


class CriterionForm(forms.ModelForm):
    """One quality criterion of a phase: its label and the bounds and parameters its metric
    uses (shares as percentages, inclusive); at least one bound for a bounded metric."""

    min_share = PercentField(label=_("Tỷ lệ tối thiểu (%)"), required=False)
    max_share = PercentField(label=_("Tỷ lệ tối đa (%)"), required=False)

    class Meta:
        model = Criterion
        fields = [
            "label",
            "min_count",
            "max_count",
            "min_share",
            "max_share",
            "age_threshold",
            "require_improved",
            "monitoring_months",
        ]
        labels = {
            "label": _("Tên tiêu chí"),
            "min_count": _("Tối thiểu (người)"),
            "max_count": _("Tối đa (người)"),
            "age_threshold": _("Người cao tuổi từ (tuổi)"),
            "require_improved": _("Chỉ tính khoản vay đã cải thiện thu nhập"),
            "monitoring_months": _("Giám sát trong (tháng)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = CRITERION_FIELDS.get(self.instance.metric, ())
        for name in list(self.fields):
            if name != "label" and name not in used:
                del self.fields[name]
        for name in ("age_threshold", "monitoring_months"):
            if name in self.fields:
                require_positive(self.fields[name])

    def clean(self):
        data = super().clean()
        for low, high, words in (
            ("min_share", "max_share", _("Tỷ lệ tối thiểu không được lớn hơn tỷ lệ tối đa.")),
            ("min_count", "max_count", _("Số tối thiểu không được lớn hơn số tối đa.")),
        ):
            a, b = data.get(low), data.get(high)
            if a is not None and b is not None and a > b:
                self.add_error(high, words)
        bounds = [n for n in ("min_count", "max_count", "min_share", "max_share") if n in data]
        if bounds and all(data.get(n) is None for n in bounds) and not self.errors:
            self.add_error(bounds[0], _("Hãy nhập ít nhất một mức (tối thiểu hoặc tối đa)."))
        return data


class TargetForm(forms.ModelForm):
    """One programme target of a phase: its label, how it compares and its level (a
    percentage for the share metrics, a whole number otherwise), and the age of the older
    members' target."""

    class Meta:
        model = Target
        fields = ["label", "comparison", "value", "age_threshold"]
        labels = {
            "label": _("Tên chỉ tiêu"),
            "comparison": _("So sánh"),
            "value": _("Mức chỉ tiêu"),
            "age_threshold": _("Người cao tuổi từ (tuổi)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.metric in SHARE_TARGET_METRICS:
            self.fields["value"] = PercentField(label=_("Mức chỉ tiêu (%)"))
        else:
            self.fields["value"] = CountField(
                label=_("Mức chỉ tiêu (số)"), min_value=1, max_value=10**8
            )
            if self.instance.pk:
                self.initial["value"] = int(self.instance.value)
        if self.instance.metric != "cohort_older_members":
            del self.fields["age_threshold"]
        else:
            require_positive(self.fields["age_threshold"])

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Mức chỉ tiêu phải lớn hơn 0."))
        return value


CriterionFormSet = forms.modelformset_factory(Criterion, form=CriterionForm, extra=0)
TargetFormSet = forms.modelformset_factory(Target, form=TargetForm, extra=0)


def target_provinces(user, phase: Phase):
    """The provinces whose targets of ``phase`` ``user`` may enter: those of the phase's target
    era (``Phase.target_era``) within the user's writable provinces (an old province through
    the new province it merged into); every one for an administrator. A queryset by name."""
    qs = Province.objects.filter(era=phase.target_era).order_by("name")
    ids = writable_province_ids(user)
    if ids is None:
        return qs
    if phase.target_era == Era.PRE2025:
        return qs.filter(successor_id__in=ids)
    return qs.filter(pk__in=ids)


class ProvinceTargetForm(forms.Form):
    """A province's own targets for a phase: the province (a picker of the provinces of the
    phase's era the user may write) and the clubs and members its scheme commits it to (whole
    numbers; both empty removes the province's targets)."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=Province.objects.none(),
        empty_label="—",
        widget=PickerSelect(search_label=_("Tìm tỉnh/thành phố")),
        error_messages={"invalid_choice": _("Bạn chỉ nhập được chỉ tiêu của tỉnh mình phụ trách.")},
    )
    clubs = CountField(label=_("Số CLB"), required=False, min_value=1, max_value=10**6)
    members = CountField(label=_("Số thành viên"), required=False, min_value=1, max_value=10**8)

    def __init__(self, *args, user, phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.fields["province"].queryset = target_provinces(user, phase)
        self.fields["province"].help_text = _(
            "Các tỉnh theo danh mục %(era)s, khi giai đoạn %(code)s bắt đầu."
        ) % {"era": Era(phase.target_era).label, "code": phase.code}

    def save(self) -> ProvinceTarget | None:
        """Create, change or (both numbers empty) delete the province's row, through the
        model's ``save()``/``delete()``; returns the row, or ``None`` once deleted."""
        data = self.cleaned_data
        row = ProvinceTarget.objects.filter(phase=self.phase, province=data["province"]).first()
        if data["clubs"] is None and data["members"] is None:
            if row is not None:
                row.delete()
            return None
        row = row or ProvinceTarget(phase=self.phase, province=data["province"])
        row.clubs, row.members = data["clubs"], data["members"]
        row.save()
        return row


def new_provinces():
    return Province.objects.filter(era=Era.POST2025).order_by("name")


class UserFormMixin(forms.Form):
    """The provinces of an officer (new-era provinces, as ``clubs.OfficerAssignment`` keeps
    them): required for an officer, ignored for the other roles (they see every province)."""

    provinces = ModelMultipleChoiceField(
        label=_("Tỉnh phụ trách (cán bộ tỉnh)"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def setup_provinces(self):
        self.fields["provinces"].queryset = new_provinces()
        self.province_picker = picker_attrs(_("Tìm tỉnh/thành phố"))
        if self.instance.pk and not self.is_bound:
            self.initial["provinces"] = list(
                self.instance.assignments.values_list("province_id", flat=True)
            )

    def clean(self):
        data = super().clean()
        if data.get("role") == User.Role.OFFICER and not data.get("provinces"):
            self.add_error("provinces", _("Cán bộ tỉnh cần ít nhất một tỉnh phụ trách."))
        return data

    def save_provinces(self, user):
        chosen = set(self.cleaned_data["provinces"]) if user.is_officer else set()
        have = {a.province: a for a in user.assignments.select_related("province")}
        for province, assignment in have.items():
            if province not in chosen:
                assignment.delete()
        for province in chosen - set(have):
            OfficerAssignment.objects.create(user=user, province=province)


USER_FIELDS = ["username", "last_name", "first_name", "email", "role", "is_active"]
USER_LABELS = {
    "username": _("Tên đăng nhập"),
    "last_name": _("Họ và tên đệm"),
    "first_name": _("Tên"),
    "email": _("Thư điện tử"),
    "role": _("Vai trò"),
    "is_active": _("Đang hoạt động"),
}


class UserCreateForm(UserFormMixin, BaseUserCreationForm):
    """A new user: name, role, provinces and a first password (typed twice, checked by the
    password validators)."""

    class Meta:
        model = User
        fields = USER_FIELDS
        labels = USER_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_provinces()
        self.fields["password1"].label = _("Mật khẩu")
        self.fields["password2"].label = _("Nhập lại mật khẩu")
        if "usable_password" in self.fields:
            del self.fields["usable_password"]

    def save(self, commit=True):
        # An administrator reaches the Django admin too (as the demo's does).
        self.instance.is_staff = self.instance.is_superuser or self.instance.role == User.Role.ADMIN
        user = super().save(commit=True)
        self.save_provinces(user)
        return user


class UserEditForm(UserFormMixin, forms.ModelForm):
    """A user's name, role, provinces and whether they may sign in (an inactive user is
    signed out at their next request)."""

    class Meta:
        model = User
        fields = USER_FIELDS
        labels = USER_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_provinces()

    def save(self, commit=True):
        # An administrator reaches the Django admin too (as the demo's does).
        self.instance.is_staff = self.instance.is_superuser or self.instance.role == User.Role.ADMIN
        user = super().save(commit=True)
        self.save_provinces(user)
        return user
