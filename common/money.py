"""Whole VND as officers type it in a form or a spreadsheet (one rule for both).

``1.500.000``, ``1500000``, ``1 500 000``, ``1,500,000``, ``1.500.000 đ``, ``1.500.000₫``,
``1500000 đ.`` and ``1.500.000 đồng`` all mean 1,500,000 VND. Refused, with a reason in
Vietnamese: mixed separators (``1.500,000``, ``1 500.000``), a decimal fraction (``1,5``,
``1500000.5``), text that is no amount (``1,5 triệu``), and amounts of 0 or less: a loan or a fund
movement is always a positive sum.
"""

import re

from django.utils.translation import gettext as _

_SUFFIX = re.compile(r"\s*(đồng|đ|₫|vnđ|vnd)\.?$", re.IGNORECASE)
_SPACES = "\u0020\u00a0\u202f"
# ASCII digits only: str.isdigit and \d accept "²" or "١", which int() refuses or misreads.
_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(rf"[0-9]{{1,3}}(?:(?P<sep>[.,{_SPACES}])[0-9]{{3}})(?:(?P=sep)[0-9]{{3}})*")
_FRACTION = re.compile(r"-?[0-9]+[.,][0-9]+")


class MoneyError(ValueError):
    """An amount that cannot be read; ``str(error)`` is the reason in Vietnamese."""


def _invalid():
    return MoneyError(_("Nhập số tiền bằng đồng, ví dụ 1.500.000."))


def _check_positive(number: int) -> int:
    if number <= 0:
        raise MoneyError(_("Số tiền phải lớn hơn 0."))
    return number


def parse_vnd(value) -> int | None:
    """``value`` (text as typed, or a number cell: ``int`` or ``float``) as whole VND (an
    ``int`` > 0); blank text or ``None`` gives ``None``. Raises :class:`MoneyError`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _invalid()
    if isinstance(value, int):
        return _check_positive(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise MoneyError(_("Số tiền phải là số đồng nguyên, không có phần lẻ."))
        return _check_positive(int(value))
    text = str(value).strip()
    if not text:
        return None
    text = _SUFFIX.sub("", text).strip()
    negative = text.startswith("-")
    digits = text.lstrip("-").strip()
    if _DIGITS.fullmatch(digits):
        number = int(digits)
    elif _GROUPED.fullmatch(digits):
        number = int(re.sub(rf"[.,{_SPACES}]", "", digits))
    elif _FRACTION.fullmatch(digits):
        raise MoneyError(_("Số tiền phải là số đồng nguyên, không có phần lẻ."))
    else:
        raise _invalid()
    return _check_positive(-number if negative else number)
