"""Reading a spreadsheet file into a :class:`Table`, and the layout of a register.

:func:`read_table` reads ``.xlsx``, ``.xls``, ``.ods`` (by calamine) and ``.csv`` (UTF-8 with or
without BOM, UTF-16, Windows-1258; the delimiter detected, quoting RFC 4180).

Real registers are not a bare table starting in row 1 (the spreadsheet contract: "The header
row is found within the first 10 rows"): a title block comes first (the issuing body, the
motto, "DANH SÁCH THÀNH VIÊN …", an "as of" line), the header may take two rows (a merged
``Năm sinh`` over ``Nam`` | ``Nữ``), a row of column numbers ``(1) (2) …`` may follow it, and
below the data come a ``Tổng cộng`` row, the place and date and the signature lines.
:func:`find_layout` reads that shape off the file's first rows, knowing only which header
texts are known (the kind's columns, their variants and the numbering headers); it never
guesses from a row's position alone.
"""

import codecs
import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from common import formats

from . import limits
from .cells import FileError, clean_text, header_key, is_blank
from .headers import FOOTER_MARKS, SIGNATURE_MARKS

#: The sheet holding the data when a workbook has several (else the first sheet).
DATA_SHEET_NAMES = ("Dữ liệu", "data")
FORMATS = ("xlsx", "xls", "ods", "csv")

#: The header row is looked for within the first rows of the sheet.
HEADER_SEARCH_ROWS = 10

#: "Nà Hang, ngày 30 tháng 11 năm 2026": the place-and-date line above the signatures.
PLACE_DATE = re.compile(r"ngày\s*\.*\s*\d{0,2}\s*\.*\s*tháng\s*\.*\s*\d{0,2}\s*\.*\s*năm", re.I)
#: A column-number cell under a header: ``1``, ``(1)``, ``[1]``.
COLUMN_NUMBER = re.compile(r"[(\[]?(\d{1,2})[)\]]?")


@dataclass
class Layout:
    """Where a sheet's parts are, as 0-based indexes into its rows.

    ``header`` is the header row; ``sub_header`` the second row of a two-row header (or None);
    ``first_data`` the first row that may hold data; ``skipped`` the spreadsheet row numbers
    above ``first_data`` that were not read as a header (title block, column numbers)."""

    header: int = 0
    sub_header: int | None = None
    first_data: int = 1
    skipped: list[int] = field(default_factory=list)


def _texts(values) -> list[str]:
    return [clean_text(v) for v in values]


def _score(values, known: frozenset) -> int:
    return sum(1 for v in values if not is_blank(v) and header_key(clean_text(v)) in known)


def spans(headers: list[str], width: int) -> list[tuple[int, int]]:
    """``[(start, end)]``: each non-blank header's columns, ``start`` to ``end`` exclusive,
    reaching over the blank header cells after it (a merged cell keeps its text in its first
    column only)."""
    starts = [i for i, h in enumerate(headers[:width]) if h]
    return [(s, starts[n + 1] if n + 1 < len(starts) else width) for n, s in enumerate(starts)]


def _is_sub_header(headers: list[str], values, width: int) -> bool:
    """True when ``values`` (the row under the header) names the parts of merged header
    cells: it has text only under headers that span several columns, and some."""
    texts = _texts(values[:width])
    if not any(texts):
        return False
    covered = set()
    for start, end in spans(headers, width):
        if end - start >= 2:
            covered.update(range(start, end))
    for index, (text, value) in enumerate(zip(texts, values[:width], strict=False)):
        if not text:
            continue
        if index not in covered or not isinstance(value, str):
            return False
    return True


def _is_column_numbers(values) -> bool:
    """True for a row of column numbers ``1 2 3 …`` or ``(1) (2) …`` (at least three, each
    one more than the one before)."""
    numbers = []
    for text in _texts(values):
        if not text:
            continue
        match = COLUMN_NUMBER.fullmatch(text)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def find_layout(rows: list[list], known: frozenset) -> Layout:
    """The layout of ``rows`` (a sheet's rows from row 1, blank rows included).

    The header row is the one of the first :data:`HEADER_SEARCH_ROWS` with the most cells
    whose text is a known header (``header_key`` of the kind's headers, aliases, variants and
    numbering headers), the first such row on a tie; with none known, the first non-blank
    row (so that the missing columns are reported). The row under it is a second header row
    when it has text only under merged header cells; a row of column numbers after the header
    is skipped."""
    layout = Layout()
    best, first = 0, None
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if first is None and any(_texts(values)):
            first = index
        score = _score(values, known)
        if score > best:
            best, layout.header = score, index
    if not best:
        layout.header = first or 0
    header = _texts(rows[layout.header]) if rows else []
    width = max((i + 1 for i, h in enumerate(header) if h), default=0)
    following = layout.header + 1
    if following < len(rows) and _is_sub_header(header, rows[following], width):
        layout.sub_header = following
        following += 1
    if following < len(rows) and _is_column_numbers(rows[following][:width]):
        following += 1
    layout.first_data = following
    layout.skipped = [
        i + 1
        for i in range(following)
        if i not in (layout.header, layout.sub_header) and any(_texts(rows[i]))
    ]
    return layout


def footer_mark(values) -> bool:
    """True when a row below the data starts the footer: its first non-blank cell is a total
    (``Tổng cộng``, ``Cộng``…), a signature line (``Người lập biểu``, ``Chủ nhiệm CLB``…) or
    the place and date (``…, ngày 30 tháng 11 năm 2026``)."""
    first = next((v for v in values if not is_blank(v)), None)
    if not isinstance(first, str):
        return False  # a number or a date starts a data row (STT, a code)
    return _footer_text(first)


@functools.lru_cache(maxsize=4096)
def _footer_text(first: str) -> bool:
    """:func:`footer_mark` of a row whose first non-blank cell is the text ``first`` (the
    rows of a file repeat their first cells: a club's code)."""
    key = header_key(first)
    if key in _FOOTER_KEYS:
        return True
    if key.startswith(_SIGNATURE_KEYS):
        return True
    return bool(PLACE_DATE.search(first))


_FOOTER_KEYS = frozenset(header_key(m) for m in FOOTER_MARKS)
_SIGNATURE_KEYS = tuple(header_key(m) for m in SIGNATURE_MARKS)


def row_text(values, limit: int = 80) -> str:
    """A row's non-blank cells joined, for the preview's list of rows not read."""
    text = " · ".join(t for t in _texts(values) if t)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- files ----------------------------------------------------------------------------------


@dataclass
class Table:
    """The data sheet of a file: ``headers`` as written (trimmed), ``rows`` as
    ``(row_number, values)`` with the spreadsheet's own row numbers, blank rows left out."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    sheet: str = ""
    #: the text encoding a CSV file was read in (``"UTF-8"``, ``"UTF-16"``, ``"Windows-1258"``)
    encoding: str = ""
    #: the spreadsheet row of the header (1 unless a title block is above it)
    header_row: int = 1
    #: the second header row under merged header cells (``"Nam"``, ``"Nữ"`` under
    #: ``"Năm sinh"``), aligned with ``headers``; empty when the header is one row
    sub_headers: list[str] = field(default_factory=list)
    #: spreadsheet rows above the data not read as a header (title block, column numbers)
    skipped: list[int] = field(default_factory=list)
    #: ``(row, text)`` of the footer below the data (total, place and date, signatures)
    footer: list[tuple[int, str]] = field(default_factory=list)


def file_format(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in FORMATS:
        raise FileError(_("Chỉ nhận tệp .xlsx, .xls, .ods hoặc .csv."))
    return ext


def _choose_sheet(names: list[str]) -> int:
    wanted = {header_key(n) for n in DATA_SHEET_NAMES}
    for index, name in enumerate(names):
        if header_key(name) in wanted:
            return index
    return 0


def _width(header) -> int:
    width = 0
    for index, value in enumerate(header):
        if not is_blank(value):
            width = index + 1
    return width


def _parse_workbook(content: bytes) -> tuple[str, list[list]]:
    """``(sheet name, rows)`` of the data sheet of an .xlsx, .xls or .ods file, read by
    calamine: every row from row 1 (blank rows included, so numbering is kept). Runs in the
    bounded child process (:func:`spreadsheets.limits.bounded`); raises :class:`FileError`
    for a sheet beyond the row or column cap."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    if not book.sheet_names:
        raise FileError(_("Tệp không có trang tính nào."))
    index = _choose_sheet(book.sheet_names)
    sheet = book.get_sheet_by_index(index)
    limits.check_extent(sheet.total_height, sheet.total_width)
    return book.sheet_names[index], [list(r) for r in sheet.to_python(skip_empty_area=False)]


def _rows_workbook(content: bytes, ext: str):
    """The sheet's name, then its rows: the file checked (:func:`limits.check_workbook`) and
    parsed in a bounded process."""
    limits.check_workbook(content, ext)
    name, rows = limits.bounded(_parse_workbook, content)
    yield name, ""
    yield from rows


#: CSV delimiters a spreadsheet program writes: comma, semicolon (locales with a decimal
#: comma), tab (Excel's "Unicode text").
CSV_DELIMITERS = ",;\t"


def decode_csv(content: bytes) -> tuple[str, str]:
    """``(text, encoding name)`` of a CSV file: UTF-16 when it starts with a byte-order mark
    (Excel's "Unicode text"), else UTF-8 (with or without a mark), else Windows-1258 (older
    Vietnamese Windows, whose combining tone marks are composed to NFC by the cell readers).
    Raises :class:`FileError` when none fits."""
    if content[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileError(_("Tệp CSV UTF-16 bị hỏng.")) from None
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", content.decode("cp1258")), "Windows-1258"
    except UnicodeDecodeError:
        raise FileError(_("Không đọc được mã chữ của tệp CSV: hãy lưu lại với mã UTF-8.")) from None


def csv_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one of :data:`CSV_DELIMITERS` that splits its first
    line (the header) into the most cells, quoted cells read as RFC 4180 says; a comma when
    the line has none."""
    first = next(iter(text.splitlines()), "")
    best, cells = ",", 1
    for delimiter in CSV_DELIMITERS:
        n = len(next(csv.reader([first], delimiter=delimiter), []))
        if n > cells:
            best, cells = delimiter, n
    return best


def _rows_csv(content: bytes, ext: str = "csv"):
    text, encoding = decode_csv(content)
    # Only the delimiter is guessed; quoting is always RFC 4180 (a quote inside a quoted cell
    # is doubled), whatever the first lines hold.
    yield "", encoding
    yield from csv.reader(
        io.StringIO(text, newline=""),
        delimiter=csv_delimiter(text),
        quotechar='"',
        doublequote=True,
    )


def read_table(content: bytes, filename: str, known: frozenset = frozenset()) -> Table:
    """Read the data sheet of ``content`` (the bytes of a file named ``filename``).

    The data sheet is the one named ``Dữ liệu`` or ``data`` (any case), else the first sheet
    (not the active one). ``known`` holds the ``header_key`` of every header the kind reads:
    the header row is found among the first rows by it, with a second header row under merged
    cells and a title block above (:func:`spreadsheets.layout.find_layout`); the rows from a
    total or signature line below the data on are the footer, not read. Raises
    :class:`FileError` for an unknown format, an unreadable file or a sheet without a header
    row."""
    ext = file_format(filename)
    reader = _rows_csv if ext == "csv" else _rows_workbook
    try:
        rows = reader(content, ext)
        sheet, encoding = next(rows)
        sheet_rows = [list(values) for values in rows]
        shape = find_layout(sheet_rows, known)
        header = sheet_rows[shape.header] if sheet_rows else []
        sub = sheet_rows[shape.sub_header] if shape.sub_header is not None else []
        width = max(_width(header), _width(sub))
        table = Table(
            headers=[clean_text(h) for h in header[:width]] + [""] * (width - len(header)),
            sheet=sheet,
            encoding=encoding,
            header_row=shape.header + 1,
            sub_headers=[clean_text(h) for h in sub[:width]] + [""] * (width - len(sub))
            if sub
            else [],
            skipped=shape.skipped,
        )
        for index in range(shape.first_data, len(sheet_rows)):
            number, values = index + 1, sheet_rows[index]
            if table.footer or footer_mark(values):
                if any(not is_blank(v) for v in values):
                    table.footer.append((number, row_text(values)))
                continue
            if any(not is_blank(v) for v in values[width:]):
                extra = next(i for i in range(width, len(values)) if not is_blank(values[i]))
                raise FileError(
                    _("Dòng %(row)s có dữ liệu ở cột %(col)s, cột này không có tiêu đề.")
                    % {"row": number, "col": extra + 1}
                )
            values = values[:width] + [None] * (width - len(values))
            if all(is_blank(v) for v in values):
                continue
            table.rows.append((number, values))
            if len(table.rows) > limits.max_rows():
                raise FileError(
                    _("Tệp có hơn %(max)s dòng dữ liệu: hãy chia thành nhiều tệp.")
                    % {"max": formats.number(limits.max_rows())}
                )
    except FileError:
        raise
    except Exception:
        raise FileError(
            _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng %(ext)s.")
            % {"ext": "." + file_format(filename)}
        ) from None
    if not any(table.headers):
        raise FileError(_("Không tìm thấy dòng tiêu đề cột trong 10 dòng đầu của trang dữ liệu."))
    return table
