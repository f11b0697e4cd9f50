"""Formatting for the dashboards: shares as percentages, progress values and club links."""

from django import template
from django.urls import reverse

from reporting.svg import percent_label

register = template.Library()


@register.filter
def percent(value, places=1):
    """A share (``Fraction`` or number, 0..1) as a localised percentage (``"66,7%"`` in vi);
    ``"–"`` for ``None``."""
    return percent_label(None if value == "" else value, int(places), empty="–")


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
