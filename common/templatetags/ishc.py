"""``{% load ishc %}``: the project's one template-tag library for values (``common.formats``).

- ``{{ amount|vnd }}``: ``1.500.000 đ``;
- ``{{ share|percent }}``, ``{{ share|percent:0 }}``, ``{{ share|percent:2 }}``: ``66,7%``;
  ``—`` for ``None``;
- ``{{ share|progress_value }}``: 0..100 for ``<progress max="100">``;
- ``{{ share|sort_value }}``: a plain number for ``data-sort`` attributes;
- ``{{ label|picker_key }}``: the key a picker matches typed text against.
"""

from django import template

from common import formats, text

register = template.Library()


@register.filter
def vnd(value):
    return formats.vnd(value)


@register.filter
def percent(value, places=1):
    return formats.percent(value, int(places))


@register.filter
def progress_value(value):
    """A share as 0..100 (capped at 100; 0 for ``None``), with a decimal point whatever the
    language, since it is an attribute value for the browser."""
    if value is None or value == "":
        return 0
    return f"{min(float(value), 1.0) * 100:.1f}"


@register.filter
def sort_value(value):
    """A plain number for ``data-sort`` attributes (-1 for ``None``)."""
    if value is None:
        return -1
    return f"{float(value):.6f}"


@register.filter
def picker_key(value):
    """The key a picker matches typed text against (``common.text.picker_key``)."""
    return text.picker_key(str(value))
