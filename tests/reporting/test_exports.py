"""One shape for the club compliance table: the data page's compliance export and the province
dashboard's club export are the same table, written by ``spreadsheets.writers``.

Two clubs of old Hà Giang at 30/06/2020 (phase 2018-2020, the 2016 standard):
- C1, founded 01/03/2018: 10 members, 7 women, all born 1950, 6 poor, 5 borrowed with an
  improved income, trained 01/05/2019 and visited 15/01/2020: passes everything.
- C2, founded 01/01/2019: 4 men born 1990, nothing else: fails everything (older 0 of 4 →
  ⌈(0.7·4 − 0)/0.3⌉ = 10 more older members; women 0 of 4 → 6 more women).
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

QUERY = {"as_of": "30/06/2020", "phase": "2018-2020"}


@pytest.fixture
def clubs(make):
    c1 = make.club(datetime.date(2018, 3, 1), "02", code="C1", name="CLB Một")
    for i in range(10):
        m = make.member(c1, sex="female" if i < 7 else "male", status="poor" if i < 6 else None)
        if i < 5:
            make.loan(m, datetime.date(2019, 1, 1), "improved", datetime.date(2019, 12, 1))
    make.training([c1], datetime.date(2019, 5, 1))
    make.visit(c1, datetime.date(2020, 1, 15))
    c2 = make.club(datetime.date(2019, 1, 1), "02", code="C2", name="=CLB Hai")
    for _ in range(4):
        make.member(c2, sex="male", birth_year=1990)
    return c1, c2


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


HEADER = [
    "Mã CLB",
    "Tên CLB",
    "Tỉnh/thành phố",
    "Ngày thành lập",
    "Thành viên",
    "Người cao tuổi (từ 55 tuổi) ≥ 70%",
    "Người cao tuổi (từ 55 tuổi) ≥ 70%: kết quả",
    "Người cao tuổi (từ 55 tuổi) ≥ 70%: cần",
    "Nữ từ 60% đến 70%",
    "Nữ từ 60% đến 70%: kết quả",
    "Nữ từ 60% đến 70%: cần",
    "Nghèo, cận nghèo, khó khăn từ 60% đến 70%",
    "Nghèo, cận nghèo, khó khăn từ 60% đến 70%: kết quả",
    "Nghèo, cận nghèo, khó khăn từ 60% đến 70%: cần",
    "Được vay vốn và cải thiện thu nhập ≥ 50%",
    "Được vay vốn và cải thiện thu nhập ≥ 50%: kết quả",
    "Được vay vốn và cải thiện thu nhập ≥ 50%: cần",
    "Được tập huấn và giám sát",
    "Được tập huấn và giám sát: kết quả",
    "Được tập huấn và giám sát: cần",
    "Đã tập huấn",
    "Giám sát gần nhất",
    "Đạt chuẩn",
]


def test_both_exports_are_the_same_table(client, officer_a, clubs):
    client.force_login(officer_a)
    data_page = client.get(
        reverse("reporting:compliance_export", args=["csv"]), {"as_of": "30/06/2020"}
    )
    dashboard = client.get(reverse("reporting:province_export", args=["02", "clb", "csv"]), QUERY)
    table = rows(data_page)
    assert table == rows(dashboard)
    assert table[0] == HEADER
    c1, c2 = table[1], table[2]
    assert c1 == [
        "C1",
        "CLB Một",
        "Hà Giang",
        "01/03/2018",
        "10",
        *["100.0", "Đạt", ""],  # older 10/10
        *["70.0", "Đạt", ""],  # women 7/10
        *["60.0", "Đạt", ""],  # poor 6/10
        *["50.0", "Đạt", ""],  # borrowed with improved income 5/10
        *["", "Đạt", ""],  # trained and monitored
        "Có",
        "15/01/2020",
        "Đạt",
    ]
    assert c2[:5] == ["C2", "'=CLB Hai", "Hà Giang", "01/01/2019", "4"]  # formula neutralised
    assert c2[5:8] == ["0.0", "Không đạt", "Cần thêm 10 người cao tuổi"]
    assert c2[8:11] == ["0.0", "Không đạt", "Cần thêm 6 nữ"]
    assert c2[-3:] == ["Không", "", "Không đạt"]


def test_xlsx_export_keeps_numbers_and_dates(client, board, clubs):
    from openpyxl import load_workbook

    client.force_login(board)
    response = client.get(reverse("reporting:province_export", args=["02", "clb", "xlsx"]), QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    assert values[1][:6] == ["C1", "CLB Một", "Hà Giang", datetime.datetime(2018, 3, 1), 10, 100.0]
    assert sheet.cell(row=2, column=4).number_format == "DD/MM/YYYY"
