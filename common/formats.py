"""Dates, numbers, money and shares as the active language writes them, through Django's
formatting and the project's format modules (``config/formats``: ``dd/mm/yyyy``, thousands
grouped with ``.``, decimal comma). The one place pages, PDFs, histories and messages format a
value; files for machines (file names, JSON) use ISO dates instead.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy


def day(value: datetime.date | None) -> str:
    """A date as ``05/03/2026`` (``SHORT_DATE_FORMAT``); ``""`` for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


#: Months as a date in words names them: "tháng 3" (English "March").
MONTHS = (
    pgettext_lazy("month of a date", "tháng 1"),
    pgettext_lazy("month of a date", "tháng 2"),
    pgettext_lazy("month of a date", "tháng 3"),
    pgettext_lazy("month of a date", "tháng 4"),
    pgettext_lazy("month of a date", "tháng 5"),
    pgettext_lazy("month of a date", "tháng 6"),
    pgettext_lazy("month of a date", "tháng 7"),
    pgettext_lazy("month of a date", "tháng 8"),
    pgettext_lazy("month of a date", "tháng 9"),
    pgettext_lazy("month of a date", "tháng 10"),
    pgettext_lazy("month of a date", "tháng 11"),
    pgettext_lazy("month of a date", "tháng 12"),
)


def day_in_words(value: datetime.date) -> str:
    """A date that no reader can take month-first: ``5 tháng 3 năm 1950`` (English ``5 March
    1950``), for the import preview of dates read from a file."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return gettext("%(day)s %(month)s năm %(year)s") % {
        "day": value.day,
        "month": MONTHS[value.month - 1],
        "year": value.year,
    }


def document_date(place: str, value: datetime.date) -> str:
    """The place and date line of an administrative document (Decree 30/2020/NĐ-CP, Appendix I
    §II.5): ``Tuyên Quang, ngày 05 tháng 02 năm 2026``; days 1–9 and months 1 and 2 take a
    leading zero, other months none (``ngày 15 tháng 3 năm 2026``). English: ``Tuyên Quang,
    05 February 2026``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return gettext("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{value.day:02d}",
        "month": DOCUMENT_MONTHS[value.month - 1],
        "year": value.year,
    }


#: The month of a document's date line: "01", "02", then "3" … "12" unpadded (Decree
#: 30/2020/NĐ-CP, Appendix I §II.5); in English its name ("February").
DOCUMENT_MONTHS = (
    pgettext_lazy("month of a document date", "01"),
    pgettext_lazy("month of a document date", "02"),
    pgettext_lazy("month of a document date", "3"),
    pgettext_lazy("month of a document date", "4"),
    pgettext_lazy("month of a document date", "5"),
    pgettext_lazy("month of a document date", "6"),
    pgettext_lazy("month of a document date", "7"),
    pgettext_lazy("month of a document date", "8"),
    pgettext_lazy("month of a document date", "9"),
    pgettext_lazy("month of a document date", "10"),
    pgettext_lazy("month of a document date", "11"),
    pgettext_lazy("month of a document date", "12"),
)


def moment(value: datetime.datetime) -> str:
    """A date and time as ``14:05 05/03/2026`` (``SHORT_DATETIME_FORMAT``), in local time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


def number(value) -> str:
    """A whole number grouped by thousands: ``1500000`` → ``"1.500.000"``."""
    return formats.number_format(value, force_grouping=True)


def vnd(value) -> str:
    """Whole VND: ``1500000`` → ``"1.500.000 đ"``; ``""`` for ``None`` or ``""``."""
    if value in (None, ""):
        return ""
    return f"{number(int(value))} đ"


def percent(share, places: int = 1, empty: str = "—") -> str:
    """An exact share (a ``Fraction``, or a number from 0 to 1) as a percentage rounded half up,
    in the active language's number format: ``Fraction(2, 3)`` → ``"66,7%"`` (``places=0``:
    ``"67%"``, ``places=2``: ``"66,67%"``); ``empty`` for ``None``."""
    if share is None or share == "":
        return empty
    share = Fraction(share)
    value = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    return f"{formats.number_format(value, decimal_pos=places)}%"


def share_string(value: Fraction | None, places: int = 4) -> str | None:
    """An exact fraction as a plain decimal string for machines (JSON, the command line),
    rounded half up: ``Fraction(2, 3)`` → ``"0.6667"``; ``None`` for ``None``."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return str(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            quantum, rounding=ROUND_HALF_UP
        )
    )


def plain_decimal(value) -> str:
    """A decimal number as typed back into a field: the active language's decimal separator,
    no thousands grouping (``Decimal("62.5")`` -> ``"62,5"`` in Vietnamese, ``"62.5"`` in
    English)."""
    return str(value).replace(".", formats.get_format("DECIMAL_SEPARATOR"))
