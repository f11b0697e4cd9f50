"""Date columns read month-first by a spreadsheet program set to an English locale: found
(:func:`month_first_columns`, the preview warns) and read day-first again on request
(:func:`read_day_first`). Used by ``spreadsheets.services``."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import cells as sheets


@dataclass
class MonthFirst:
    """A date column whose date cells look month-first: ``header`` as written, ``cells`` (how
    many date cells), ``reason`` in Vietnamese."""

    header: str
    cells: int
    reason: str


#: From this many date cells on, a date column none of whose cells has a day above 12 looks
#: month-first (day-first dates have a day above 12 about 6 times in 10).
MONTH_FIRST_MIN_CELLS = 10


def _date_cells(table, index) -> list[datetime.date]:
    return [v for _n, values in table.rows if isinstance(v := values[index], datetime.date)]


def month_first_columns(table, sources) -> list[MonthFirst]:
    """The date columns of ``table`` whose *date cells* (not text) look read month-first, as
    a program set to an English locale reads ``05/03/1950`` typed day-first: the column mixes
    date cells with text dates that can only be day-first (a day above 12, which such a
    program leaves as text), or :data:`MONTH_FIRST_MIN_CELLS` or more date cells never have a
    day above 12. The preview warns and offers to read those cells day-first."""
    found = []
    for source in sources:
        if source.column.kind != "date" or source.how != "cell":
            continue
        index = source.indexes[0]
        cells = _date_cells(table, index)
        if not cells or any(c.day > 12 for c in cells):
            continue
        texts = [
            sheets.clean_text(v) for _n, values in table.rows if isinstance(v := values[index], str)
        ]
        day_first_texts = [
            t for t in texts if (m := sheets.DAY_FIRST_DATE.fullmatch(t)) and int(m.group(1)) > 12
        ]
        if day_first_texts:
            reason = _(
                "cột có %(cells)s ô kiểu ngày và %(texts)s ngày viết dạng chữ chỉ đọc được theo "
                "ngày/tháng (như «%(example)s»): các ô kiểu ngày có lẽ đã bị chương trình bảng "
                "tính đọc theo tháng/ngày."
            ) % {"cells": len(cells), "texts": len(day_first_texts), "example": day_first_texts[0]}
        elif len(cells) >= MONTH_FIRST_MIN_CELLS:
            reason = _(
                "không ô nào trong %(cells)s ô kiểu ngày có ngày lớn hơn 12: có lẽ chương trình "
                "bảng tính đã đọc chúng theo tháng/ngày."
            ) % {"cells": len(cells)}
        else:
            continue
        found.append(MonthFirst(source.written, len(cells), reason))
    return found


def read_day_first(table, sources, headers: set) -> list[str]:
    """Swap day and month of the date cells of the date columns named in ``headers`` (each
    date cell's day is 12 or less, so it can be a month); returns the headers swapped."""
    done = []
    for source in sources:
        if source.written not in headers or source.column.kind != "date":
            continue
        index = source.indexes[0]
        for _n, values in table.rows:
            value = values[index]
            if isinstance(value, datetime.date) and value.day <= 12:
                day = value.date() if isinstance(value, datetime.datetime) else value
                values[index] = datetime.date(day.year, day.day, day.month)
        done.append(source.written)
    return done
