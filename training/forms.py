"""Training sessions with the clubs that attended, and monitoring visits."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.forms import writable_provinces
from clubs.models import Club
from common.fields import ModelMultipleChoiceField, date_field
from common.http import parse_id

from .models import MonitoringVisit, TrainingSession


class TrainingSessionForm(forms.ModelForm):
    """A session and its attending clubs: tick the clubs of the organising province, or type
    club codes (any club the user may see). Attendances of clubs the user cannot see are kept."""

    held_on = date_field(_("Ngày tổ chức"))
    clubs = ModelMultipleChoiceField(
        label=_("CLB tham gia"),
        queryset=Club.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    club_codes = forms.CharField(
        label=_("Thêm CLB theo mã"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mã CLB, cách nhau bởi dấu phẩy hoặc xuống dòng."),
    )

    class Meta:
        model = TrainingSession
        fields = ["code", "title", "held_on", "level", "province"]
        labels = {
            "code": _("Mã lớp"),
            "title": _("Tên lớp"),
            "level": _("Loại"),
            "province": _("Tỉnh tổ chức"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        provinces = writable_provinces(user)
        self.fields["province"].queryset = provinces
        self.fields["province"].required = not user.is_administrator
        self.fields["province"].empty_label = (
            _("Trung ương tổ chức") if user.is_administrator else "—"
        )
        province_id = None
        if self.is_bound:
            province_id = self.data.get("province") or None
        elif self.instance.pk:
            province_id = self.instance.province_id
        elif provinces.count() == 1:
            province_id = provinces.get().pk
            self.initial["province"] = province_id
        scoped = Club.objects.for_user(user)
        self.scoped = scoped
        choices = scoped.none()
        if parse_id(province_id):
            choices = scoped.filter(province_id=parse_id(province_id))
        if self.instance.pk:
            attending = scoped.filter(attendances__session=self.instance)
            choices = choices | attending
            self.initial["clubs"] = list(attending.values_list("pk", flat=True))
        self.fields["clubs"].queryset = choices.distinct().order_by("code")

    def clean_club_codes(self):
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data.get("club_codes") or "") if c]
        found = {c.code: c for c in self.scoped.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("Không tìm thấy CLB mã: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return list(found.values())

    def save(self, commit=True):
        session = super().save(commit=commit)
        if commit:
            chosen = {c.pk for c in self.cleaned_data["clubs"]}
            chosen |= {c.pk for c in self.cleaned_data["club_codes"]}
            visible = set(
                self.scoped.values_list("pk", flat=True).filter(attendances__session=session)
            )
            for attendance in session.attendances.filter(club_id__in=visible - chosen):
                attendance.delete()
            for club_id in chosen - visible:
                session.attendances.create(club_id=club_id)
        return session


class MonitoringVisitForm(forms.ModelForm):
    visited_on = date_field(_("Ngày giám sát"))

    class Meta:
        model = MonitoringVisit
        fields = ["visited_on", "monitor", "notes"]
        labels = {"monitor": _("Người giám sát"), "notes": _("Ghi chú")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.club = club

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        others = MonitoringVisit.objects.filter(club=self.instance.club, visited_on=day)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("CLB đã có một lần giám sát vào ngày này."))
        return day
