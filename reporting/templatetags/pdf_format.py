"""Filters for the PDF reports: shares as percentages in the active language's number format."""

from django import template

from reporting.svg import percent_label

register = template.Library()


@register.filter
def percent(value, places=2):
    """``Fraction(2, 3)`` → ``"66,67%"``; ``None`` → ``"—"``."""
    return percent_label(None if value == "" else value, int(places))
