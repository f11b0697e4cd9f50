"""A required column the file names otherwise: the preview lets the officer say which of the
file's columns it is, imports with it, and remembers it for the next file of that kind with
the same headers in the province."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member
from spreadsheets.services import import_file
from tests import factories
from tests.spreadsheet_files import csv_bytes

HEAD = ["Mã CLB", "Mã thành viên", "Tên người", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]
ROWS = [
    ["C-1", "1", "Ma Thị Hoa", "Nữ", "1952", "Hộ nghèo", "15/03/2016"],
    ["C-1", "2", "Lý Văn Sáu", "Nam", "1950", "Không", "02/04/2016"],
]


@pytest.fixture
def club(db, province_a):
    return factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))


def test_a_missing_required_column_is_read_from_the_column_the_officer_picked(club, officer_a):
    content = csv_bytes([HEAD, *ROWS])
    refused = import_file(kind="members", content=content, filename="a.csv", user=officer_a)
    assert refused.missing == ["Họ và tên"]
    assert refused.unread == ["Tên người"]
    report = import_file(
        kind="members",
        content=content,
        filename="a.csv",
        user=officer_a,
        renamed={"Họ và tên": "Tên người"},
    )
    assert report.imported, [str(e) for e in report.errors]
    assert report.renamed == {"Họ và tên": "Tên người"}
    assert report.unread == []
    assert sorted(Member.objects.values_list("code", "full_name")) == [
        ("1", "Ma Thị Hoa"),
        ("2", "Lý Văn Sáu"),
    ]


def upload(client, content, name="a.csv"):
    return client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": SimpleUploadedFile(name, content)},
    )


def test_the_browser_mapping_step_then_the_next_file_of_the_province_reuses_it(
    client, club, officer_a
):
    client.force_login(officer_a)
    content = csv_bytes([HEAD, *ROWS])
    first = upload(client, content)
    text = first.content.decode()
    assert 'name="map:Họ và tên"' in text
    assert "Thiếu cột bắt buộc «Họ và tên»" in text
    mapped = client.post(
        reverse("spreadsheets:reread"),
        {"token": first.context["token"], "map:Họ và tên": "Tên người"},
    )
    assert mapped.context["report"].ok
    assert "«Tên người» → «Họ và tên»" in mapped.content.decode()
    done = client.post(reverse("spreadsheets:confirm"), {"token": mapped.context["token"]})
    assert done.status_code == 302
    assert Member.objects.count() == 2

    # Next month's register of the province, the same headers (written in other case).
    later = [[h.upper() if h == "Tên người" else h for h in HEAD]]
    later += [["C-1", "3", "Bàn Thị Nga", "Nữ", "1947", "Hộ nghèo", "02/04/2016"]]
    again = upload(client, csv_bytes(later), "b.csv")
    report = again.context["report"]
    assert report.ok, [str(e) for e in report.errors]
    assert report.renamed == {"Họ và tên": "TÊN NGƯỜI"}
    assert again.context["remembered"]
    assert "cách ghép đã lưu cho tỉnh" in again.content.decode()


def test_a_mapping_is_not_reused_in_another_province_or_for_other_headers(
    client, club, officer_a, officer_b
):
    client.force_login(officer_a)
    content = csv_bytes([HEAD, *ROWS])
    first = upload(client, content)
    mapped = client.post(
        reverse("spreadsheets:reread"),
        {"token": first.context["token"], "map:Họ và tên": "Tên người"},
    )
    client.post(reverse("spreadsheets:confirm"), {"token": mapped.context["token"]})
    other_headers = upload(client, csv_bytes([[*HEAD, "Ghi chú"], ROWS[0] + ["x"]]), "c.csv")
    assert other_headers.context["report"].missing == ["Họ và tên"]
    client.force_login(officer_b)
    elsewhere = upload(client, content, "d.csv")
    assert elsewhere.context["report"].missing == ["Họ và tên"]
