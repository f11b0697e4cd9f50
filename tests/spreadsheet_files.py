"""Small files for import tests, built in memory."""

import csv
import io

from openpyxl import Workbook


def xlsx(rows, sheet_title="Sheet1", extra_sheets=(), active=0):
    """An .xlsx whose first sheet holds ``rows`` (lists of cell values); ``extra_sheets`` is a
    list of (title, rows) added after it; ``active`` is the index of the active sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    for title, more in extra_sheets:
        other = book.create_sheet(title)
        for row in more:
            other.append(row)
    book.active = active
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, bom=False):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
