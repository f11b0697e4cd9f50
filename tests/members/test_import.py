"""Member imports: every spreadsheet fault seen in real files, each with a small file made here."""

import datetime
import io
import unicodedata

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from members.models import HouseholdAssessment, Member
from spreadsheets.services import export_rows, import_file
from spreadsheets.writers import write_csv, write_xlsx
from tests.spreadsheet_files import csv_bytes, xlsx

HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Hoàn cảnh",
    "Ngày tham gia",
]


@pytest.fixture
def club(db, make):
    return make.club(code="101")


def run(content, filename="members.xlsx", user=None, dry_run=False):
    return import_file(
        kind="members", content=content, filename=filename, user=user, dry_run=dry_run
    )


def test_excel_serial_dates_and_real_date_cells(club, officer_a):
    rows = [
        HEAD,
        ["101", "A1", "Lò Thị Mai", "Nữ", 18264, "Hộ nghèo", 43160],
        [
            "101",
            "A2",
            "Lò Văn Nam",
            "Nam",
            datetime.datetime(1952, 7, 9),
            "Không",
            datetime.datetime(2018, 3, 1),
        ],
    ]
    report = run(xlsx(rows), user=officer_a)
    assert report.imported, report.errors
    mai = Member.objects.get(code="A1")
    # 18264 days after 30/12/1899 is 01/01/1950; 43160 is 01/03/2018.
    assert (mai.birth_year, mai.birth_month, mai.birth_day) == (1950, 1, 1)
    assert mai.joined_on == datetime.date(2018, 3, 1)
    assert Member.objects.get(code="A2").birth_date == datetime.date(1952, 7, 9)


def test_day_first_text_dates(club, officer_a):
    rows = [HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", "03/04/1950", "Không", "05/03/2018"]]
    assert run(xlsx(rows), user=officer_a).imported
    mai = Member.objects.get(code="A1")
    assert mai.birth_date == datetime.date(1950, 4, 3)
    assert mai.joined_on == datetime.date(2018, 3, 5)


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_or_without_bom(club, officer_a, bom):
    rows = [HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", "1948", "Hộ cận nghèo", "01/03/2018"]]
    report = run(csv_bytes(rows, bom=bom), "members.csv", user=officer_a)
    assert report.imported, report.errors
    mai = Member.objects.get(code="A1")
    assert mai.birth_year == 1948 and mai.birth_month is None
    assert mai.household_status_on(datetime.date(2018, 3, 1)) == "near_poor"


def test_blank_rows_in_the_middle_and_thousands_of_formatted_empty_rows(club, officer_a):
    book = Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append(["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"])
    sheet.append([])  # row 3 blank
    sheet.append([None, "  ", None])  # row 4 blank (spaces only)
    sheet.append(["101", "A2", "Lò Văn Nam", "Nam", 1951, "Không", "99/03/2018"])  # row 5
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(6, 5006):
        for col in range(1, 8):
            sheet.cell(row=row, column=col).fill = fill
    out = io.BytesIO()
    book.save(out)
    report = run(out.getvalue(), user=officer_a)
    assert [r.row for r in report.rows] == [2, 5]
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (5, "Ngày tham gia", "99/03/2018")
    ]
    assert not Member.objects.exists()


def test_codes_and_phones_stored_as_numbers(club, officer_a):
    head = HEAD + ["Số điện thoại", "Số định danh"]
    rows = [
        head,
        [101.0, 7.0, "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018", 912345678, 1012345678],
    ]
    assert run(xlsx(rows), user=officer_a).imported
    mai = Member.objects.get()
    assert (mai.club_id, mai.code, mai.phone) == (club.pk, "7", "0912345678")
    assert mai.national_id == "001012345678"


def test_nfd_names_and_headers_are_stored_nfc(club, officer_a):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    head = [unicodedata.normalize("NFD", h.upper()) + "  " for h in HEAD]
    report = run(xlsx([head, ["101", "", nfd, "NỮ", 1950, "Không", "01/03/2018"]]), user=officer_a)
    assert report.imported, report.errors
    assert Member.objects.get().full_name == "Nguyễn Thị Hoà"
    # The same person typed in NFC is the same key (club, name, birth year): unchanged.
    again = run(
        xlsx([HEAD, ["101", "", "Nguyễn Thị Hoà", "Nữ", 1950, "Không", "01/03/2018"]]),
        user=officer_a,
    )
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 1, "error": 0}


def test_yes_no_columns(club, officer_a):
    head = HEAD + ["Ban Chủ nhiệm"]
    base = ["101", None, "Người", "Nữ", 1950, "Không", "01/03/2018"]
    values = ["Có", "x", "1", "không", None]
    rows = [head] + [
        base[:1] + [f"M{i}"] + [f"Người {i}"] + base[3:] + [v] for i, v in enumerate(values)
    ]
    assert run(xlsx(rows), user=officer_a).imported
    flags = dict(Member.objects.values_list("code", "is_board_member"))
    assert flags == {"M0": True, "M1": True, "M2": True, "M3": False, "M4": False}
    rows.append(base[:1] + ["M9", "Người 9"] + base[3:] + ["có thể"])
    report = run(xlsx(rows), user=officer_a)
    assert [(e.row, e.column, e.value) for e in report.errors] == [(7, "Ban Chủ nhiệm", "có thể")]


def test_data_on_a_sheet_that_is_not_active(club, officer_a):
    data = [HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"]]
    # Instructions first and active; data on the sheet named "Dữ liệu".
    content = xlsx([["Hướng dẫn"]], "Hướng dẫn", extra_sheets=[("Dữ liệu", data)], active=0)
    assert run(content, user=officer_a).imported
    # No sheet named "Dữ liệu": the first sheet is read even when another one is active.
    Member.objects.all().delete()
    content = xlsx(data, "Trang 1", extra_sheets=[("Ghi chú", [["x"]])], active=1)
    assert run(content, user=officer_a).imported
    assert Member.objects.count() == 1


def test_a_missing_header_rejects_the_file_and_an_unknown_one_is_listed(club, officer_a):
    head = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày tham gia", "Ghi chú riêng"]
    report = run(xlsx([head, ["101", "Lò Thị Mai", "Nữ", 1950, "01/03/2018", "x"]]), user=officer_a)
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [(1, "Hoàn cảnh")]
    assert "Thiếu cột bắt buộc" in report.errors[0].reason
    assert report.unread == ["Ghi chú riêng"]
    assert not Member.objects.exists()


def test_english_aliases(club, officer_a):
    head = [
        "club_code",
        "member_code",
        "FULL_NAME",
        "sex",
        "birth_date",
        "household_status",
        "joined_on",
    ]
    assert run(
        xlsx([head, ["101", "A1", "Lò Thị Mai", "F", 1950, "Không", "01/03/2018"]]), user=officer_a
    ).imported


def test_all_or_nothing_lists_every_bad_row(club, officer_a):
    rows = [
        HEAD,
        ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
        ["101", "A2", "Lò Văn Nam", "Nam?", 1950, "Không", "01/03/2018"],
        ["101", "A3", "", "Nam", 1950, "Giàu", "01/03/2018"],
        ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
    ]
    report = run(xlsx(rows), user=officer_a)
    assert not report.imported
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Giới tính"),
        (4, "Họ và tên"),
        (4, "Hoàn cảnh"),
        (5, "Mã thành viên"),
    ]
    assert "dòng 2" in report.errors[-1].reason
    assert report.counts == {"new": 1, "updated": 0, "unchanged": 0, "error": 3}
    assert not Member.objects.exists()


def test_reimport_unchanged_and_corrected_file_updates_in_place_with_history(club, officer_a):
    rows = [HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"]]
    assert run(xlsx(rows), user=officer_a).counts["new"] == 1
    assert run(xlsx(rows), user=officer_a).counts == {
        "new": 0,
        "updated": 0,
        "unchanged": 1,
        "error": 0,
    }
    rows[1][2] = "Lò Thị Mây"
    assert run(xlsx(rows), user=officer_a).counts["updated"] == 1
    member = Member.objects.get()
    assert member.full_name == "Lò Thị Mây"
    history = list(member.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert {h.history_user for h in history} == {officer_a}


def test_household_status_new_date_adds_same_date_corrects(club, officer_a):
    head = HEAD + ["Ngày đánh giá hoàn cảnh"]
    row = ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018", "01/03/2018"]
    run(xlsx([head, row]), user=officer_a)
    run(xlsx([head, row[:5] + ["Hộ cận nghèo"] + row[6:7] + ["01/03/2020"]]), user=officer_a)
    assert list(
        HouseholdAssessment.objects.order_by("assessed_on").values_list("status", flat=True)
    ) == ["poor", "near_poor"]
    run(xlsx([head, row[:5] + ["Khó khăn"] + row[6:7] + ["01/03/2020"]]), user=officer_a)
    assert list(
        HouseholdAssessment.objects.order_by("assessed_on").values_list("status", flat=True)
    ) == ["poor", "disadvantaged"]


def _export_file(kind, user, fmt):
    headers, rows, resource = export_rows(kind=kind, user=user)
    if fmt == "csv":
        return write_csv(headers, rows)
    return write_xlsx(headers, rows, resource.columns)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(make, club, admin_user, fmt):
    m = make.member(
        club,
        code="A1",
        full_name="Lò Thị Mai",
        birth_year=1950,
        status="poor",
        national_id="001012345678",
        phone="0912345678",
        is_board_member=True,
    )
    make.member(
        club, full_name='=HYPERLINK("http://x")', birth_year=1949, birth_month=2, birth_day=3
    )
    content = _export_file("members", admin_user, fmt)
    report = run(content, f"export.{fmt}", user=admin_user)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 2, "error": 0}, report.errors
    m.refresh_from_db()
    assert m.national_id == "001012345678"


def test_export_xlsx_has_real_dates_and_neutralised_formulas(make, club, officer_a):
    make.member(
        club, code="A1", full_name="@SUM(1+1)", birth_year=1950, joined_on=datetime.date(2018, 3, 5)
    )
    sheet = load_workbook(io.BytesIO(_export_file("members", officer_a, "xlsx")))["Dữ liệu"]
    headers = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Ngày tham gia"].value == datetime.datetime(2018, 3, 5)
    assert row["Ngày tham gia"].is_date
    assert row["Ngày sinh"].value == 1950 and row["Ngày sinh"].data_type == "n"
    assert row["Họ và tên"].value == "'@SUM(1+1)" and row["Họ và tên"].data_type == "s"
    text = _export_file("members", officer_a, "csv").decode("utf-8-sig")
    assert "'@SUM(1+1)" in text and "05/03/2018" in text


def test_masked_national_id_round_trip_keeps_stored_id(make, club, officer_a):
    make.member(club, code="A1", national_id="001012345678")
    headers, rows, _res = export_rows(kind="members", user=officer_a)
    assert rows[0][headers.index("Số định danh")] == "••••••••5678"
    rows[0][headers.index("Họ và tên")] = "Tên mới"
    report = run(write_xlsx(headers, rows), user=officer_a)
    assert report.counts["updated"] == 1, report.errors
    member = Member.objects.get()
    assert (member.full_name, member.national_id) == ("Tên mới", "001012345678")


def test_officer_scoping_in_import_and_export(make, club, officer_a, officer_b):
    other = make.club(code="202", province_code="83")  # old Bến Tre -> Vĩnh Long (officer B)
    make.member(other, code="B1", full_name="Người tỉnh B")
    rows = [
        HEAD,
        ["202", "B2", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
        ["999", "B3", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
    ]
    report = run(xlsx(rows), user=officer_a)
    reasons = [e.reason for e in report.errors]
    # The same words for a club of another province and for a code that does not exist.
    assert reasons[0].replace("202", "X") == reasons[1].replace("999", "X")
    assert Member.objects.count() == 1
    headers, exported, _res = export_rows(kind="members", user=officer_a)
    assert exported == []
    headers, exported, _res = export_rows(kind="members", user=officer_b)
    assert [r[headers.index("Mã thành viên")] for r in exported] == ["B1"]


def test_a_recertification_with_the_same_status_is_added_to_the_history(club, officer_a):
    # Three members certified poor when they joined (01/03/2018); the yearly re-certification
    # of 15/01/2024 keeps two poor and moves one to near-poor: three new assessments.
    head = HEAD + ["Ngày đánh giá hoàn cảnh"]
    joined = [
        ["101", f"A{i}", f"Lò Thị Mai {i}", "Nữ", 1950, "Hộ nghèo", "01/03/2018", "01/03/2018"]
        for i in (1, 2, 3)
    ]
    assert run(xlsx([head, *joined]), user=officer_a).counts["new"] == 3
    again = [row[:7] + ["15/01/2024"] for row in joined]
    again[2][5] = "Hộ cận nghèo"
    preview = run(xlsx([head, *again]), user=officer_a, dry_run=True)
    assert preview.counts == {"new": 0, "updated": 3, "unchanged": 0, "error": 0}
    assert HouseholdAssessment.objects.count() == 3  # a preview stores nothing
    assert run(xlsx([head, *again]), user=officer_a).counts["updated"] == 3
    history = {
        m.code: [(a.assessed_on, a.status) for a in m.assessments.order_by("assessed_on")]
        for m in Member.objects.all()
    }
    first, recertified = datetime.date(2018, 3, 1), datetime.date(2024, 1, 15)
    assert history == {
        "A1": [(first, "poor"), (recertified, "poor")],
        "A2": [(first, "poor"), (recertified, "poor")],
        "A3": [(first, "poor"), (recertified, "near_poor")],
    }
    # The same file again changes nothing.
    assert run(xlsx([head, *again]), user=officer_a).counts["unchanged"] == 3


def test_an_undated_status_that_repeats_the_one_in_force_changes_nothing(club, officer_a):
    rows = [HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"]]
    run(xlsx(rows), user=officer_a)
    assert run(xlsx(rows), user=officer_a).counts["unchanged"] == 1
    assert HouseholdAssessment.objects.count() == 1


def test_an_assessment_dated_after_today_is_refused(club, officer_a):
    head = HEAD + ["Ngày đánh giá hoàn cảnh"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    row = ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"]
    report = run(xlsx([head, row + [tomorrow.strftime("%d/%m/%Y")]]), user=officer_a)
    assert not report.imported
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "Ngày đánh giá hoàn cảnh", "Ngày đánh giá không được sau hôm nay.")
    ]
    assert not Member.objects.exists()


def test_an_imports_queries_do_not_grow_with_its_rows(club, officer_a):
    """The import reads what it needs once per file: 3 new members and 30 take the same
    number of queries (the lock's check once read each new assessment's member: 7,500 queries
    for 10,000 rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n, offset):
        rows = [HEAD] + [
            ["101", "", f"Lò Thị Đếm {offset + i}", "Nữ", "1950", "Hộ nghèo", "05/03/2019"]
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = run(xlsx(rows), user=officer_a)
        assert report.imported, report.errors
        return len(captured)

    queries(3, 0)  # the first import of the club also reads what later ones find kept
    assert queries(3, 50) == queries(30, 100)
    assert Member.objects.filter(club=club).count() == 36
    assert HouseholdAssessment.objects.filter(member__club=club).count() == 36
