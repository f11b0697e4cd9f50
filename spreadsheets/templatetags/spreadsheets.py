"""``{% load spreadsheets %}``: ``{{ value|cell }}``, a spreadsheet cell as the officer typed it."""

import datetime

from django import template

from common import formats

register = template.Library()


@register.filter
def cell(value):
    """A cell as typed: ``1952.0`` -> ``"1952"``, a date as ``dd/mm/yyyy`` (with the time when
    it has one), a number never grouped (so a year is not shown as ``1.952``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return formats.moment(value) if (value.hour or value.minute) else formats.day(value)
    if isinstance(value, datetime.date):
        return formats.day(value)
    return str(value)
