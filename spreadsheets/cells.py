"""Reading spreadsheet files and cleaning their values.

Every parser takes one cell value as a file reader gives it (``str``, ``int``, ``float``,
``datetime``, ``date``, ``bool`` or ``None``) and returns a clean Python value, or raises
:class:`CellError` (a ``ValueError``) with a reason in Vietnamese. None of them depends on the
UI language: ``1.000.000`` is one million VND and ``03/04/1950`` is 3 April 1950 in every locale
(dates in Vietnam are written day first).

Files are read into tables by :mod:`spreadsheets.files`.
"""

import datetime
import re
import unicodedata

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import is_masked
from common import formats
from common.money import parse_vnd
from common.text import normalise_name

#: Characters that make a spreadsheet cell a formula (or, tab and carriage return, lead a
#: spreadsheet to read one): exports prefix such text with "'", imports remove that prefix.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A value that cannot be read; ``str(error)`` is the reason in Vietnamese."""


class FileError(ValueError):
    """A file that cannot be read at all (format, sheet, header row)."""


class Masked:
    """Returned by :func:`parse_national_id` for a masked ID (``••••••••1234``): the stored
    value is kept (a masked national ID in a re-imported file is ignored)."""

    def __repr__(self):
        return "MASKED"


MASKED = Masked()


# --- text -----------------------------------------------------------------------------------


def header_key(value) -> str:
    """Key used to match headers and choice labels: NFC, trimmed, single spaces, casefolded."""
    return normalise_name(str(value or "")).casefold()


def clean_text(value) -> str:
    """Cell -> trimmed NFC text; ``None`` -> ``""``; whole floats lose ``.0``; the ``'`` that
    exports put before :data:`FORMULA_START` (formula neutralisation) is removed."""
    if type(value) is not str:
        return _clean_other(value)
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


def _clean_other(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return formats.day(value)
    return clean_text(str.__str__(value) if isinstance(value, str) else str(value))


def parse_name(value) -> str:
    """A person's or club's name: NFC, single spaces (``common.text.normalise_name``)."""
    return normalise_name(clean_text(value))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_code(value) -> str:
    """A code kept as text: ``101``, ``101.0`` (a number cell) and ``"101.0"`` give ``"101"``."""
    text = clean_text(value)
    if "." not in text:
        return text
    match = _WHOLE.fullmatch(text)
    return match.group(1) if match else text


_WHOLE = re.compile(r"(\d+)\.0+")


_PHONE_MARKS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"\+?\d{8,15}")


def parse_phone(value) -> str:
    """A phone number as text, keeping its leading 0; a number cell that lost it (9 or 10
    digits not starting with 0 or 84) gets it back. Spaces, dots and dashes are removed."""
    text = _PHONE_MARKS.sub("", parse_code(value))
    if not text:
        return ""
    if not _PHONE.fullmatch(text):
        raise CellError(_("Số điện thoại không hợp lệ."))
    if text.isdigit() and not text.startswith(("0", "84")) and len(text) in (9, 10):
        text = "0" + text
    return text


def parse_national_id(value):
    """12 digits as text. Every national ID starts with 0 (its first three digits are a
    province code, 001–096), so a number cell, or text of 9 to 11 digits (a number saved
    through a spreadsheet), gets its leading zeros back; a value in scientific notation
    (``1.23457E+11``) lost digits and is refused saying so; a masked ID (``••••••••1234``)
    returns :data:`MASKED`. Raises CellError otherwise."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("Số định danh đã mất chữ số (dạng số mũ): hãy nhập lại 12 chữ số."))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = parse_code(value).zfill(12)
    else:
        text = re.sub(r"\s", "", parse_code(value))
    if not text:
        return ""
    if is_masked(text):
        return MASKED
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", text):
        raise CellError(_("Số định danh đã mất chữ số (dạng số mũ): hãy nhập lại 12 chữ số."))
    if re.fullmatch(r"\d{9,11}", text):
        text = text.zfill(12)
    if not re.fullmatch(r"\d{12}", text):
        raise CellError(_("Số định danh gồm đúng 12 chữ số."))
    return text


# --- codes that lost their leading zeros ----------------------------------------------------


def zeros_key(code: str) -> str | None:
    """A code of digits only without its leading zeros (``"001"`` → ``"1"``, ``"000"`` →
    ``"0"``): how a spreadsheet that took it for a number writes it back; ``None`` for any
    other code."""
    if not code or not code.isdigit():
        return None
    return code.lstrip("0") or "0"


class CodeLookup:
    """Records by code, as a file names them: an exact match wins; otherwise a code of digits
    matches the one stored code equal to it once leading zeros are ignored (``1`` finds
    ``001``), and none when two or more stored codes are. :meth:`find` returns
    ``(record or None, matched ignoring zeros)``."""

    def __init__(self, records: dict):
        self.exact = records
        self.by_zeros: dict[str, list] = {}
        for code, record in records.items():
            key = zeros_key(code)
            if key is not None:
                self.by_zeros.setdefault(key, []).append(record)

    def find(self, code: str):
        record = self.exact.get(code)
        if record is not None:
            return record, False
        key = zeros_key(code)
        found = self.by_zeros.get(key, []) if key is not None else []
        return (found[0], True) if len(found) == 1 else (None, False)


def zeros_note(code: str, stored: str) -> str:
    """The preview's note for a code matched ignoring its leading zeros."""
    return _("Mã «%(code)s» được hiểu là «%(stored)s» (bảng tính đã bỏ các số 0 ở đầu).") % {
        "code": code,
        "stored": stored,
    }


# --- numbers --------------------------------------------------------------------------------


def parse_money(value) -> int | None:
    """Whole VND, more than 0 (the rule of forms too: :func:`common.money.parse_vnd`): a
    number cell, ``1.500.000``, ``1500000``, ``1 500 000``, ``1.500.000 đ``...; blank gives
    ``None``."""
    try:
        return parse_vnd(clean_text(value) if isinstance(value, str) else value)
    except ValueError as error:
        raise CellError(str(error)) from None


def parse_count(value) -> int | None:
    """A whole number of people (0 or more); blank gives ``None``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = clean_text(value)
        if not text:
            return None
        if not text.isdigit():
            raise CellError(_("Hãy nhập một số nguyên không âm."))
        number = int(text)
    if number < 0:
        raise CellError(_("Hãy nhập một số nguyên không âm."))
    return number


# --- dates ----------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
#: The time a program may write after a date cell's date in a CSV: midnight, ``0:00:00`` as
#: LibreOffice writes it, ``00:00`` or ``00:00:00``.
_MIDNIGHT = r"(?:[ T]0?0:00(?::00)?)?"
DAY_FIRST_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _MIDNIGHT)
#: The first year of the hundred that a two-digit year is read in (``16`` is 2016, ``48`` is
#: 1948): the default of LibreOffice and Excel, which write ``dd/mm/yy`` when a Vietnamese
#: installation re-saves a file's date cells as CSV, and read such dates back the same way.
TWO_DIGIT_YEARS_FROM = 1930
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _MIDNIGHT)


def _serial(number: int) -> datetime.date:
    if not 1 <= number <= 2958465:
        raise CellError(_("Ngày không hợp lệ."))
    # Excel counts 29/02/1900, which never existed; serials from 61 on are one day late.
    return _EXCEL_EPOCH + datetime.timedelta(days=number if number >= 61 else number + 1)


def _date_text_error():
    return CellError(_("Ngày không hợp lệ: hãy viết ngày/tháng/năm, ví dụ 03/04/1950."))


def parse_date(value) -> datetime.date | None:
    """A date: a date cell, an Excel serial number, ``dd/mm/yyyy``, ``dd-mm-yyyy``,
    ``dd.mm.yyyy`` (also with a two-digit year, read from :data:`TWO_DIGIT_YEARS_FROM`:
    ``20/10/16`` is 20/10/2016) or ISO ``yyyy-mm-dd``, either followed by a midnight time
    (``2025-10-07 0:00:00``, what LibreOffice writes in a CSV); never month-first. Blank gives
    ``None``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("Ngày không hợp lệ."))
        return _serial(int(value))
    text = clean_text(value)
    if not text:
        return None
    if text.isdigit():
        return _serial(int(text))
    match = DAY_FIRST_DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            start = TWO_DIGIT_YEARS_FROM
            year += start - start % 100 + (100 if year < start % 100 else 0)
    else:
        match = _ISO.fullmatch(text)
        if not match:
            raise _date_text_error()
        year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _date_text_error() from None


def parse_birth(value, this_year: int | None = None) -> tuple[int, int | None, int | None] | None:
    """A birth date as ``(year, month, day)``, or ``(year, None, None)`` for a bare year: in a
    birth-date column a whole number from 1900 to the current year is a year, a larger one an
    Excel serial date. Blank gives ``None``. ``this_year`` is the current year (in
    Asia/Ho_Chi_Minh) when the caller knows it (a file's rows share it), else it is read."""
    if this_year is None:
        this_year = timezone.localdate().year
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value) if not isinstance(value, (datetime.date, int)) else None
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if text is not None and text.isdigit():
        number = int(text)
    if number is not None and 1900 <= number <= this_year:
        return number, None, None
    if number is not None and number < 1900:
        raise CellError(_("Năm sinh không hợp lệ."))
    day = parse_date(value)
    if day is None:
        return None
    if day.year > this_year:  # a two-digit year read in the wrong century
        raise CellError(_("Năm sinh không hợp lệ."))
    return day.year, day.month, day.day


# --- choices --------------------------------------------------------------------------------

#: The labels of a yes/no column, as exported and offered by the templates' drop-down lists.
YES_NO = ("Có", "Không")
_YES = {header_key(YES_NO[0]), "co", "x", "1", "yes", "true"}
_NO = {header_key(YES_NO[1]), "khong", "0", "no", "false", ""}


def parse_yes_no(value) -> bool:
    """``Có``/``x``/``1`` -> True; ``Không``/``0``/blank -> False; anything else (``có thể``)
    is an error, never silently "no"."""
    if isinstance(value, bool):
        return value
    key = header_key(parse_code(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(_("Hãy ghi Có hoặc Không (hoặc x, 1, 0, để trống)."))


#: At most this many distinct cell values a choice parser remembers.
CHOICES_READ = 1000


def choice_parser(choices, extra=None):
    """A parser for a ``TextChoices``: accepts the Vietnamese label (the msgid), the English
    label and the stored value, in any case; ``extra`` maps more spellings to values."""

    def labels():
        table = {}
        for value, label in choices.choices:
            table[header_key(value)] = value
            with translation.override(None):
                table[header_key(str(label))] = value
            with translation.override("en"):
                table.setdefault(header_key(str(label)), value)
        for spelling, value in (extra or {}).items():
            table[header_key(spelling)] = value
        return table

    cache = {}
    #: the values of cells already read (a column repeats a few labels)
    read = {}

    def parse(value):
        if type(value) is str and value in read:
            return read[value]
        if not cache:
            cache.update(labels())
        text = clean_text(value)
        if not text:
            return ""
        try:
            found = cache[header_key(text)]
        except KeyError:
            allowed = ", ".join(choice_labels(choices))
            raise CellError(
                _("Giá trị không hợp lệ; hãy dùng: %(allowed)s.") % {"allowed": allowed}
            ) from None
        if type(value) is str and len(read) < CHOICES_READ:
            read[value] = found
        return found

    return parse


def choice_labels(choices) -> list[str]:
    """The Vietnamese labels (msgids) of the non-blank values of a ``TextChoices``, in its
    order, whatever the UI language: what a template's drop-down list offers and an error
    names. A sequence of labels (:data:`YES_NO`) is returned as a list."""
    if isinstance(choices, (list, tuple)):
        return list(choices)
    with translation.override(None):
        return [str(label) for value, label in choices.choices if value]


def vietnamese_label(choices, value) -> str:
    """The Vietnamese label (msgid) of ``value`` whatever the UI language; ``""`` for blank."""
    if not value:
        return ""
    with translation.override(None):
        return str(choices(value).label)
