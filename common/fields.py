"""Form fields every app shares: dates typed ``dd/mm/yyyy`` (:func:`date_field`), whole VND
(:class:`VNDField`, read by :func:`common.money.parse_vnd`, the rule spreadsheets use too) and
a multiple choice of rows that refuses ids no database key holds
(:class:`ModelMultipleChoiceField`), and the pickers: a select or a list that the browser
narrows as the user types (:func:`picker_attrs`, :class:`PickerSelect`)."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import formats
from .dates import no_such_day
from .http import parse_id
from .money import MoneyError, parse_vnd
from .text import picker_key


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ``ModelMultipleChoiceField`` choosing by primary key, where a value that is no
    id (:func:`common.http.parse_id`: ``"abc"``, ``"-1"``, a 23-digit number) is refused as
    an invalid choice before the query: Django 5.2 guards an integer ``exact`` lookup against
    overflow but not the ``IN`` list this field queries, which then fails on both databases."""

    def _check_values(self, value):
        if self.to_field_name is None and isinstance(value, list | tuple):
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """A text input shown and typed ``dd/mm/yyyy`` (the project's formats read day-first)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A date typed ``dd/mm/yyyy``; a day the month does not have (31/02/2024) says so
    (:func:`common.dates.no_such_day`) rather than "enter a valid date"."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(value))
            if match:
                day, month, year = (int(g) for g in match.groups())
                reason = 1 <= month <= 12 and no_such_day(day, month, year)
                if reason:
                    raise forms.ValidationError(reason, code="invalid") from None
            raise


def date_field(label, required=True, **kwargs):
    """A :class:`DateField` with :class:`DateInput`."""
    return DateField(label=label, required=required, widget=DateInput(), **kwargs)


class VNDField(forms.IntegerField):
    """Whole VND, more than 0 (:func:`common.money.parse_vnd`); cleans to an ``int``."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000"})
        )
        super().__init__(**kwargs)
        self.localize = False

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_vnd(value)
        except MoneyError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, int):
            return formats.number(value)
        return value


def picker_attrs(search_label=None) -> dict:
    """The attributes that make a list a picker (``static/js/app.js``, "Pickers"): the list
    (a select, or any element whose items carry ``data-key``) gets ``data-picker`` with the
    search box's label (e.g. "Tìm xã/phường") and the words of its count. The script puts a
    labelled search box before the list, keeps the items whose words start with the typed words
    (a chosen or ticked one always stays), says how many are left in a polite status, and picks
    the one item left on Enter; without scripts the list is shown whole."""
    return {
        "data-picker": "",
        "data-picker-label": search_label or _("Tìm trong danh sách"),
        "data-picker-found": _("%(n)s/%(total)s mục khớp"),
        "data-picker-none": _("Không có mục nào khớp; hãy gõ ít chữ hơn."),
    }


class PickerSelect(forms.Select):
    """A select narrowed as the user types (:func:`picker_attrs`): each option carries its
    :func:`common.text.picker_key` in ``data-key`` (a commune matched without its "Xã",
    "Phường", "Thị trấn" or "Đặc khu")."""

    def __init__(self, attrs=None, *, search_label=None, **kwargs):
        super().__init__(attrs={**picker_attrs(search_label), **(attrs or {})}, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in (None, ""):
            option["attrs"]["data-key"] = picker_key(str(label))
        return option


_PERCENT = re.compile(r"^\s*(\d{1,6})(?:[.,](\d{1,12}))?\s*%?\s*$")


class PercentField(forms.DecimalField):
    """A share typed as a percentage, from 0 to 100 (``60``, ``62,5``, ``62.5%``), cleaned to
    the exact fraction the models store in a ``DecimalField`` of ``decimal_places`` places
    (``60`` -> ``Decimal("0.6000")``, that is 3/5); shown back as a percentage (``0.6000`` ->
    ``"60"``, ``0.625`` -> ``"62,5"`` in Vietnamese). A percentage with more decimals than
    the stored fraction holds is refused, never rounded."""

    def __init__(self, *, decimal_places=4, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "percent"})
        )
        self.places = decimal_places
        super().__init__(**kwargs)
        self.localize = False
        self.validators = []

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        # Whole percent, then the decimals after a comma (Vietnamese) or a point (English).
        found = _PERCENT.match(str(value))
        if found is None:
            raise forms.ValidationError(
                _("Hãy nhập tỷ lệ phần trăm, ví dụ 60 hoặc 62,5."), code="invalid"
            )
        whole, decimals = found.groups()
        percent = Decimal(f"{whole}.{decimals or 0}")
        if not 0 <= percent <= 100:
            raise forms.ValidationError(_("Tỷ lệ phần trăm phải từ 0 đến 100."), code="range")
        share = percent / 100
        quantum = Decimal(1).scaleb(-self.places)
        if share != share.quantize(quantum):
            raise forms.ValidationError(
                _("Tỷ lệ ghi được tối đa %(n)s chữ số sau dấu phẩy.") % {"n": self.places - 2},
                code="places",
            )
        return share.quantize(quantum)

    def validate(self, value):
        forms.Field.validate(self, value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            percent = (Decimal(value) * 100).normalize()
            if percent == percent.to_integral_value():
                percent = percent.quantize(Decimal(1))
            return formats.plain_decimal(percent)
        return value


_GROUPED = re.compile(r"^\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$")


class CountField(forms.IntegerField):
    """A whole number of clubs or people, typed plain (``6000``) or grouped by thousands as
    the page shows it (``6.000``, ``6 000``, ``6,000``): cleaned to an ``int``. Django's own
    integer field reads ``6.000`` as 6 (it drops a decimal part of zeros); a decimal part
    (``6,5``) is refused here."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)
        self.localize = False

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if _GROUPED.match(text):
            text = re.sub(r"\D", "", text)
        if not text.isdigit():
            raise forms.ValidationError(_("Hãy nhập một số nguyên, ví dụ 6000."), code="invalid")
        return int(text)

    def prepare_value(self, value):
        return value
