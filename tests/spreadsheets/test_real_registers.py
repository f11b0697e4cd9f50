"""Registers as provinces keep them: CSV quoting past the first 4 KB, encodings of other
programs, national IDs that lost their leading zero, numbering columns, header variants and
columns the template does not have. Each file is built here."""

import datetime

import pytest

from members.models import Member
from spreadsheets.cells import CellError, parse_national_id
from spreadsheets.files import csv_delimiter
from spreadsheets.headers import HEADER_VARIANTS
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx
from training.models import MonitoringVisit

pytestmark = pytest.mark.django_db

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


@pytest.fixture
def club(make):
    return make.club(code="101")


def run(kind, content, filename, user, dry_run=False):
    return import_file(kind=kind, content=content, filename=filename, user=user, dry_run=dry_run)


def test_a_doubled_quote_after_the_first_4_kb_is_read_as_rfc_4180(club, officer_a):
    # 120 visits without a quote (about 5 KB), then a note that a spreadsheet saved as
    # "Họp BCN, đánh giá ""tốt"" về quỹ".
    lines = ["Mã CLB,Ngày giám sát,Người giám sát,Ghi chú"]
    start = datetime.date(2019, 1, 1)
    for i in range(120):
        day = start + datetime.timedelta(days=i)
        lines.append(f"101,{day:%d/%m/%Y},Trần Văn Giám,Buổi họp định kỳ số {i} của câu lạc bộ")
    lines.append('101,01/06/2019,Trần Văn Giám,"Họp BCN, đánh giá ""tốt"" về quỹ"')
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    assert len(content) > 4096
    report = run("monitoring", content, "giam-sat.csv", officer_a)
    assert report.imported, report.errors
    visit = MonitoringVisit.objects.get(visited_on=datetime.date(2019, 6, 1))
    assert visit.notes == 'Họp BCN, đánh giá "tốt" về quỹ'
    assert MonitoringVisit.objects.count() == 121


def test_a_name_with_a_quote_and_a_comma_stays_in_its_column(club, officer_a):
    lines = [",".join(HEAD)]
    for i in range(200):
        lines.append(f"101,A{i},Lò Thị Mai {i},Nữ,1950,Không,01/03/2018")
    lines.append('101,Q1,"Nguyễn Thị ""Út"", con",Nữ,1948,Hộ nghèo,01/03/2018')
    report = run("members", "\n".join(lines).encode("utf-8"), "tv.csv", officer_a)
    assert report.imported, report.errors
    assert Member.objects.get(code="Q1").full_name == 'Nguyễn Thị "Út", con'


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [("a,b,c\n1,2,3", ","), ("a;b;c\n1;2;3", ";"), ("a\tb\tc\n1\t2\t3", "\t"), ('"a;b",c', ",")],
)
def test_only_the_delimiter_is_guessed(text, delimiter):
    assert csv_delimiter(text) == delimiter


def test_utf16_tab_separated_unicode_text_from_excel(club, officer_a):
    text = (
        "\t".join(HEAD)
        + "\r\n"
        + "\t".join(["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Hộ nghèo", "01/03/2018"])
    )
    content = text.encode("utf-16")  # with its byte-order mark, as Excel writes it
    report = run("members", content, "tv.csv", officer_a)
    assert report.imported, report.errors
    assert report.encoding == "UTF-16"
    assert Member.objects.get(code="A1").full_name == "Lò Thị Mai"


def cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 writes it: the letters with their own code (â, ê, ô, ơ, ư,
    ă, đ) precomposed, the five tone marks as combining characters after them."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            tone = "".join(c for c in parts if c in tones)
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


def test_windows_1258_from_older_vietnamese_windows(club, officer_a):
    # Windows-1258 writes "ị" as "i" and a combining dot below; the stored name is NFC.
    import unicodedata

    text = ",".join(HEAD) + "\r\n101,A1,Lò Thị Mai,Nữ,1950,Hộ nghèo,01/03/2018\r\n"
    content = cp1258(text)
    assert "ị".encode() not in content
    report = run("members", content, "tv.csv", officer_a)
    assert report.imported, report.errors
    assert report.encoding == "Windows-1258"
    name = Member.objects.get(code="A1").full_name
    assert name == "Lò Thị Mai" and unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (1012345678, "001012345678"),  # a number cell
        ("1012345678", "001012345678"),  # 10 digits of text, a number saved as CSV
        ("79012345678", "079012345678"),  # 11 digits
        ("079012345678", "079012345678"),
        ("", ""),
    ],
)
def test_national_ids_get_their_leading_zero_back(cell, stored):
    assert parse_national_id(cell) == stored


@pytest.mark.parametrize("cell", ["7.90123E+10", "1,23457E+11", 1.23457e11 + 0.5])
def test_a_national_id_in_scientific_notation_lost_digits(cell):
    with pytest.raises(CellError, match="mất chữ số"):
        parse_national_id(cell)


def test_a_numbering_column_is_ignored_and_an_unknown_one_listed(club, officer_a):
    rows = [
        ["STT", *HEAD, "Ghi chú riêng"],
        [1, "101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018", "đã thăm"],
        [2, "101", "A2", "Lò Văn Nam", "Nam", 1952, "Không", "01/03/2018", ""],
    ]
    report = run("members", xlsx(rows), "tv.xlsx", officer_a)
    assert report.imported, report.errors
    assert report.unread == ["Ghi chú riêng"]
    assert Member.objects.count() == 2


@pytest.mark.parametrize(
    ("template", "variant"),
    [(header, variant) for header, variants in HEADER_VARIANTS.items() for variant in variants],
)
def test_each_header_variant_is_read(club, officer_a, template, variant):
    row = {
        "Mã CLB": "101",
        "Mã thành viên": "A1",
        "Họ và tên": "Lò Thị Mai",
        "Giới tính": "Nữ",
        "Ngày sinh": "1950",
        "Hoàn cảnh": "Hộ nghèo",
        "Ngày tham gia": "01/03/2018",
        "Số điện thoại": "0912345678",
        "Số định danh": "001012345678",
    }
    headers = [variant if h == template else h for h in row]
    report = run("members", xlsx([headers, list(row.values())]), "tv.xlsx", officer_a)
    assert report.imported, (variant, report.errors)
    assert report.unread == []
    member = Member.objects.get()
    assert (member.code, member.full_name, member.phone, member.national_id) == (
        "A1",
        "Lò Thị Mai",
        "0912345678",
        "001012345678",
    )


def test_codes_that_lost_their_leading_zeros_update_the_same_members(make, officer_a):
    # A members export re-saved by a spreadsheet: club 0101 became 101, member 001 became 1
    # and 0901 became 901. The same 3 members are updated (not 3 new ones), the stored codes
    # stay, and the preview says how each code was read.
    club = make.club(code="0101")
    for code, name in (("001", "Lò Thị Mai"), ("0901", "Lò Văn Nam"), ("A7", "Lò Thị Hoa")):
        make.member(club, code=code, full_name=name, birth_year=1950, status="poor")
    rows = [
        HEAD,
        ["101", 1, "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"],
        ["101", 901, "Lò Văn Nam", "Nữ", 1950, "Hộ nghèo", "01/03/2018"],
        ["101", "A7", "Lò Thị Hoa", "Nữ", 1950, "Hộ nghèo", "01/03/2018"],
    ]
    report = run("members", xlsx(rows), "tv.xlsx", officer_a)
    assert report.imported, report.errors
    assert report.counts["new"] == 0
    assert sorted(Member.objects.values_list("code", flat=True)) == ["001", "0901", "A7"]
    notes = {r.row: r.notes for r in report.noted_rows}
    assert notes[2] == [
        "Mã «101» được hiểu là «0101» (bảng tính đã bỏ các số 0 ở đầu).",
        "Mã «1» được hiểu là «001» (bảng tính đã bỏ các số 0 ở đầu).",
    ]
    assert notes[3][1] == "Mã «901» được hiểu là «0901» (bảng tính đã bỏ các số 0 ở đầu)."
    # A7 matched exactly: only its club's code is explained
    assert notes[4] == ["Mã «101» được hiểu là «0101» (bảng tính đã bỏ các số 0 ở đầu)."]


def test_an_exact_code_wins_and_two_zero_matches_are_no_match(make, officer_a):
    club = make.club(code="202")
    make.member(club, code="01", full_name="Lò Thị Một", birth_year=1950)
    make.member(club, code="001", full_name="Lò Thị Hai", birth_year=1950)
    make.member(club, code="7", full_name="Lò Thị Bảy", birth_year=1950)
    make.member(club, code="007", full_name="Lò Thị Khác", birth_year=1950)
    rows = [
        HEAD,
        ["202", "7", "Lò Thị Bảy", "Nữ", 1950, "Không", "01/03/2018"],  # exact: 7, not 007
        ["202", "1", "Lò Thị Mới", "Nữ", 1950, "Không", "01/03/2018"],  # 01 and 001: new
    ]
    report = run("members", xlsx(rows), "tv.xlsx", officer_a, dry_run=True)
    assert [r.outcome for r in report.rows] == ["unchanged", "new"]
    assert report.noted_rows == []


def test_a_loans_file_finds_the_member_whose_code_lost_its_zeros(make, officer_a):
    club = make.club(code="303")
    make.member(club, code="001", full_name="Lò Thị Mai", joined_on=datetime.date(2018, 1, 1))
    head = ["Mã CLB", "Mã thành viên", "Hình thức", "Số tiền (đồng)", "Ngày giải ngân"]
    rows = [head, ["303", 1, "Tiền mặt", 1500000, "01/06/2019"]]
    report = run("loans", xlsx(rows), "vay.xlsx", officer_a)
    assert report.imported, report.errors
    assert Member.objects.get(code="001").loans.count() == 1


def test_a_loan_code_that_lost_its_zeros_updates_the_same_loan(make, officer_a):
    club = make.club(code="404")
    member = make.member(
        club, code="M1", full_name="Lò Thị Mai", joined_on=datetime.date(2018, 1, 1)
    )
    make.loan(member, datetime.date(2019, 6, 1), code="0012", amount_vnd=1_500_000)
    head = ["Mã CLB", "Mã thành viên", "Mã khoản vay", "Hình thức", "Số tiền (đồng)"]
    head += ["Ngày giải ngân"]
    rows = [head, ["404", "M1", 12, "Tiền mặt", 2_000_000, "01/06/2019"]]
    report = run("loans", xlsx(rows), "vay.xlsx", officer_a)
    assert report.imported, report.errors
    assert report.counts == {"new": 0, "updated": 1, "unchanged": 0, "error": 0}
    loan = member.loans.get()
    assert (loan.code, loan.amount_vnd) == ("0012", 2_000_000)
    assert report.noted_rows[0].notes == [
        "Mã «12» được hiểu là «0012» (bảng tính đã bỏ các số 0 ở đầu)."
    ]


def test_a_rejected_file_never_says_0_rows_in_error(club, client, officer_a):
    from django.urls import reverse

    client.force_login(officer_a)
    content = xlsx([["Mã CLB", "Họ và tên"], ["101", "Lò Thị Mai"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": SimpleUploadedFile("tv.xlsx", content)},
    )
    html = response.content.decode()
    assert "Thiếu cột bắt buộc" in html
    assert "0 dòng lỗi" not in html and "Tệp bị từ chối" in html


def test_a_session_code_that_lost_its_zeros_is_the_same_session(make, officer_a):
    from training.models import Attendance, TrainingSession

    make.club(code="505")
    head = ["Mã lớp", "Tên lớp", "Ngày", "Loại", "Mã CLB", "Số người tham gia"]
    first = [head, ["007", "Lớp kỹ năng", "05/03/2019", "Tập huấn mẫu", "505", 12]]
    assert run("training", xlsx(first), "t.xlsx", officer_a).imported
    again = [head, [7, "Lớp kỹ năng", "05/03/2019", "Tập huấn mẫu", "505", 12]]
    report = run("training", xlsx(again), "t.xlsx", officer_a)
    assert report.imported, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "error": 0}
    assert list(TrainingSession.objects.values_list("code", flat=True)) == ["007"]
    assert Attendance.objects.count() == 1
    assert report.noted_rows[0].notes == [
        "Mã «7» được hiểu là «007» (bảng tính đã bỏ các số 0 ở đầu)."
    ]


def test_the_example_row_is_skipped_by_its_mark_not_its_position(club, officer_a, client):
    rows = [
        ["STT", *HEAD],
        [1, "101", "A1", "Lò Thị Mai", "Nữ", 1950, "Hộ nghèo", "01/03/2018"],
        ["Ví dụ", "101", "VD", "Nguyễn Văn Mẫu", "Nam", 1950, "Không", "01/03/2018"],
        [2, "101", "A2", "Lò Văn Nam", "Nam", 1952, "Không", "01/03/2018"],
    ]
    report = run("members", xlsx(rows), "tv.xlsx", officer_a)
    assert report.imported, report.errors
    assert report.examples == [3]
    assert sorted(Member.objects.values_list("code", flat=True)) == ["A1", "A2"]


def test_the_preview_lists_the_example_unread_columns_and_encoding(club, officer_a, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    text = "\t".join(["STT", *HEAD, "Ghi chú riêng"]) + "\r\n"
    text += "\t".join(["Ví dụ", "101", "VD", "Nguyễn Văn Mẫu", "Nam", "1950", "Không"])
    text += "\t01/03/2018\t\r\n"
    text += "\t".join(["1", "101", "A1", "Lò Thị Mai", "Nữ", "1950", "Hộ nghèo", "01/03/2018", "x"])
    client.force_login(officer_a)
    response = client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": SimpleUploadedFile("tv.csv", text.encode("utf-16"))},
    )
    html = " ".join(response.content.decode().split())
    assert "Bỏ qua dòng ví dụ của mẫu: dòng 2." in html
    assert "Các cột không đọc (không có trong mẫu): «Ghi chú riêng»" in html
    assert "Tệp CSV đọc theo mã UTF-16." in html
    assert "1 mới" in html
