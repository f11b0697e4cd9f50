"""One money rule for forms and spreadsheets (common.money.parse_vnd): the same inputs give the
same answer through the form field and through the spreadsheet cell parser."""

import pytest
from django import forms
from django.utils import translation

from common.fields import VNDField
from common.money import MoneyError, parse_vnd
from spreadsheets import cells as sheets

ONE_AND_A_HALF_MILLION = [
    "1.500.000",
    "1500000",
    "1 500 000",
    "1,500,000",
    "1.500.000 đ",
    "1.500.000₫",
    "1500000 đ.",
    "1.500.000 đồng",
    "1\u00a0500\u00a0000 VND",
]
REFUSED = [
    ("1.500,000", "Nhập số tiền bằng đồng, ví dụ 1.500.000."),  # mixed separators
    ("1 500.000", "Nhập số tiền bằng đồng, ví dụ 1.500.000."),
    ("1.50.000", "Nhập số tiền bằng đồng, ví dụ 1.500.000."),
    ("1,5 triệu", "Nhập số tiền bằng đồng, ví dụ 1.500.000."),
    ("1,5", "Số tiền phải là số đồng nguyên, không có phần lẻ."),
    ("1500000.5", "Số tiền phải là số đồng nguyên, không có phần lẻ."),
    ("0", "Số tiền phải lớn hơn 0."),
    ("-1.500.000", "Số tiền phải lớn hơn 0."),
    ("-5", "Số tiền phải lớn hơn 0."),
]


@pytest.mark.parametrize("typed", ONE_AND_A_HALF_MILLION)
def test_every_spelling_of_one_and_a_half_million(typed):
    assert parse_vnd(typed) == 1_500_000
    assert VNDField().clean(typed) == 1_500_000
    assert sheets.parse_money(typed) == 1_500_000


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("typed", "reason"), REFUSED)
def test_refused_alike_in_forms_and_sheets(language, typed, reason):
    with translation.override("vi"):
        with pytest.raises(MoneyError) as raised:
            parse_vnd(typed)
        assert str(raised.value) == reason
    with translation.override(language):
        with pytest.raises(forms.ValidationError):
            VNDField().clean(typed)
        with pytest.raises(sheets.CellError):
            sheets.parse_money(typed)


def test_number_cells():
    assert sheets.parse_money(1500000) == 1_500_000
    assert sheets.parse_money(1500000.0) == 1_500_000
    for bad in (0, -3, 1500000.5, True):
        with pytest.raises(sheets.CellError):
            sheets.parse_money(bad)
    assert sheets.parse_money("") is None and sheets.parse_money(None) is None


def test_form_shows_an_amount_grouped():
    assert VNDField().prepare_value(1500000) == "1.500.000"
