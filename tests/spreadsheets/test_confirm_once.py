"""A double click on "confirm" imports once: the second click (after or during the first)
finds the upload already imported and writes nothing."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse

from members.models import Member
from spreadsheets.models import ImportBatch
from spreadsheets.services import import_file
from tests import factories
from tests.spreadsheet_files import csv_bytes

HEAD = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"]
# Rows without a member code: a second import would add them again under new codes.
ROWS = [
    ["C-1", "Ma Thị Hoa", "Nữ", "1952", "Hộ nghèo", "15/03/2016"],
    ["C-1", "Lý Văn Sáu", "Nam", "1950", "Không", "02/04/2016"],
]


@pytest.mark.django_db
def test_a_second_confirm_of_the_same_upload_imports_nothing(client, province_a, officer_a):
    factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))
    client.force_login(officer_a)
    page = client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": SimpleUploadedFile("a.csv", csv_bytes([HEAD, *ROWS]))},
    )
    token = page.context["token"]
    first = client.post(reverse("spreadsheets:confirm"), {"token": token})
    second = client.post(reverse("spreadsheets:confirm"), {"token": token}, follow=True)
    batch = ImportBatch.objects.get()
    assert first["Location"] == second.redirect_chain[0][0]
    assert f"Tệp này đã được nhập (lô {batch.pk})." in second.content.decode()
    assert Member.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_import_once(units, make):
    admin = make.user("admin", role="admin", is_superuser=True)
    factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))
    content = csv_bytes([HEAD, *ROWS])
    barrier = threading.Barrier(2)
    reports = []

    def confirm():
        try:
            barrier.wait(timeout=30)
            reports.append(
                import_file(
                    kind="members", content=content, filename="a.csv", user=admin, upload="7/x"
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.imported for r in reports) == [False, True]
    refused = next(r for r in reports if not r.imported)
    batch = ImportBatch.objects.get()
    assert [e.reason for e in refused.errors] == [
        f"Tệp này đã được nhập (lô {batch.pk}); không nhập lại."
    ]
    assert Member.objects.count() == 2
