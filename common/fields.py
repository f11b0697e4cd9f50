"""Form fields every app shares: dates typed ``dd/mm/yyyy`` (:func:`date_field`), whole VND
(:class:`VNDField`, read by :func:`common.money.parse_vnd`, the rule spreadsheets use too) and
a multiple choice of rows that refuses ids no database key holds
(:class:`ModelMultipleChoiceField`)."""

import re

from django import forms

from . import formats
from .dates import no_such_day
from .http import parse_id
from .money import MoneyError, parse_vnd


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
