"""Crafted workbooks end in a clear Vietnamese error, never a dead worker: a cell at the last
cell of the sheet, a zip bomb, an .ods whose repeated rows and cells hold content, a parser
that aborts or runs too long. Each file is built here."""

import io
import os
import signal
import time
import zipfile

import pytest

from spreadsheets import limits
from spreadsheets.cells import FileError
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


def rewrite(content: bytes, name: str, change) -> bytes:
    """``content`` (a zip) with member ``name`` replaced by ``change(old text)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def members_xlsx():
    return xlsx([HEAD, ["101", "1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018"]])


def run(content, filename):
    return import_file(kind="members", content=content, filename=filename, dry_run=True)


def test_a_cell_at_the_last_cell_of_the_sheet_is_refused_before_parsing(officer_a):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = rewrite(
        members_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("</sheetData>", far + "</sheetData>"),
    )
    assert len(content) < 10_000
    started = time.monotonic()
    report = run(content, "tv.xlsx")
    assert time.monotonic() - started < 10  # refused from the cell references, not parsed
    assert [str(e) for e in report.errors] == [
        "Tệp: Tệp có dữ liệu tới dòng 1.048.576, cột 16384: vượt giới hạn 100.000 dòng và 100 "
        "cột. Hãy xoá các ô thừa ở cuối trang tính hoặc chia tệp."
    ]


def test_a_dimension_element_that_lies_is_not_trusted(officer_a):
    content = rewrite(
        members_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace('<c r="A2"', '<c r="CV400000"', 1),
    )
    report = run(content, "tv.xlsx")
    assert "tới dòng 400.000, cột 100" in report.errors[0].reason


def test_a_zip_bomb_is_refused_by_its_compression_ratio(officer_a):
    padding = " " * 20_000_000  # 20 MB of spaces compress to about 20 KB
    content = rewrite(
        members_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<sheetData>", "<sheetData>" + padding),
    )
    assert len(content) < 200_000
    report = run(content, "tv.xlsx")
    assert report.errors[0].reason.startswith("Tệp nén bất thường (giải nén ra 19 MB, gấp ")


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods(rows_xml: str) -> bytes:
    """A minimal .ods (as LibreOffice writes one: mimetype, manifest, content)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Dữ liệu">'
        + rows_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def text_cell(value, repeat=1):
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def test_an_ods_whose_repeated_cells_hold_content_is_refused(officer_a):
    header = "<table:table-row>" + "".join(text_cell(h) for h in HEAD) + "</table:table-row>"
    bomb = '<table:table-row table:number-rows-repeated="1000000">' + text_cell("x", 16384)
    bomb += "</table:table-row>"
    report = run(ods(header + bomb), "tv.ods")
    assert "vượt giới hạn 100.000 dòng và 100 cột" in report.errors[0].reason


def test_an_ods_repeating_empty_rows_to_the_edge_is_read(officer_a, make):
    make.club(code="101")
    header = "<table:table-row>" + "".join(text_cell(h) for h in HEAD) + "</table:table-row>"
    row = ["101", "1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018"]
    data = "<table:table-row>" + "".join(text_cell(v) for v in row)
    data += '<table:table-cell table:number-columns-repeated="1017"/></table:table-row>'
    edge = '<table:table-row table:number-rows-repeated="1048574">'
    edge += '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    report = import_file(
        kind="members",
        content=ods(header + data + edge),
        filename="tv.ods",
        user=officer_a,
        dry_run=True,
    )
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["new"] == 1


def _abort():
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel ends a process out of memory


def _sleep():
    time.sleep(30)


def _allocate():
    return bytearray(4 * 1024 * 1024 * 1024)


def test_a_parser_that_aborts_leaves_this_process_alive_with_a_clear_error():
    with pytest.raises(FileError, match="bộ nhớ"):
        limits.bounded(_abort)


def test_a_parser_that_needs_too_much_memory_is_stopped(settings):
    settings.IMPORT_PARSE_MEMORY_MB = 256
    with pytest.raises(FileError, match="Đọc tệp cần quá 256 MB bộ nhớ"):
        limits.bounded(_allocate)


def test_a_parser_that_runs_too_long_is_stopped(settings):
    settings.IMPORT_PARSE_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(FileError, match="Đọc tệp quá 1 giây nên đã dừng"):
        limits.bounded(_sleep)
    assert time.monotonic() - started < 10


def test_a_csv_beyond_the_row_cap_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 50
    lines = [",".join(HEAD)] + [f"101,{i},Người {i},Nữ,1950,Không,01/03/2018" for i in range(51)]
    report = run("\n".join(lines).encode("utf-8"), "tv.csv")
    assert [e.reason for e in report.errors] == [
        "Tệp có hơn 50 dòng dữ liệu: hãy chia thành nhiều tệp."
    ]


def test_cells_without_references_are_placed_by_their_order_and_bounded(officer_a):
    wide = "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 150 + "</row>"
    content = rewrite(
        members_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("</sheetData>", wide + "</sheetData>"),
    )
    report = run(content, "tv.xlsx")
    assert "tới dòng 3, cột 101" in report.errors[0].reason


SHEET = "xl/worksheets/sheet1.xml"


def far_first_cell(tag: str) -> bytes:
    """The members file with its first data cell's start tag ``<c r="A2"`` made ``tag``."""
    return rewrite(members_xlsx(), SHEET, lambda xml: xml.replace('<c r="A2"', tag, 1))


def test_cell_references_cut_between_chunks_are_read_whole(monkeypatch):
    monkeypatch.setattr(limits, "_CHUNK", 7)  # every tag is cut somewhere
    limits.check_workbook(members_xlsx(), "xlsx")  # a sheet of 2 rows and 7 columns passes
    with pytest.raises(FileError, match="tới dòng 400.000, cột 100"):
        limits.check_workbook(far_first_cell('<c r="CV400000"'), "xlsx")


def test_a_reference_written_otherwise_is_read_by_the_elements():
    # Single quotes are as good XML as double ones: the scan hands the sheet to the parser.
    with pytest.raises(FileError, match="tới dòng 400.000, cột 100"):
        limits.check_workbook(far_first_cell("<c r='CV400000'"), "xlsx")


def test_a_start_tag_longer_than_a_chunk_is_read_by_the_elements(monkeypatch):
    monkeypatch.setattr(limits, "_CHUNK", 64)
    monkeypatch.setattr(limits, "_LONGEST_TAG", 150)
    by_elements = []
    read = limits._xlsx_extent_by_elements
    monkeypatch.setattr(
        limits, "_xlsx_extent_by_elements", lambda *a: by_elements.append(a) or read(*a)
    )
    limits.check_workbook(members_xlsx(), "xlsx")
    assert not by_elements  # no tag of this sheet is longer than 150 bytes
    content = far_first_cell('<c s="0" xml:lang="' + "x" * 300 + '" r="CV400000"')
    with pytest.raises(FileError, match="tới dòng 400.000, cột 100"):
        limits.check_workbook(content, "xlsx")
    assert len(by_elements) == 1
