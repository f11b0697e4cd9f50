"""The year grid of a club's meetings: one row per meeting, at least 12 rows (one a month)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.fields import date_field

from .models import Meeting

#: The grid of a year shows at least this many rows: a club meets every month.
ROWS_PER_YEAR = 12


class MeetingForm(forms.ModelForm):
    held_on = date_field(_("Ngày họp"), required=False)

    class Meta:
        model = Meeting
        fields = ["held_on", "attendees", "topics"]
        labels = {"attendees": _("Số thành viên dự họp"), "topics": _("Nội dung")}
        widgets = {
            "attendees": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "topics": forms.TextInput(),
        }

    def __init__(self, *args, club, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.club, self.year = club, year
        self.instance.club = club
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean_held_on(self):
        day = self.cleaned_data.get("held_on")
        if day and day.year != self.year:
            raise forms.ValidationError(
                _("Ngày họp phải trong năm %(year)s.") % {"year": self.year}
            )
        return day

    def clean(self):
        data = super().clean()
        if not data.get("held_on") and (data.get("attendees") is not None or data.get("topics")):
            self.add_error("held_on", _("Hãy nhập ngày họp."))
        return data


class BaseMeetingFormSet(forms.BaseModelFormSet):
    """Rows left blank are skipped; a date twice in the grid is an error on the later row."""

    def __init__(self, *args, club, year, **kwargs):
        self.club, self.year = club, year
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # a row names one of this club's meetings of the year, never another's
        form.fields["id"].queryset = Meeting.objects.filter(club=self.club, held_on__year=self.year)
        if "DELETE" in form.fields:
            row = "" if index is None else f" {index + 1}"
            form.fields["DELETE"].widget.attrs["aria-label"] = str(_("Xoá dòng")) + row

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "club": self.club, "year": self.year}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            club=self.club,
            year=self.year,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            day = getattr(form, "cleaned_data", {}).get("held_on")
            if not day or form.cleaned_data.get("DELETE"):
                continue
            if day in seen:
                form.add_error("held_on", _("Ngày này đã có ở dòng %(row)s.") % {"row": seen[day]})
            else:
                seen[day] = self.forms.index(form) + 1


def meeting_formset(club, year, data=None):
    """The grid of ``club``'s meetings in ``year``: its stored meetings, then blank rows up to
    :data:`ROWS_PER_YEAR` (at least two blank ones)."""
    stored = Meeting.objects.filter(club=club, held_on__year=year).order_by("held_on")
    extra = max(ROWS_PER_YEAR - stored.count(), 2)
    FormSet = forms.modelformset_factory(
        Meeting,
        form=MeetingForm,
        formset=BaseMeetingFormSet,
        extra=extra,
        can_delete=True,
        max_num=400,
        absolute_max=400,
    )
    return FormSet(data, queryset=stored, prefix="g", club=club, year=year)


class ActivityMonthForm(forms.Form):
    """A club's activities in one month: for each activity kind in force, whether it was held,
    how many members took part and, for home care, the volunteers' visits. ``members`` is how
    many members the club had (the most that can take part)."""

    def __init__(self, *args, kinds, stored, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds, self.members = kinds, members
        for kind in kinds:
            record = stored.get(kind.pk)
            self.fields[f"held_{kind.pk}"] = forms.BooleanField(
                label=_("%(kind)s: có tổ chức") % {"kind": kind.label},
                required=False,
                initial=record.held if record else False,
            )
            self.fields[f"participants_{kind.pk}"] = forms.IntegerField(
                label=_("%(kind)s: số thành viên tham gia") % {"kind": kind.label},
                required=False,
                min_value=0,
                initial=record.participants if record else None,
            )
            if kind.counts_visits:
                self.fields[f"visits_{kind.pk}"] = forms.IntegerField(
                    label=_("%(kind)s: số lượt thăm tại nhà") % {"kind": kind.label},
                    required=False,
                    min_value=0,
                    initial=record.visits if record else None,
                )

    def clean(self):
        data = super().clean()
        for kind in self.kinds:
            held = data.get(f"held_{kind.pk}")
            taking_part = data.get(f"participants_{kind.pk}")
            visits = data.get(f"visits_{kind.pk}")
            if not held and (taking_part or visits):
                self.add_error(f"held_{kind.pk}", _("Đánh dấu «có tổ chức» khi có người tham gia."))
            if taking_part is not None and taking_part > self.members:
                self.add_error(
                    f"participants_{kind.pk}",
                    _("Nhiều hơn số thành viên của CLB (%(n)s).") % {"n": self.members},
                )
        return data

    def rows(self):
        """``(kind, held field, participants field, visits field or None)``."""
        return [
            (
                kind,
                self[f"held_{kind.pk}"],
                self[f"participants_{kind.pk}"],
                self[f"visits_{kind.pk}"] if kind.counts_visits else None,
            )
            for kind in self.kinds
        ]
