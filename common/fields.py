"""Form fields every app shares: dates typed ``dd/mm/yyyy`` (:func:`date_field`) and whole VND
(:class:`VNDField`, read by :func:`common.money.parse_vnd`, the rule spreadsheets use too)."""

from django import forms

from . import formats
from .money import MoneyError, parse_vnd


class DateInput(forms.DateInput):
    """A text input shown and typed ``dd/mm/yyyy`` (the project's formats read day-first)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, required=True, **kwargs):
    """A ``DateField`` with :class:`DateInput`."""
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


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
