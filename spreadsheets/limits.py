"""Limits on what an uploaded workbook may make the server do, checked before and while it is
read: a crafted 5 KB file must give a clear Vietnamese error, never a dead worker.

- :func:`check_workbook` looks inside an ``.xlsx`` or ``.ods`` (zip archives) before any
  parser sees them: the archive's uncompressed total and compression ratio, then the sheets'
  real extent, streamed from their cell references (an ``.xlsx``'s ``<dimension>`` element is
  not trusted) or, for an ``.ods``, from its repeated rows and cells
  (``table:number-rows-repeated``, ``table:number-columns-repeated``) that hold content.
- :func:`bounded` runs the parser in a child process with a memory and a time limit (an
  ``.xls`` is not a zip: only this bounds it), so that whatever a file does, the worker lives.

Every bound is a setting (README, "Limits"): ``IMPORT_MAX_ROWS``, ``IMPORT_MAX_COLUMNS``,
``IMPORT_MAX_UNCOMPRESSED_MB``, ``IMPORT_MAX_RATIO``, ``IMPORT_PARSE_MEMORY_MB``,
``IMPORT_PARSE_SECONDS``.
"""

import gc
import io
import multiprocessing
import os
import re
import resource
import zipfile
from operator import itemgetter
from xml.etree.ElementTree import XMLPullParser

from django.conf import settings
from django.utils.translation import gettext as _

from common import formats

from .cells import FileError

#: Rows a sheet may have above its data (title block, header rows) besides the row cap.
HEADER_ROOM = 20
_CHUNK = 1 << 16
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml")
_ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def max_rows() -> int:
    """The most data rows a file may hold (setting ``IMPORT_MAX_ROWS``)."""
    return settings.IMPORT_MAX_ROWS


def _too_big(rows: int, columns: int) -> FileError:
    return FileError(
        _(
            "Tệp có dữ liệu tới dòng %(rows)s, cột %(columns)s: vượt giới hạn %(max_rows)s dòng "
            "và %(max_columns)s cột. Hãy xoá các ô thừa ở cuối trang tính hoặc chia tệp."
        )
        % {
            "rows": formats.number(rows),
            "columns": columns,
            "max_rows": formats.number(max_rows()),
            "max_columns": settings.IMPORT_MAX_COLUMNS,
        }
    )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_extent(rows: int, columns: int) -> None:
    """Raise :class:`FileError` when a sheet reaching row ``rows`` and column ``columns``
    (1-based) is beyond the row cap (plus :data:`HEADER_ROOM`) or the column cap."""
    if rows > max_rows() + HEADER_ROOM or columns > settings.IMPORT_MAX_COLUMNS:
        raise _too_big(rows, columns)


def _stream(archive: zipfile.ZipFile, name: str, parser: XMLPullParser):
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


#: A cell's start tag, with its reference when it has one in the usual form (``r="AB12"``):
#: both groups empty for a cell without one.
_CELL_TAG = re.compile(rb'<(?:\w+:)?c(?=[\s/>])(?:[^>]*?\br="([A-Z]{1,3})([0-9]+)")?')
#: The longest start tag kept waiting for the next chunk; a longer one (never a cell's) sends
#: the sheet to the element-by-element reading.
_LONGEST_TAG = _CHUNK


def _xlsx_extent(archive: zipfile.ZipFile, name: str) -> None:
    """Check one worksheet's real extent from its cells' ``r`` references, scanned as the
    file is decompressed: each chunk up to its last complete tag, the tag begun at its end
    kept for the next. A sheet with a cell without a reference in the usual form (positioned
    by its order, which the format allows), or a start tag longer than
    :data:`_LONGEST_TAG`, is read element by element instead."""
    rows = columns = 0
    with archive.open(name) as member:
        pending = b""
        while chunk := member.read(_CHUNK):
            data = pending + chunk
            end = data.rfind(b">") + 1
            start = data.find(b"<", end)
            pending = data[start:] if start >= 0 else b""
            if len(pending) > _LONGEST_TAG:
                return _xlsx_extent_by_elements(archive, name)
            found = _CELL_TAG.findall(data, 0, end)
            if not found:
                continue
            letters = set(map(itemgetter(0), found))
            if b"" in letters:
                return _xlsx_extent_by_elements(archive, name)
            rows = max(rows, *map(int, set(map(itemgetter(1), found))))
            columns = max(columns, *(_column_number(c.decode()) for c in letters))
            check_extent(rows, columns)
        if pending:
            return _xlsx_extent_by_elements(archive, name)


def _xlsx_extent_by_elements(archive: zipfile.ZipFile, name: str) -> None:
    """:func:`_xlsx_extent` for a sheet whose cells may lack references: each cell's
    position is its reference, or the one after the cell before it in its row."""
    parser = XMLPullParser(events=("start", "end"))
    row = column = 0
    for event, element in _stream(archive, name, parser):
        tag = element.tag
        if event == "start" and tag == f"{_XLSX}row":
            number = element.get("r")
            row = int(number) if number and number.isdigit() else row + 1
            column = 0
        elif event == "start" and tag == f"{_XLSX}c":
            match = _CELL_REF.fullmatch(element.get("r") or "")
            column = _column_number(match.group(1)) if match else column + 1
            if match:
                row = max(row, int(match.group(2)))
            check_extent(row, column)
        elif event == "end" and tag == f"{_XLSX}row":
            element.clear()


def _ods_extent(archive: zipfile.ZipFile) -> None:
    """Check an ``.ods``'s sheets: a repeated row or cell counts only when it holds content
    (a value or text), as LibreOffice repeats empty ones to the sheet's edge."""
    parser = XMLPullParser(events=("start", "end"))
    row = 0
    width = 0
    for event, element in _stream(archive, "content.xml", parser):
        tag = element.tag
        if event == "start" and tag == f"{_ODS}table":
            row = 0
        elif event == "end" and tag == f"{_ODS}table-row":
            repeat = int(element.get(f"{_ODS}number-rows-repeated") or 1)
            column = filled = 0
            for cell in element:
                if cell.tag not in (f"{_ODS}table-cell", f"{_ODS}covered-table-cell"):
                    continue
                column += int(cell.get(f"{_ODS}number-columns-repeated") or 1)
                if cell.get(f"{_OFFICE}value-type") or len(cell):
                    filled = column
            row += repeat
            if filled:
                width = max(width, filled)
                check_extent(row, width)
            element.clear()


def check_workbook(content: bytes, ext: str) -> None:
    """Check an ``.xlsx`` or ``.ods`` before it is parsed: its uncompressed total (setting
    ``IMPORT_MAX_UNCOMPRESSED_MB``), its compression ratio (``IMPORT_MAX_RATIO``) and its
    sheets' real extent (:func:`check_extent`). Raises :class:`FileError`; an ``.xls`` (not
    a zip) passes, bounded only by :func:`bounded`."""
    if ext not in ("xlsx", "ods"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileError(
            _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng %(ext)s.")
            % {"ext": "." + ext}
        ) from None
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    limit = settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024
    if total > limit or total / packed > settings.IMPORT_MAX_RATIO:
        raise FileError(
            _(
                "Tệp nén bất thường (giải nén ra %(mb)s MB, gấp %(ratio)s lần): không đọc. Hãy "
                "mở tệp bằng Excel hoặc LibreOffice và lưu lại."
            )
            % {"mb": total // (1024 * 1024), "ratio": int(total / packed)}
        )
    try:
        if ext == "ods":
            _ods_extent(archive)
        else:
            for member in members:
                if _SHEET_MEMBER.fullmatch(member.filename):
                    _xlsx_extent(archive, member.filename)
    except FileError:
        raise
    except Exception:  # malformed XML, a broken member: the parser would fail the same way
        raise FileError(
            _("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng %(ext)s.")
            % {"ext": "." + ext}
        ) from None


def _virtual_size() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(function, args, connection, memory: int):
    # The objects this process was forked with are left out of its garbage collections:
    # collecting them would write to every page of the parent's heap (copying it) for nothing.
    gc.freeze()
    try:
        if memory:
            ceiling = _virtual_size() + memory
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        connection.send(("ok", function(*args)))
    except FileError as error:
        connection.send(("file", str(error)))
    except MemoryError:
        connection.send(("memory", ""))
    except BaseException as error:  # noqa: BLE001 (reported to the parent as an unreadable file)
        connection.send(("error", type(error).__name__))
    finally:
        connection.close()


def bounded(function, *args):
    """``function(*args)`` run in a forked child process with at most
    ``IMPORT_PARSE_MEMORY_MB`` more memory than the parent and ``IMPORT_PARSE_SECONDS`` of
    time; returns its (picklable) result. Raises :class:`FileError` (Vietnamese) when it runs
    out of either, dies, or raises; a ``FileError`` it raises is raised again as is. Set
    ``IMPORT_PARSE_IN_PROCESS`` to run it in this process instead (no limits)."""
    if settings.IMPORT_PARSE_IN_PROCESS:
        return function(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    memory = settings.IMPORT_PARSE_MEMORY_MB * 1024 * 1024
    process = context.Process(target=_child, args=(function, args, send, memory), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(settings.IMPORT_PARSE_SECONDS):
            raise FileError(
                _(
                    "Đọc tệp quá %(seconds)s giây nên đã dừng: tệp quá lớn hoặc bất thường. Hãy "
                    "chia tệp hoặc lưu lại bằng Excel/LibreOffice."
                )
                % {"seconds": settings.IMPORT_PARSE_SECONDS}
            )
        status, value = receive.recv()
    except EOFError:  # the child died (killed for its memory, or the parser aborted)
        status, value = "memory", ""
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return value
    if status == "file":
        raise FileError(value)
    if status == "memory":
        raise FileError(
            _(
                "Đọc tệp cần quá %(mb)s MB bộ nhớ nên đã dừng: tệp quá lớn hoặc bất thường. Hãy "
                "xoá các ô thừa ở cuối trang tính hoặc chia tệp."
            )
            % {"mb": settings.IMPORT_PARSE_MEMORY_MB}
        )
    raise FileError(_("Không đọc được tệp: tệp hỏng hoặc không đúng định dạng."))
