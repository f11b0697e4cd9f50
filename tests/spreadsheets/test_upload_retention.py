"""Uploads hold personal data: deleted on confirm and on cancel, by the hourly clean-up once
older than their preview's token, and all at once when a member is anonymised."""

import datetime
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.privacy import anonymise
from spreadsheets import uploads
from tests import factories
from tests.spreadsheet_files import csv_bytes

HEAD = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"]
ROWS = [["C-1", "Ma Thị Hoa", "Nữ", "1952", "Hộ nghèo", "15/03/2016"]]


def stored(settings):
    root = settings.MEDIA_ROOT / uploads.FOLDER
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def previewed(client, db, province_a, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads-tmp")
    factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))
    client.force_login(officer_a)
    page = client.post(
        reverse("spreadsheets:upload"),
        {"kind": "members", "file": SimpleUploadedFile("a.csv", csv_bytes([HEAD, *ROWS]))},
    )
    assert len(stored(settings)) == 1
    return page.context["token"]


def test_confirm_deletes_the_upload(client, previewed, settings):
    client.post(reverse("spreadsheets:confirm"), {"token": previewed})
    assert stored(settings) == []


def test_cancel_deletes_the_upload(client, previewed, settings):
    response = client.post(reverse("spreadsheets:cancel"), {"token": previewed})
    assert response["Location"] == reverse("spreadsheets:upload")
    assert stored(settings) == []
    again = client.post(reverse("spreadsheets:confirm"), {"token": previewed}, follow=True)
    assert "Không còn tệp đã tải lên" in again.content.decode()


def test_the_clean_up_deletes_uploads_older_than_their_token(client, previewed, settings):
    fresh = next(p for p in (settings.MEDIA_ROOT / uploads.FOLDER).rglob("*") if p.is_file())
    old = fresh.with_name("old-upload")
    old.write_bytes(b"x")
    past = time.time() - uploads.TOKEN_MAX_AGE - 60
    os.utime(old, (past, past))
    spooled = settings.MEDIA_ROOT / "uploads-tmp" / "left-by-a-killed-request.upload"
    spooled.parent.mkdir(parents=True, exist_ok=True)
    spooled.write_bytes(b"x")
    os.utime(spooled, (time.time() - 2 * 3600,) * 2)
    out = io.StringIO()
    call_command("clean_uploads", stdout=out)
    assert out.getvalue().strip() == "Đã xoá 2 tệp, 0 mã biểu mẫu cũ."
    assert stored(settings) == [fresh.name]
    assert not spooled.exists()


def test_anonymising_a_member_deletes_pending_uploads(previewed, settings):
    club = factories.club(code="C-2", founded_on=datetime.date(2016, 1, 1))
    member = factories.member(club, left_on=datetime.date(2017, 1, 1), note="bà Hoa")
    anonymise(member)
    member.refresh_from_db()
    assert member.note == ""
    assert stored(settings) == []
