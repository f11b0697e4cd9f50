"""Value parsers of spreadsheets.cells: each rule of the import templates, by hand."""

import datetime
import unicodedata

import pytest
from django.utils import translation

from spreadsheets import cells as sheets


@pytest.mark.parametrize(
    "value, expected",
    [
        ("03/04/1950", datetime.date(1950, 4, 3)),
        ("03-04-1950", datetime.date(1950, 4, 3)),
        ("03.04.1950", datetime.date(1950, 4, 3)),
        ("1950-04-03", datetime.date(1950, 4, 3)),
        # A date cell's midnight, as LibreOffice writes it in a CSV.
        ("2025-10-07 0:00:00", datetime.date(2025, 10, 7)),
        ("07/10/2025 00:00", datetime.date(2025, 10, 7)),
        # Two-digit years (a spreadsheet's short date) in 1930-2029, as spreadsheets read them.
        ("20/10/16", datetime.date(2016, 10, 20)),
        ("04.12.48", datetime.date(1948, 12, 4)),
        ("01-01-30", datetime.date(1930, 1, 1)),
        ("31/12/29", datetime.date(2029, 12, 31)),
        ("05/03/00", datetime.date(2000, 3, 5)),
        (datetime.datetime(1950, 4, 3, 0, 0), datetime.date(1950, 4, 3)),
        # Excel serials: 1 is 01/01/1900, 60 is Excel's phantom 29/02/1900, 61 is 01/03/1900.
        (1, datetime.date(1900, 1, 1)),
        (61, datetime.date(1900, 3, 1)),
        (43831, datetime.date(2020, 1, 1)),
        (43831.0, datetime.date(2020, 1, 1)),
        ("43831", datetime.date(2020, 1, 1)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_day_first_and_serial(value, expected):
    assert sheets.parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "13/13/1950",
        "04/2020",
        "1950/04/03",
        "31/02/2020",
        1.5,
        "20/10/016",
        "20/10/6",
        "2025-10-07 9:30:00",  # a time of day is not a date cell's midnight
    ],
)
def test_bad_dates_are_errors(value):
    with pytest.raises(sheets.CellError):
        sheets.parse_date(value)


def test_day_first_under_every_language():
    for language in ("vi", "en", None):
        with translation.override(language):
            assert sheets.parse_date("05/03/1950") == datetime.date(1950, 3, 5)


def test_birth_year_alone_or_serial():
    assert sheets.parse_birth(1948) == (1948, None, None)
    assert sheets.parse_birth("1948") == (1948, None, None)
    assert sheets.parse_birth(1948.0) == (1948, None, None)
    # 18264 is above the current year: an Excel serial, 01/01/1950.
    assert sheets.parse_birth(18264) == (1950, 1, 1)
    assert sheets.parse_birth("03/04/1950") == (1950, 4, 3)
    with pytest.raises(sheets.CellError):
        sheets.parse_birth("04/1950")


def test_a_birth_date_after_this_year_is_an_error(monkeypatch):
    # On 02/12/2026 a short "04/12/48" is 1948, and "01/02/27" (2027) no one's birth date.
    monkeypatch.setattr(sheets.timezone, "localdate", lambda: datetime.date(2026, 12, 2))
    assert sheets.parse_birth("04/12/48") == (1948, 12, 4)
    assert sheets.parse_birth("31/12/2026") == (2026, 12, 31)
    for value in ("01/02/27", "01/02/2027"):
        with pytest.raises(sheets.CellError, match="Năm sinh không hợp lệ"):
            sheets.parse_birth(value)


def test_a_birth_year_is_checked_against_the_year_the_caller_gives():
    # An import reads the current year once for all its rows.
    assert sheets.parse_birth(2020, this_year=2020) == (2020, None, None)
    # 2021 is above that year: an Excel serial, 2021 days after 30/12/1899 = 13/07/1905.
    assert sheets.parse_birth(2021, this_year=2020) == (1905, 7, 13)
    with pytest.raises(sheets.CellError, match="Năm sinh không hợp lệ"):
        sheets.parse_birth("01/02/2021", this_year=2020)


@pytest.mark.parametrize("language", ["vi", "en", None])
@pytest.mark.parametrize(
    "value, expected",
    [
        ("1.000.000", 1_000_000),
        ("1.000.000 đ", 1_000_000),
        ("1.500.000đ", 1_500_000),
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000 đồng", 1_500_000),
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
        ("", None),
    ],
)
def test_money_in_every_language(language, value, expected):
    with translation.override(language):
        assert sheets.parse_money(value) == expected


@pytest.mark.parametrize("value", ["1,5", "1500000.5", 1500000.5, "1.5", "-100", "một triệu"])
def test_money_fractions_and_junk_are_errors(value):
    with pytest.raises(sheets.CellError):
        sheets.parse_money(value)


def test_codes_and_phones_stay_text():
    assert sheets.parse_code(101.0) == "101"
    assert sheets.parse_code("101.0") == "101"
    assert sheets.parse_code(101) == "101"
    assert sheets.parse_code(" CLB-07 ") == "CLB-07"
    # A phone stored as a number lost its leading 0: 0912345678 -> 912345678.
    assert sheets.parse_phone(912345678) == "0912345678"
    assert sheets.parse_phone(912345678.0) == "0912345678"
    assert sheets.parse_phone("0912 345 678") == "0912345678"
    assert sheets.parse_phone("+84912345678") == "+84912345678"
    # A national ID stored as a number lost its leading 0 (province codes start with 0).
    assert sheets.parse_national_id(1012345678.0) == "001012345678"
    assert sheets.parse_national_id("••••••••5678") is sheets.MASKED


def test_yes_no():
    for value in ("Có", "có", "CÓ", "x", "X", "1", 1, 1.0, True):
        assert sheets.parse_yes_no(value) is True
    for value in ("Không", "không", "0", 0, None, "", False):
        assert sheets.parse_yes_no(value) is False
    for value in ("có thể", "y", "2", "không rõ"):
        with pytest.raises(sheets.CellError):
            sheets.parse_yes_no(value)


def test_names_and_headers_ignore_normalisation_form():
    nfd = unicodedata.normalize("NFD", "  Nguyễn  Thị Hoà ")
    assert nfd != "Nguyễn Thị Hoà"
    assert sheets.parse_name(nfd) == "Nguyễn Thị Hoà"
    assert sheets.header_key(unicodedata.normalize("NFD", " HỌ VÀ TÊN ")) == "họ và tên"


def test_formula_prefix_removed_on_read():
    assert sheets.clean_text("'=1+2") == "=1+2"
    assert sheets.clean_text("'bình thường") == "'bình thường"
