"""Forms of the officers' workspace for clubs, and the province pickers other apps share."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import province_ids_for, writable_province_ids
from common import formats
from common.fields import PickerSelect, date_field
from common.http import parse_id
from common.text import vietnamese_sort_key

from .models import REFORM_DATE, Club, Commune, CommuneSuccession, Era, Province


def writable_provinces(user):
    """New-era provinces ``user`` may write into (a queryset)."""
    qs = Province.objects.filter(era=Era.POST2025).order_by("name")
    ids = writable_province_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def visible_provinces(user):
    """New-era provinces ``user`` may read (a queryset)."""
    qs = Province.objects.filter(era=Era.POST2025).order_by("name")
    ids = province_ids_for(user)
    return qs if ids is None else qs.filter(pk__in=ids)


class ClubForm(forms.ModelForm):
    """Create or edit a club. The province select narrows both commune selects (the browser
    reloads them from ``clubs:communes``); a club founded before 01/07/2025 is placed by its
    founding (old) commune, a later one by its current (new) commune."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), empty_label="—"
    )
    founded_on = date_field(_("Ngày thành lập"))

    class Meta:
        model = Club
        fields = ["code", "name", "founded_on", "founding_commune", "commune", "village"]
        labels = {
            "code": _("Mã CLB"),
            "name": _("Tên CLB"),
            "founding_commune": _("Xã/phường khi thành lập (trước 01/07/2025)"),
            "commune": _("Xã/phường hiện nay (từ 01/07/2025)"),
            "village": _("Thôn/tổ dân phố"),
        }
        widgets = {
            "founding_commune": PickerSelect(search_label=_("Tìm xã/phường khi thành lập")),
            "commune": PickerSelect(search_label=_("Tìm xã/phường hiện nay")),
        }

    field_order = ["code", "name", "founded_on", "province", "founding_commune", "commune"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["province"].queryset = writable_provinces(user)
        province_id = None
        if self.is_bound:
            province_id = self.data.get(self.add_prefix("province")) or None
        elif self.instance.pk:
            province_id = self.instance.province_id
            self.initial["province"] = province_id
        else:
            only = list(self.fields["province"].queryset.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                province_id = self.initial["province"] = only[0]
        try:
            province_id = int(province_id) if province_id else None
        except (TypeError, ValueError):
            province_id = None
        if province_id not in set(self.fields["province"].queryset.values_list("pk", flat=True)):
            province_id = None
        old = Commune.objects.filter(era=Era.PRE2025, province__successor_id=province_id)
        new = Commune.objects.filter(era=Era.POST2025, province_id=province_id)
        founding = self.fields["founding_commune"]
        current = self.fields["commune"]
        founding.queryset = old.select_related("district").order_by("district__name", "name")
        founding.label_from_instance = lambda c: (
            f"{c.name} – {c.district.name}" if c.district else c.name
        )
        current.queryset = new.order_by("name")
        # Vietnamese alphabetical order (the database sorts by code point: "Đ" after "Z").
        founding.choices = [("", "—")] + [
            (c.pk, founding.label_from_instance(c))
            for c in sorted(
                founding.queryset,
                key=lambda c: (
                    vietnamese_sort_key(c.district.name if c.district else ""),
                    vietnamese_sort_key(c.name),
                ),
            )
        ]
        current.choices = [("", "—")] + [
            (c.pk, c.name)
            for c in sorted(current.queryset, key=lambda c: vietnamese_sort_key(c.name))
        ]
        founding.required = current.required = False
        founding.empty_label = current.empty_label = "—"
        for name in ("province", "founding_commune", "commune"):
            self.fields[name].widget.attrs["data-commune-picker"] = name
        self.fields["founded_on"].widget.attrs["data-reform-date"] = formats.day(REFORM_DATE)

    def clean(self):
        data = super().clean()
        founded_on = data.get("founded_on")
        founding = data.get("founding_commune")
        current = data.get("commune")
        if founded_on is None:
            return data
        if founded_on < REFORM_DATE:
            if founding is not None and current is not None:
                ok = CommuneSuccession.objects.filter(old=founding, new=current).exists()
                if not ok:
                    self.add_error(
                        "commune",
                        _(
                            "Xã/phường hiện nay không phải là nơi xã/phường khi thành lập "
                            "được sắp xếp vào."
                        ),
                    )
        else:
            data["founding_commune"] = None
            if current is None and "commune" not in self.errors:
                self.add_error(
                    "commune", _("CLB thành lập từ 01/07/2025: hãy chọn xã/phường hiện nay.")
                )
        return data

    def _post_clean(self):
        founded_on = self.cleaned_data.get("founded_on")
        founding = self.cleaned_data.get("founding_commune")
        if founded_on and founded_on < REFORM_DATE and founding is not None:
            changed = self.instance.founding_commune_id != founding.pk
            if self.cleaned_data.get("commune") is None and changed:
                # Re-derive the current commune from the new founding commune on save.
                self.instance.commune = None
        super()._post_clean()


class DissolveForm(forms.ModelForm):
    dissolved_on = date_field(_("Ngày giải thể"))

    class Meta:
        model = Club
        fields = ["dissolved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.already_dissolved_on = self.instance.dissolved_on

    def clean_dissolved_on(self):
        day = self.cleaned_data["dissolved_on"]
        if self.already_dissolved_on:
            raise forms.ValidationError(
                _("CLB đã giải thể ngày %(day)s; sửa ngày này trong trang Sửa CLB.")
                % {"day": formats.day(self.already_dissolved_on)}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày giải thể không được sau hôm nay."))
        if day < self.instance.founded_on:
            raise forms.ValidationError(_("Ngày giải thể không được trước ngày thành lập."))
        return day


class ConfirmCommuneForm(forms.Form):
    """Pick the current commune of a club among its founding commune's successors."""

    commune = forms.ModelChoiceField(
        label=_("Xã/phường hiện nay"), queryset=Commune.objects.none(), empty_label="—"
    )

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            era=Era.POST2025, pk__in=club.founding_commune.successions.values("new_id")
        ).order_by("name")
        self.fields["commune"].widget.attrs["aria-label"] = str(club)


class ClubFilterForm(forms.Form):
    """Search, filters and sorting of the club list (all optional)."""

    SORTS = {
        "code": ("code",),
        "name": ("search_key", "code"),
        "-founded_on": ("-founded_on", "code"),
        "founded_on": ("founded_on", "code"),
        "province": ("province__name", "code"),
    }
    q = forms.CharField(label=_("Tìm kiếm"), required=False)
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.none(),
        required=False,
        widget=PickerSelect(search_label=_("Tìm xã/phường")),
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("active", _("Đang hoạt động")),
            ("dissolved", _("Đã giải thể")),
        ],
    )
    compliant = forms.ChoiceField(
        label=_("Chuẩn chất lượng"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đạt chuẩn")), ("no", _("Chưa đạt chuẩn"))],
    )
    monitored = forms.ChoiceField(
        label=_("Giám sát"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("no", _("Chưa được giám sát trong thời hạn của tiêu chí")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("code", _("Mã CLB")),
            ("name", _("Tên CLB")),
            ("-founded_on", _("Mới thành lập trước")),
            ("founded_on", _("Thành lập lâu nhất trước")),
            ("province", _("Tỉnh/thành phố")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = visible_provinces(user)
        self.fields["province"].queryset = provinces
        self.fields["province"].empty_label = _("Tất cả")
        self.fields["commune"].empty_label = _("Tất cả")
        province_id = parse_id(self.data.get("province")) if self.is_bound else None
        if province_id:
            self.fields["commune"].queryset = Commune.objects.filter(
                era=Era.POST2025, province__in=provinces, province_id=province_id
            ).order_by("name")
        self.fields["province"].widget.attrs["data-commune-picker"] = "province"
        self.fields["commune"].widget.attrs["data-commune-picker"] = "commune"
