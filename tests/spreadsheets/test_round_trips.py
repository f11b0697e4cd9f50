"""Every kind, downloaded as an officer downloads it and re-saved in every format the import
reads, re-imports with every row unchanged.

The product writes .xlsx and .csv itself (the export page); .ods and .xls are what a
spreadsheet program makes of the downloaded .xlsx: here its cells (text, numbers, date cells)
are written again by tablib's .ods and .xls writers, as a program re-saving the file keeps
each cell's type.
"""

import datetime
import io

import pytest
import tablib
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Meeting
from clubs.models import CommuneSuccession
from spreadsheets import registry
from spreadsheets.services import import_file

KINDS = tuple(kind.key for kind in registry.kinds())  # a new kind cannot be forgotten
FORMATS = ("xlsx", "ods", "xls", "csv")
#: Rows of each kind in :func:`registers`, counted by hand.
ROWS = {"clubs": 3, "members": 3, "loans": 2, "training": 2, "monitoring": 2, "meetings": 2}


@pytest.fixture
def registers(db, make):
    """Three clubs of province A, with values that a round trip could spoil: codes with
    leading zeros, text that starts like a formula, year-only and full birth dates, a split
    commune's current commune, masked national IDs, money, blank optional cells."""
    old = make.whole_old_commune("02")
    first = make.club(code="0101", name="CLB Hoa Mai", founding_commune=old, village="=Thôn 3")
    split = make.split_old_commune("02")
    successor = CommuneSuccession.objects.filter(old=split).order_by("new__code").last().new
    make.club(
        code="103",
        name="CLB Sen Hồng",
        founding_commune=split,
        commune=successor,
        founded_on=datetime.date(2019, 5, 2),
        dissolved_on=datetime.date(2024, 12, 31),
    )
    new_era = make.club(
        code="102", name="CLB Tân Trào", founded_on=datetime.date(2025, 8, 1), province_code="08"
    )
    mai = make.member(
        first,
        code="001",
        full_name="Lò Thị Mai",
        birth_year=1950,
        birth_month=4,
        birth_day=3,
        status="poor",
        is_board_member=True,
        national_id="001012345678",
        phone="0912345678",
    )
    nam = make.member(first, code="A2", full_name="Lò Văn Nam", sex="male", birth_year=1948)
    make.member(
        first,
        code="0903",
        full_name="-Hà Thị Hoa",
        birth_year=1944,
        status="near_poor",
        left_on=datetime.date(2020, 5, 1),
        leave_reason="moved",
        is_home_care_volunteer=True,
    )
    make.loan(
        mai,
        datetime.date(2019, 6, 1),
        code="0007",
        amount_vnd=1_500_000,
        due_on=datetime.date(2020, 6, 1),
        repaid_on=datetime.date(2020, 5, 20),
        outcome="improved",
        assessed_on=datetime.date(2020, 6, 15),
    )
    make.loan(nam, datetime.date(2019, 7, 1), kind="in_kind", amount_vnd=3_000_000)
    session = make.training(
        [first, new_era], datetime.date(2025, 9, 10), code="007", title="Lớp kỹ năng"
    )
    session.attendances.filter(club=first).update(participants=12)
    make.visit(first, datetime.date(2019, 6, 1), monitor="Trần Văn Giám", notes="+tốt, 'đạt'")
    make.visit(new_era, datetime.date(2025, 9, 1))
    Meeting.objects.create(
        club=first, held_on=datetime.date(2019, 6, 5), attendees=2, topics="=Bình xét; «vay»"
    )
    Meeting.objects.create(club=new_era, held_on=datetime.date(2025, 9, 5))


def download(client, kind, fmt):
    """The export page's file of ``kind`` in ``fmt``; .ods and .xls are the .xlsx re-saved."""
    response = client.get(
        reverse("spreadsheets:export", args=[kind, "csv" if fmt == "csv" else "xlsx"])
    )
    assert response.status_code == 200
    if fmt in ("xlsx", "csv"):
        return response.content
    sheet = load_workbook(io.BytesIO(response.content))["Dữ liệu"]
    rows = list(sheet.iter_rows(values_only=True))
    data = tablib.Dataset(*rows[1:], headers=rows[0], title="Dữ liệu")
    return data.export(fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_an_export_re_saved_re_imports_unchanged(registers, client, officer_a, kind, fmt):
    client.force_login(officer_a)
    content = download(client, kind, fmt)
    report = import_file(
        kind=kind, content=content, filename=f"export.{fmt}", user=officer_a, dry_run=True
    )
    assert report.errors == []
    assert [r.outcome for r in report.rows] == ["unchanged"] * ROWS[kind]
    assert report.noted_rows == []


#: The export's .csv files of :func:`registers` as a Vietnamese LibreOffice (locale vi-VN)
#: saves them again after opening them: date cells written ``dd/mm/yy``, codes of digits and
#: phone numbers as numbers that lost their leading zeros, text quoted.
LIBREOFFICE_CSV = {
    "clubs": """\
"Mã CLB","Tên CLB","Tỉnh/Thành phố","Quận/Huyện","Xã/Phường","Xã/Phường hiện nay",\
"Thôn/Tổ dân phố","Ngày thành lập","Ngày giải thể"
101,"CLB Hoa Mai","Tỉnh Hà Giang","Thành phố Hà Giang","Phường Trần Phú","Phường Hà Giang 2",\
"'=Thôn 3",01/03/18,
102,"CLB Tân Trào","Tỉnh Tuyên Quang",,"Phường Hà Giang 2",,,01/08/25,
103,"CLB Sen Hồng","Tỉnh Hà Giang","Thành phố Hà Giang","Phường Quang Trung",\
"Phường Hà Giang 1",,02/05/19,31/12/24
""",
    "members": """\
"Mã CLB","Mã thành viên","Họ và tên","Giới tính","Ngày sinh","Hoàn cảnh",\
"Ngày đánh giá hoàn cảnh","Ngày tham gia","Ngày rời CLB","Lý do rời CLB","Ban Chủ nhiệm",\
"Tình nguyện viên chăm sóc tại nhà","Số định danh","Số điện thoại"
101,1,"Lò Thị Mai","Nữ",03/04/50,"Hộ nghèo",01/03/18,01/03/18,,,"Có","Không",\
"••••••••5678",912345678
101,903,"'-Hà Thị Hoa","Nữ",1944,"Hộ cận nghèo",01/03/18,01/03/18,01/05/20,"Chuyển đi",\
"Không","Có",,
101,"A2","Lò Văn Nam","Nam",1948,"Không",,01/03/18,,,"Không","Không",,
""",
    "loans": """\
"Mã CLB","Mã thành viên","Họ và tên","Năm sinh","Mã khoản vay","Hình thức","Số tiền (đồng)",\
"Hiện vật","Ngày giải ngân","Hạn trả","Ngày trả xong","Kết quả thu nhập","Ngày đánh giá"
101,1,"Lò Thị Mai",1950,7,"Tiền mặt",1500000,,01/06/19,01/06/20,20/05/20,"Cải thiện",15/06/20
101,"A2","Lò Văn Nam",1948,,"Hiện vật",3000000,"1 con bê",01/07/19,,,,
""",
    "training": """\
"Mã lớp","Tên lớp","Ngày","Loại","Mã CLB","Số người tham gia"
7,"Lớp kỹ năng",10/09/25,"Tập huấn tại tỉnh",101,12
7,"Lớp kỹ năng",10/09/25,"Tập huấn tại tỉnh",102,
""",
    "monitoring": """\
"Mã CLB","Ngày giám sát","Người giám sát","Ghi chú"
101,01/06/19,"Trần Văn Giám","'+tốt, 'đạt'"
102,01/09/25,,
""",
}

#: The codes of :data:`LIBREOFFICE_CSV` read without their lost leading zeros, by row.
ZEROS = {
    "clubs": {2: [("101", "0101")]},
    "members": {
        2: [("101", "0101"), ("1", "001")],
        3: [("101", "0101"), ("903", "0903")],
        4: [("101", "0101")],
    },
    "loans": {2: [("101", "0101"), ("1", "001"), ("7", "0007")], 3: [("101", "0101")]},
    "training": {2: [("101", "0101"), ("7", "007")], 3: [("7", "007")]},
    "monitoring": {2: [("101", "0101")]},
}


@pytest.mark.parametrize("kind", sorted(LIBREOFFICE_CSV))  # the kinds a LibreOffice re-saved
def test_a_csv_re_saved_by_a_vietnamese_libreoffice_re_imports_unchanged(
    registers, officer_a, kind
):
    content = LIBREOFFICE_CSV[kind].replace("\n", "\r\n").encode("utf-8")
    report = import_file(
        kind=kind, content=content, filename="export.csv", user=officer_a, dry_run=True
    )
    assert report.errors == []
    assert [r.outcome for r in report.rows] == ["unchanged"] * ROWS[kind]
    notes = {r.row: r.notes for r in report.noted_rows}
    assert notes == {
        row: [
            f"Mã «{code}» được hiểu là «{stored}» (bảng tính đã bỏ các số 0 ở đầu)."
            for code, stored in pairs
        ]
        for row, pairs in ZEROS[kind].items()
    }
