"""Files of more than IMPORT_BACKGROUND_ROWS rows are previewed and imported by the
background worker: the job page shows rows read, checked and written, then the preview, then
the saved batch; the officer can leave and come back."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.models import Member
from spreadsheets import jobs
from spreadsheets.models import ImportJob
from tests import factories
from tests.spreadsheet_files import csv_bytes, xlsx

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


def rows(n):
    return [["C-1", str(i), f"Người {i}", "Nữ", "1950", "Không", "01/03/2018"] for i in range(n)]


def run_worker(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture
def officer(client, db, province_a, officer_a, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    factories.club(code="C-1", founded_on=datetime.date(2016, 1, 1))
    client.force_login(officer_a)
    return officer_a


def test_row_estimates_of_each_format():
    assert jobs.estimate_rows(csv_bytes([HEAD, *rows(30)]), "csv") == 31
    assert jobs.estimate_rows(xlsx([HEAD, *rows(30)]), "xlsx") == 31
    assert jobs.estimate_rows(b"not a zip", "xlsx") == 0


def test_a_large_file_is_previewed_then_imported_in_the_background(
    client, officer, monkeypatch, django_capture_on_commit_callbacks
):
    content = csv_bytes([HEAD, *rows(25)])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("spreadsheets:upload"),
            {"kind": "members", "file": SimpleUploadedFile("lon.csv", content)},
        )
    job = ImportJob.objects.get()
    assert page["Location"] == reverse("spreadsheets:job", args=[job.pk])
    waiting = client.get(page["Location"])
    assert waiting["Refresh"] == "2"
    assert "Đang chờ đến lượt" in waiting.content.decode()
    run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert jobs.progress(job) == {"read": 25, "checked": 25, "written": 25}
    preview = client.get(page["Location"])
    assert "Refresh" not in preview
    assert preview.context["report"]["counts"] == {
        "new": 25,
        "updated": 0,
        "unchanged": 0,
        "error": 0,
    }
    assert Member.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(reverse("spreadsheets:confirm"), {"token": preview.context["token"]})
    importing = ImportJob.objects.get(mode=ImportJob.Mode.IMPORT)
    assert confirm["Location"] == reverse("spreadsheets:job", args=[importing.pk])
    run_worker(monkeypatch)
    importing.refresh_from_db()
    done = client.get(confirm["Location"])
    assert done["Location"] == reverse("spreadsheets:batch", args=[importing.batch_id])
    assert Member.objects.count() == 25


def test_a_large_file_with_a_bad_row_lists_it_in_the_background_preview(
    client, officer, monkeypatch, django_capture_on_commit_callbacks
):
    bad = rows(25)
    bad[20][3] = "Khác"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("spreadsheets:upload"),
            {"kind": "members", "file": SimpleUploadedFile("lon.csv", csv_bytes([HEAD, *bad]))},
        )
    run_worker(monkeypatch)
    preview = client.get(page["Location"])
    report = preview.context["report"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(22, "Giới tính")]
    assert "Xác nhận nhập" not in preview.content.decode()


def test_another_user_cannot_see_the_job(
    client, officer, officer_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("spreadsheets:upload"),
            {"kind": "members", "file": SimpleUploadedFile("a.csv", csv_bytes([HEAD, *rows(25)]))},
        )
    client.force_login(officer_b)
    assert client.get(page["Location"]).status_code == 404
