"""The forms of the submissions pages: the period selection, the submit confirmation and the
review (accept, or return with comments per club or per figure)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FIGURES, Period

#: Rows of comments a return form offers.
COMMENT_ROWS = 3


class PeriodForm(forms.Form):
    """The period shown (default: the latest that has ended) and "accepted data only"."""

    period = forms.ModelChoiceField(
        label=_("Kỳ báo cáo"), queryset=Period.objects.none(), required=False, empty_label=None
    )
    accepted = forms.BooleanField(label=_("Chỉ số liệu đã chấp nhận"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        periods = Period.objects.ended_by(timezone.localdate()).order_by("-ends_on")
        self.fields["period"].queryset = periods
        self.default = periods.first()

    def chosen(self):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("period"):
            return self.cleaned_data["period"], self.cleaned_data["accepted"]
        return self.default, bool(self.is_bound and self.data.get("accepted"))


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Ghi chú gửi kèm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    """Accept or return; a return carries a general comment and up to
    :data:`COMMENT_ROWS` comments, each on a club (by code) or a figure."""

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=(("accept", _("Chấp nhận")), ("return", _("Trả lại để sửa"))),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét chung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, clubs=(), **kwargs):
        super().__init__(*args, **kwargs)
        club_choices = [("", _("(không gắn với CLB)"))] + [
            (c.code, f"{c.code} – {c.name}") for c in clubs
        ]
        self.clubs = {c.code: c for c in clubs}
        for i in range(1, COMMENT_ROWS + 1):
            self.fields[f"club_{i}"] = forms.ChoiceField(
                label=_("CLB (nhận xét %(n)s)") % {"n": i}, choices=club_choices, required=False
            )
            self.fields[f"figure_{i}"] = forms.ChoiceField(
                label=_("Số liệu (nhận xét %(n)s)") % {"n": i}, choices=FIGURES, required=False
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Nhận xét %(n)s") % {"n": i}, required=False, max_length=2000
            )

    def rows(self):
        return [
            (self[f"club_{i}"], self[f"figure_{i}"], self[f"text_{i}"])
            for i in range(1, COMMENT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for i in range(1, COMMENT_ROWS + 1):
            if (data.get(f"club_{i}") or data.get(f"figure_{i}")) and not data.get(f"text_{i}"):
                self.add_error(f"text_{i}", _("Hãy ghi nhận xét cho CLB hoặc số liệu đã chọn."))
        return data

    def comments(self):
        out = []
        for i in range(1, COMMENT_ROWS + 1):
            text = self.cleaned_data.get(f"text_{i}", "")
            if text:
                club = self.clubs.get(self.cleaned_data.get(f"club_{i}"))
                out.append((club, self.cleaned_data.get(f"figure_{i}", ""), text))
        return out
