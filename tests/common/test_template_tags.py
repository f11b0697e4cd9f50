"""One template-tag library for values (``{% load ishc %}``), through ``common.formats``."""

from fractions import Fraction

import pytest
from django.template import engines
from django.utils import translation


def render(text, **context):
    return engines["django"].from_string("{% load ishc %}" + text).render(context)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_money_and_shares_in_both_languages(language):
    with translation.override(language):
        assert render("{{ v|vnd }}", v=1500000) == "1.500.000 đ"
        assert render("{{ s|percent }}", s=Fraction(2, 3)) == "66,7%"
        assert render("{{ s|percent:0 }}", s=Fraction(2, 3)) == "67%"
        assert render("{{ s|percent:2 }}", s=Fraction(2, 3)) == "66,67%"
        assert render("{{ s|percent }}", s=None) == "—"


def test_progress_values_are_attribute_numbers_with_a_point():
    """``<progress value="95,5">`` is read as 95 by browsers: the value has a decimal point."""
    with translation.override("vi"):
        assert render("{{ s|progress_value }}", s=Fraction(191, 200)) == "95.5"
        assert render("{{ s|progress_value }}", s=Fraction(3, 2)) == "100.0"
