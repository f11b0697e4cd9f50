"""Formatting for the dashboards: shares as percentages, progress values and club links."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.urls import reverse
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, places=1):
    """A share (``Fraction`` or number, 0..1) as a localised percentage (``"66,7%"`` in vi);
    ``"–"`` for ``None``."""
    if value is None or value == "":
        return "–"
    return percent_text(Fraction(value), int(places))


def percent_text(value: Fraction, places: int = 1) -> str:
    """``Fraction(1, 12)`` → ``"8,3%"`` (rounded half up, localised)."""
    hundredths = Decimal((value * 100).numerator) / Decimal((value * 100).denominator)
    rounded = hundredths.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places) + "%"


@register.filter
def progress_value(value):
    """A share as 0..100 for a ``<progress max="100">`` (capped at 100; 0 for ``None``)."""
    if value is None:
        return 0
    return round(min(float(value), 1.0) * 100, 1)


@register.filter
def sort_value(value):
    """A plain number for ``data-sort`` attributes (-1 for ``None``)."""
    if value is None:
        return -1
    return f"{float(value):.6f}"


@register.simple_tag
def club_url(club):
    """The club page (``clubs:detail``) of ``club``, a ``ClubResult`` or ``Club``."""
    return reverse("clubs:detail", args=[club.id])
