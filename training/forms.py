"""Training sessions with the clubs that attended, and monitoring visits."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from clubs.forms import writable_provinces
from clubs.models import Club
from common.fields import ModelMultipleChoiceField, date_field, picker_attrs
from common.http import parse_id
from common.text import picker_key

from .models import Attendance, MonitoringVisit, TrainingSession


class TrainingSessionForm(forms.ModelForm):
    """A session and its attending clubs: tick the clubs of the organising province (a picker
    narrows the list as the user types a code or a name), each with the number of its people
    who came (``participants_<club id>``, optional, only for a ticked club), or type club codes
    (any club the user may see). Attendances of clubs the user cannot see are kept."""

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
        counts = {}
        if self.instance.pk:
            counts = dict(
                self.instance.attendances.filter(club__in=scoped).values_list(
                    "club_id", "participants"
                )
            )
        self.club_rows = []
        model_field = Attendance._meta.get_field("participants")
        for club in self.fields["clubs"].queryset:
            name = f"participants_{club.pk}"
            self.fields[name] = model_field.formfield(
                label=_("Số người tham gia của %(club)s") % {"club": club.code},
                required=False,
                initial=counts.get(club.pk),
                # The database's bound of the column too (a 23-digit number is refused).
                validators=model_field.validators,
            )
            self.club_rows.append((club, f"{club.code} – {club.name}", name))
        self.picker_attrs = picker_attrs(_("Tìm CLB theo mã hoặc tên"))

    def visible_fields(self):
        """The fields drawn one by one (the club list, with the participants of each club, is
        drawn by the page: :meth:`club_list`)."""
        return [f for f in super().visible_fields() if f.name not in self._club_fields()]

    def _club_fields(self):
        return {"clubs", *(name for _club, _label, name in self.club_rows)}

    def club_list(self):
        """``[(club, label, key, checkbox id, ticked, participants bound field)]`` for the
        page's list of clubs (``key``: ``common.text.picker_key`` of the label)."""
        ticked = {str(v) for v in (self["clubs"].value() or [])}
        return [
            (club, label, picker_key(label), f"id_clubs_{club.pk}", str(club.pk) in ticked, self[n])
            for club, label, n in self.club_rows
        ]

    def clean(self):
        data = super().clean()
        ticked = {c.pk for c in data.get("clubs") or []}
        for club, _label, name in self.club_rows:
            if data.get(name) is not None and club.pk not in ticked:
                self.add_error(
                    name, _("Đánh dấu CLB %(club)s tham gia để ghi số người.") % {"club": club.code}
                )
        return data

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
            counts = {club.pk: self.cleaned_data.get(name) for club, _label, name in self.club_rows}
            for club_id in chosen - visible:
                session.attendances.create(club_id=club_id, participants=counts.get(club_id))
            for attendance in session.attendances.filter(club_id__in=chosen & visible):
                count = counts.get(attendance.club_id, attendance.participants)
                if attendance.participants != count:
                    attendance.participants = count
                    attendance.save(update_fields=["participants"])
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
