"""Writing tables as ``.xlsx`` and ``.csv``: every export of the product (the lists in their
import templates, the dashboards' tables, the compliance table) goes through these writers.

In ``.xlsx`` dates are date cells (shown dd/mm/yyyy) and money and counts are numbers (shown
``1.500.000`` in a Vietnamese Excel); in ``.csv`` (UTF-8 with BOM, so that Excel reads the
accents) dates are written dd/mm/yyyy and money as plain digits. Text starting like a formula
(``spreadsheets.cells.FORMULA_START``) is prefixed with ``'`` so that no spreadsheet runs it; the
importer removes that prefix again, so an export re-imports unchanged.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common import formats

from .cells import FORMULA_START, choice_labels
from .headers import EXAMPLE_MARKS, NUMBERING_HEADERS

DATA_SHEET = "Dữ liệu"
INSTRUCTIONS_SHEET = "Hướng dẫn"
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def neutralise(value):
    """``value`` made safe for a spreadsheet: text that a spreadsheet would read as a formula
    gets a leading ``'``; other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return formats.day(value)
    return str(neutralise(value))


def write_csv(headers, rows) -> bytes:
    """UTF-8 CSV with a BOM, comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _write_data_sheet(sheet, headers, rows, columns=None):
    kinds = {c.header: c for c in columns or ()}
    sheet.append(list(headers))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, header in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        column = kinds.get(header)
        width = max(12, min(40, len(header) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if column and column.kind in ("text",):
            # Codes and phones typed into a blank template stay text (leading zeros kept).
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, datetime.datetime):
                value = value.date()
            values.append(neutralise(value))
        sheet.append(values)
    for index, header in enumerate(headers, 1):
        column = kinds.get(header)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, int) and column and column.kind == "money":
                cell.number_format = NUMBER_FORMAT
            elif isinstance(cell.value, str):
                cell.number_format = "@"
    sheet.freeze_panes = "A2"


def write_xlsx(headers, rows, columns=None, title="") -> bytes:
    """A workbook whose first sheet, ``Dữ liệu``, holds ``headers`` and ``rows`` (values:
    text, numbers, dates); ``columns`` (the template's :class:`~spreadsheets.resources.Column`
    objects) give the number formats of a kind's columns, ``title`` the workbook's title."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    _write_data_sheet(sheet, headers, rows, columns)
    if title:
        book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Rows of a blank template, below its header, whose cells are formatted and validated.
TEMPLATE_ROWS = 1000


def _template_sheet(sheet, columns):
    """The data sheet of a blank template: an ``STT`` column, then ``columns``; row 2 is the
    example row, marked ``Ví dụ`` in its STT cell (the import skips it by that mark). Down to
    row ``TEMPLATE_ROWS + 1`` the text, code and date columns are formatted as text (what an
    officer types stays as typed: leading zeros, day-first dates) and the columns with
    ``choices`` carry a drop-down list of their labels."""
    headers = [NUMBERING_HEADERS[0], *(c.header for c in columns)]
    sheet.append(headers)
    sheet.append([EXAMPLE_MARKS[0], *(c.example for c in columns)])
    bold, grey = Font(bold=True), Font(italic=True, color="808080")
    fill = PatternFill("solid", fgColor="DDEBF7")
    last = TEMPLATE_ROWS + 1
    for index, header in enumerate(headers, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 4))
        sheet.cell(row=1, column=index).font = bold
        sheet.cell(row=1, column=index).fill = fill
        sheet.cell(row=2, column=index).font = grey
    for index, column in enumerate(columns, 2):
        letter = get_column_letter(index)
        if column.kind in ("text", "date"):
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        elif column.kind == "money":
            sheet.cell(row=2, column=index).number_format = NUMBER_FORMAT
        if column.choices:
            labels = choice_labels(column.choices)
            if any("," in label or '"' in label for label in labels):
                raise ValueError(f"{column.header}: a list item holds a comma or a quote")
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(labels) + '"',
                allow_blank=True,
                errorStyle="warning",
                showErrorMessage=True,
                errorTitle=column.header,
                error=_("Giá trị này không có trong danh sách: %(labels)s.")
                % {"labels": ", ".join(labels)},
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def blank_template(columns, title) -> bytes:
    """A blank template: the ``Dữ liệu`` sheet (:func:`_template_sheet`), and an instructions
    sheet in Vietnamese listing every column, whether it is required, and how to write
    values."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    _template_sheet(data, columns)
    help_sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    lines = [
        [title],
        [_("Nhập dữ liệu vào trang «Dữ liệu», mỗi dòng một bản ghi; dòng 1 là tiêu đề cột.")],
        [
            _(
                "Dòng 2, ghi «%(mark)s» ở cột %(numbering)s, là dòng ví dụ và không được nhập: "
                "hãy nhập từ dòng 3 (có thể xoá dòng ví dụ)."
            )
            % {"mark": EXAMPLE_MARKS[0], "numbering": NUMBERING_HEADERS[0]}
        ],
        [_("Các cột có danh sách chọn: bấm vào ô rồi chọn ở mũi tên bên phải.")],
        [_("Ngày viết ngày/tháng/năm (03/04/1950 là ngày 3 tháng 4), hoặc dùng ô kiểu ngày.")],
        [_("Số tiền là số đồng nguyên: 1.500.000, 1500000 hoặc 1.500.000 đ.")],
        [_("Có/Không: ghi Có, x hoặc 1 cho có; Không, 0 hoặc để trống cho không.")],
        [_("Dòng trống được bỏ qua. Tệp có một dòng sai thì không dòng nào được lưu.")],
        [],
        [_("Cột"), _("Tên tiếng Anh"), _("Bắt buộc"), _("Ghi chú")],
    ]
    for column in columns:
        lines.append(
            [column.header, column.alias, _("Có") if column.required else "", column.instructions]
        )
    heading = next(n for n, line in enumerate(lines, 1) if not line) + 1
    for line in lines:
        help_sheet.append(line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    for cell in help_sheet[heading]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (34, 22, 10, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=heading + 1):
        row[3].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(content: bytes, filename: str, fmt: str):
    """An ``HttpResponse`` handing ``content`` (``fmt``: ``"csv"`` or ``"xlsx"``) to the browser
    as ``filename``."""
    answer = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


def table_response(headers, rows, *, fmt: str, basename: str, columns=None, title=""):
    """``headers`` and ``rows`` written as ``fmt`` (``"csv"`` or ``"xlsx"``; ``ValueError``
    otherwise) and handed to the browser as ``<basename>.<fmt>``."""
    if fmt == "csv":
        return response(write_csv(headers, rows), f"{basename}.csv", fmt)
    if fmt == "xlsx":
        return response(write_xlsx(headers, rows, columns, title), f"{basename}.xlsx", fmt)
    raise ValueError(fmt)
