"""Template filters of the workspace: ``vnd`` (money), ``percent`` (an exact fraction) and
``masked_id`` (national ID masked except for administrators)."""

import datetime

from django import template

from members.privacy import mask_national_id
from reporting.svg import percent_label

register = template.Library()


@register.filter
def vnd(value):
    """``1500000`` -> ``"1.500.000 đ"`` (whole VND, grouped with dots); empty for ``None``."""
    if value in (None, ""):
        return ""
    return f"{int(value):,} đ".replace(",", ".")


@register.filter
def percent(value, places=0):
    """An exact share (``Fraction``) as a percent: ``Fraction(2, 3)`` -> ``"67%"``, with
    ``places=2`` -> ``"66,67%"`` (rounded half-up); empty for ``None``."""
    return percent_label(None if value == "" else value, int(places), empty="")


@register.filter
def masked_id(value, user):
    """The national ID for administrators, ``••••••••1234`` for everyone else."""
    return mask_national_id(value or "", user)


@register.filter
def age_on(member, day):
    """A member's age in completed years on ``day``."""
    return member.age_on(day)


@register.filter
def cell(value):
    """A spreadsheet cell as the officer typed it: ``1952.0`` -> ``"1952"``, a date as
    ``dd/mm/yyyy``, never localised (so a year is not shown as ``1.952,0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if (value.hour or value.minute)
            else (value.strftime("%d/%m/%Y"))
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
