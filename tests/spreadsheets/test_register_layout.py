"""Registers as communes keep them: a title block above a two-row merged header, the birth
year written under "Nam" or "Nữ", the household status as an "x" under each status, a row of
column numbers, a "Tổng cộng" row and signature lines below the data. Each file is built here
in the shape of ``shared/samples/danh-sach-thanh-vien-thon-na-hang.xlsx``."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from members.models import HouseholdStatus, Member, Sex
from spreadsheets import registry
from spreadsheets.files import find_layout
from spreadsheets.services import import_file, known_headers
from tests.spreadsheet_files import csv_bytes

pytestmark = pytest.mark.django_db

TITLE = [
    ["HỘI NGƯỜI CAO TUỔI XÃ NÀ HANG", None, None, None, None, None, None, "CỘNG HÒA XÃ HỘI"],
    ["CLB LIÊN THẾ HỆ TỰ GIÚP NHAU THÔN NÀ HANG"],
    [],
    ["DANH SÁCH THÀNH VIÊN CÂU LẠC BỘ LIÊN THẾ HỆ TỰ GIÚP NHAU"],
    ["(Cập nhật đến ngày 30/11/2026)"],
    [],
]
HEADER = ["STT", "Mã CLB", "Mã TV", "Họ tên", "Năm sinh", None, "Hoàn cảnh", None, None]
HEADER += ["Ngày vào CLB", "SĐT", "Ghi chú"]
SUB = [None, None, None, None, "Nam", "Nữ", "Hộ nghèo", "Hộ cận nghèo", "Khó khăn"]
SUB += [None, None, None]
MEMBERS = [
    # STT, club, code, name, year under Nam, under Nữ, x under a status, joined, phone, note
    [1, "101", "001", "Ma Thị Hoa", None, 1952, "x", None, None, "15/03/2016", "0912345601", None],
    [2, "101", "002", "Nông Văn Đường", 1949, None, None, "x", None, "15/03/2016", None, "BCN"],
    [3, "101", "003", "Lý Văn Sáu", 1950, None, None, None, None, "02/04/2016", None, None],
    [4, "101", "004", "Ma Thị Gấm", None, 1944, None, None, "x", "01/09/2018", None, '"Bà Gấm"'],
]
FOOTER = [
    ["Tổng cộng", None, None, "4 người", 2, 2],
    [],
    [None] * 9 + ["Nà Hang, ngày 30 tháng 11 năm 2026"],
    [None, "Người lập biểu", None, None, None, None, None, None, None, "CHỦ NHIỆM CLB"],
    [],
    [],
    [None, "Nông Thị Thu", None, None, None, None, None, None, None, "Nông Văn Đường"],
]


def register(members=MEMBERS, *, column_numbers=False):
    """The register as an .xlsx with its merged header cells (rows 7–8)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "DS thành viên"
    for row in [*TITLE, HEADER, SUB]:
        sheet.append(row)
    for column in "ABCDJKL":
        sheet.merge_cells(f"{column}7:{column}8")
    sheet.merge_cells("E7:F7")
    sheet.merge_cells("G7:I7")
    if column_numbers:
        sheet.append([f"({n})" for n in range(1, 13)])
    for row in [*members, *FOOTER]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def club(make):
    return make.club(code="101", founded_on=datetime.date(2016, 1, 1))


def test_the_register_imports_with_every_member_sex_status_code_and_note(club, officer_a):
    report = import_file(kind="members", content=register(), filename="ds.xlsx", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert report.counts == {"new": 4, "updated": 0, "unchanged": 0, "error": 0}
    assert [r.row for r in report.rows] == [9, 10, 11, 12]
    assert report.header_row == 7
    assert report.skipped == [1, 2, 4, 5]
    assert [row for row, _text in report.footer] == [13, 15, 16, 19]
    assert report.footer[0][1] == "Tổng cộng · 4 người · 2 · 2"
    assert report.unread == []
    got = {
        m.code: (
            m.full_name,
            m.sex,
            m.birth_year,
            m.household_status_on(m.joined_on),
            m.joined_on,
            m.note,
        )
        for m in Member.objects.filter(club=club)
    }
    assert got == {
        "001": (
            "Ma Thị Hoa",
            Sex.FEMALE,
            1952,
            HouseholdStatus.POOR,
            datetime.date(2016, 3, 15),
            "",
        ),
        "002": (
            "Nông Văn Đường",
            Sex.MALE,
            1949,
            HouseholdStatus.NEAR_POOR,
            datetime.date(2016, 3, 15),
            "BCN",
        ),
        "003": (
            "Lý Văn Sáu",
            Sex.MALE,
            1950,
            HouseholdStatus.NONE,
            datetime.date(2016, 4, 2),
            "",
        ),
        "004": (
            "Ma Thị Gấm",
            Sex.FEMALE,
            1944,
            HouseholdStatus.DISADVANTAGED,
            datetime.date(2018, 9, 1),
            '"Bà Gấm"',
        ),
    }
    assert Member.objects.get(code="001").phone == "0912345601"


def test_reimporting_the_register_changes_nothing(club, officer_a):
    assert import_file(kind="members", content=register(), filename="a.xlsx", user=officer_a)
    again = import_file(
        kind="members", content=register(), filename="a.xlsx", user=officer_a, dry_run=True
    )
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 4, "error": 0}


def test_a_row_of_column_numbers_under_the_header_is_not_read(club, officer_a):
    report = import_file(
        kind="members",
        content=register(column_numbers=True),
        filename="ds.xlsx",
        user=officer_a,
        dry_run=True,
    )
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts["new"] == 4
    assert report.skipped == [1, 2, 4, 5, 9]


def test_a_year_under_both_nam_and_nu_is_an_error_naming_the_cells(club, officer_a):
    rows = [list(MEMBERS[0])]
    rows[0][4] = 1952  # a year under "Nam" too
    report = import_file(kind="members", content=register(rows), filename="ds.xlsx", user=officer_a)
    assert not report.imported
    assert [(e.row, e.column, e.value) for e in report.errors] == [(9, "Năm sinh", "1952 · 1952")]
    assert "«Nam», «Nữ»" in report.errors[0].reason
    assert Member.objects.count() == 0


def test_two_statuses_marked_and_a_mark_that_is_not_an_x_are_errors(club, officer_a):
    two, other = list(MEMBERS[0]), list(MEMBERS[1])
    two[7] = "x"  # "Hộ nghèo" and "Hộ cận nghèo"
    other[7] = "2"
    report = import_file(
        kind="members", content=register([two, other]), filename="ds.xlsx", user=officer_a
    )
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(9, "Hoàn cảnh"), (10, "Hoàn cảnh")]
    assert "«Hộ nghèo», «Hộ cận nghèo»" in report.errors[0].reason
    assert "«2»" in report.errors[1].reason


def test_no_year_under_either_sub_column_says_the_birth_is_missing(club, officer_a):
    row = list(MEMBERS[0])
    row[5] = None
    report = import_file(
        kind="members", content=register([row]), filename="ds.xlsx", user=officer_a
    )
    assert not report.imported
    columns = {e.column for e in report.errors}
    assert "Năm sinh" in columns


def test_a_csv_register_with_a_title_block_and_a_total_row(club, officer_a):
    rows = [
        ["DANH SÁCH THÀNH VIÊN CLB THÔN NÀ HANG"],
        [],
        ["STT", "Mã CLB", "Mã TV", "Họ tên", "Giới tính", "Năm sinh", "Hoàn cảnh", "Ngày vào"],
        [1, "101", "7", "Hà Thị Xuân", "Nữ", 1955, "Hộ nghèo", "10/05/2017"],
        [2, "101", "8", "Quan Văn Tài", "Nam", 1958, "Không", "01/09/2018"],
        ["Cộng", "", "", "2 người"],
        ["", "Người lập biểu"],
    ]
    report = import_file(kind="members", content=csv_bytes(rows), filename="ds.csv", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert report.header_row == 3
    assert [row for row, _t in report.footer] == [6, 7]
    assert sorted(Member.objects.values_list("code", "sex")) == [
        ("7", Sex.FEMALE),
        ("8", Sex.MALE),
    ]


def test_a_member_named_like_a_signature_line_is_data_when_it_is_not_the_first_cell(
    club, officer_a
):
    rows = [
        ["Mã CLB", "Mã TV", "Họ tên", "Giới tính", "Năm sinh", "Hoàn cảnh", "Ngày vào", "Ghi chú"],
        ["101", "1", "Hà Thị Xuân", "Nữ", 1955, "Không", "10/05/2017", "Chủ nhiệm CLB"],
        ["101", "2", "Quan Văn Tài", "Nam", 1958, "Không", "01/09/2018", "Tổng cộng 2"],
    ]
    report = import_file(kind="members", content=csv_bytes(rows), filename="ds.csv", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert report.footer == []
    assert Member.objects.get(code="1").note == "Chủ nhiệm CLB"


def test_the_header_is_looked_for_in_the_first_ten_rows_only(club, officer_a):
    rows = [["Biểu mẫu"]] * 10 + [["Mã CLB", "Mã TV", "Họ tên", "Giới tính", "Năm sinh"]]
    report = import_file(kind="members", content=csv_bytes(rows), filename="ds.csv", user=officer_a)
    assert not report.imported
    assert report.header_row == 1
    assert [str(e) for e in report.errors] == [
        "Tệp: Dòng 11 có dữ liệu ở cột 2, cột này không có tiêu đề."
    ]


def test_find_layout_takes_the_row_with_most_known_headers():
    known = frozenset({"mã clb", "họ tên", "stt"})
    rows = [["Mã CLB: 101"], ["STT", "Mã CLB", "Họ tên"], ["1", "101", "A"]]
    layout = find_layout(rows, known)
    assert (layout.header, layout.sub_header, layout.first_data) == (1, None, 2)
    assert layout.skipped == [1]


def test_a_data_row_under_a_merged_header_is_not_taken_for_its_second_row():
    known = known_headers(registry.get("members").resource.columns)
    # the first data row has text only under the merged "Năm sinh" cells... and its STT
    rows = [HEADER, [1, "101", "001", "A", None, 1952, "x", None, None, "15/03/2016"]]
    layout = find_layout(rows, known)
    assert layout.sub_header is None
    assert layout.first_data == 1


def test_the_command_line_imports_the_register_and_says_how_it_read_it(club, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(register())
    out = io.StringIO()
    call_command("import_data", "members", str(path), stdout=out)
    text = out.getvalue()
    assert "Đã nhập: mới 4, cập nhật 0, không đổi 0, lỗi 0." in text
    assert "Dòng tiêu đề cột: dòng 7." in text
    assert "Không đọc (cuối biểu): dòng 13: Tổng cộng · 4 người · 2 · 2" in text
    assert sorted(Member.objects.values_list("code", "sex")) == [
        ("001", Sex.FEMALE),
        ("002", Sex.MALE),
        ("003", Sex.MALE),
        ("004", Sex.FEMALE),
    ]
