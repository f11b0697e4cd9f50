"""Date cells a spreadsheet program read month-first: a register typed day-first in an
English-locale LibreOffice holds ``05/03/2016`` as a date cell of 3 May and ``19/06/2016`` as
text. The preview says so, offers to read the cells day-first, and shows every date in words."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from spreadsheets.services import import_file
from tests import factories
from tests.spreadsheet_files import xlsx

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


@pytest.fixture
def club(db, province_a):
    return factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))


def mixed_register():
    """Row 2 typed 05/03/2016, kept by the program as a date cell of 3 May 2016; row 3 typed
    19/06/2016, left as text (no month 19)."""
    return xlsx(
        [
            HEAD,
            ["C-1", "1", "Ma Thị Hoa", "Nữ", 1952, "Không", datetime.date(2016, 5, 3)],
            ["C-1", "2", "Lý Văn Sáu", "Nam", 1950, "Không", "19/06/2016"],
        ]
    )


def test_date_cells_mixed_with_day_first_text_are_flagged(club, officer_a):
    report = import_file(
        kind="members", content=mixed_register(), filename="a.xlsx", user=officer_a, dry_run=True
    )
    assert [(m.header, m.cells) for m in report.month_first] == [("Ngày tham gia", 1)]
    assert "«19/06/2016»" in report.month_first[0].reason
    shown = [r.shown[6] for r in report.rows]
    assert shown == ["3 tháng 5 năm 2016", "19 tháng 6 năm 2016"]


def test_reading_the_cells_day_first_swaps_day_and_month_of_date_cells_only(club, officer_a):
    report = import_file(
        kind="members",
        content=mixed_register(),
        filename="a.xlsx",
        user=officer_a,
        day_first=["Ngày tham gia"],
    )
    assert report.imported, [str(e) for e in report.errors]
    assert report.month_first == []
    assert report.day_first == ["Ngày tham gia"]
    joined = dict(Member.objects.values_list("code", "joined_on"))
    assert joined == {"1": datetime.date(2016, 3, 5), "2": datetime.date(2016, 6, 19)}


def test_ten_date_cells_without_a_day_above_12_are_flagged_nine_are_not(club, officer_a):
    def register(n):
        rows = [HEAD]
        for i in range(n):
            day = datetime.date(2016, 1 + i % 12, 1 + i % 12)
            rows.append(["C-1", str(i), f"Người {i}", "Nữ", 1950, "Không", day])
        return xlsx(rows)

    ten = import_file(
        kind="members", content=register(10), filename="a.xlsx", user=officer_a, dry_run=True
    )
    assert [(m.header, m.cells) for m in ten.month_first] == [("Ngày tham gia", 10)]
    nine = import_file(
        kind="members", content=register(9), filename="a.xlsx", user=officer_a, dry_run=True
    )
    assert nine.month_first == []


def test_a_date_cell_with_a_day_above_12_is_not_flagged(club, officer_a):
    rows = [HEAD]
    for i in range(12):
        rows.append(["C-1", str(i), f"Người {i}", "Nữ", 1950, "Không", datetime.date(2016, 1, 1)])
    rows.append(["C-1", "x", "Người x", "Nữ", 1950, "Không", datetime.date(2016, 1, 25)])
    report = import_file(
        kind="members", content=xlsx(rows), filename="a.xlsx", user=officer_a, dry_run=True
    )
    assert report.month_first == []


def test_the_browser_offers_to_read_again_day_first_and_imports_so(client, club, officer_a):
    client.force_login(officer_a)
    upload = client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": _named(mixed_register(), "dang-ky.xlsx")},
    )
    text = upload.content.decode()
    assert "Đọc lại các ô kiểu ngày theo ngày/tháng" in text
    # the warning once, and the confirm button holds its label only (not the warning)
    assert text.count('data-testid="month-first"') == 1
    assert re.search(r'<button type="submit" class="primary">Xác nhận nhập</button>', text)
    assert "3 tháng 5 năm 2016" in text
    again = client.post(
        reverse("spreadsheets:reread"),
        {"token": upload.context["token"], "day_first": "Ngày tham gia"},
    )
    assert "5 tháng 3 năm 2016" in again.content.decode()
    assert again.context["report"].month_first == []
    done = client.post(reverse("spreadsheets:confirm"), {"token": again.context["token"]})
    assert done.status_code == 302
    assert Member.objects.get(code="1").joined_on == datetime.date(2016, 3, 5)


def _named(content, name):
    return SimpleUploadedFile(name, content)
