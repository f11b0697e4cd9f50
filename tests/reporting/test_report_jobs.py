"""PDF report jobs: request → queued job → worker renders → file kept → the same request for the
same data reuses it; new data makes a new report; scoping of requests, status and download."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reporting.cache import bump_unscoped
from reporting.models import ReportDocument
from tests.factories import PASSWORD
from tests.reporting import pdf_data


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def ask(client, province="", date="2019-06-30", phase=pdf_data.PHASE):
    return client.post(
        reverse("reports:request"), {"phase": phase, "province": province, "date": date}
    )


def run_worker(monkeypatch):
    """The real worker command, once through the queue. Its ``close_old_connections`` would
    close the test's transaction-wrapped connection (on PostgreSQL), so it is a no-op here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_job_flow_renders_once_and_reuses_the_file(data, board, client, monkeypatch):
    login(client, board)
    response = ask(client, province="02")
    document = ReportDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:status", args=[document.pk])
    assert document.status == "queued"
    assert document.scope == "pre2025:02"
    assert DBTaskResult.objects.count() == 1

    # Not yet rendered: the status page reloads itself and offers no file.
    page = client.get(response["Location"])
    assert page["Refresh"] == "2"
    assert "Đang chờ" in page.content.decode()
    assert client.get(reverse("reports:download", args=[document.pk])).status_code == 404

    run_worker(monkeypatch)
    document.refresh_from_db()
    assert document.status == "ready"
    assert document.progress == 100
    assert bytes(document.content).startswith(b"%PDF")
    assert document.pages == 4
    page = client.get(reverse("reports:status", args=[document.pk]))
    assert "Refresh" not in page
    assert reverse("reports:download", args=[document.pk]) in page.content.decode()
    download = client.get(reverse("reports:download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(document.content)
    assert 'filename="bao-cao-2018-2020-tinh-02-2019-06-30.pdf"' in download["Content-Disposition"]
    # The download is in the audit log: who, what, when.
    from accounts.models import AuditEvent

    (event,) = AuditEvent.objects.filter(action="pdf")
    assert event.detail == "bao-cao-2018-2020-tinh-02-2019-06-30.pdf"
    assert event.username == document.requested_by.username

    # The same report for the same data: the kept file, no new job.
    again = ask(client, province="2")
    assert again["Location"] == reverse("reports:status", args=[document.pk])
    assert ReportDocument.objects.count() == 1
    assert DBTaskResult.objects.count() == 1

    # New data: a new report.
    bump_unscoped()
    third = ask(client, province="02")
    assert ReportDocument.objects.count() == 2
    assert third["Location"] != reverse("reports:status", args=[document.pk])
    assert DBTaskResult.objects.count() == 2


def test_failed_job_is_queued_again(data, board, client):
    login(client, board)
    ask(client)
    document = ReportDocument.objects.get()
    ReportDocument.objects.filter(pk=document.pk).update(status="failed", error="x")
    ask(client)
    document.refresh_from_db()
    assert document.status == "queued"
    assert DBTaskResult.objects.count() == 2


def test_officer_scoping(data, client, make):
    """An officer of new Tuyên Quang (which took in old Hà Giang 02) may have Hà Giang's report
    as of 2019; not Bến Tre's (404), and not the national report (403)."""
    tuyen_quang = make.province("post2025", "08")
    officer = make.user("officer_tq", role="officer", provinces=[tuyen_quang])
    login(client, officer)
    assert ask(client, province="02").status_code == 302
    own = ReportDocument.objects.get()
    assert ask(client, province="83").status_code == 404
    assert ask(client, province="").status_code == 403
    assert ReportDocument.objects.count() == 1

    # Another province's document and the national one answer 404 to the officer.
    board = make.user("board_x", role="board")
    client.logout()
    login(client, board)
    ask(client, province="83")
    ask(client)
    others = ReportDocument.objects.exclude(pk=own.pk)
    assert others.count() == 2
    client.logout()
    login(client, officer)
    assert client.get(reverse("reports:status", args=[own.pk])).status_code == 200
    for other in others:
        assert client.get(reverse("reports:status", args=[other.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[other.pk])).status_code == 404
    # The list of recent reports shows only the officer's own.
    listing = client.get(reverse("reports:request")).content.decode()
    assert listing.count(reverse("reports:status", args=[own.pk])) == 1
    for other in others:
        assert reverse("reports:status", args=[other.pk]) not in listing


def test_admin_may_request_national(data, admin_user, client):
    login(client, admin_user)
    assert ask(client).status_code == 302
    assert ReportDocument.objects.get().scope == ""


def test_anonymous_is_sent_to_login(data, client):
    response = ask(client)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert ReportDocument.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phase": "1999"}, "phase", "Không có giai đoạn này."),
        ({"province": "99"}, "province", "Không có tỉnh/thành phố mã 99"),
        ({"date": "31/12/2017"}, "date", "Ngày tính phải từ ngày bắt đầu giai đoạn (01/01/2018)."),
        ({"date": "32/01/2019"}, "date", "Nhập"),
    ],
)
def test_bad_request_shows_errors_and_keeps_input(data, board, client, fields, field, message):
    login(client, board)
    values = {"phase": pdf_data.PHASE, "province": "", "date": "30/06/2019", **fields}
    response = client.post(reverse("reports:request"), values)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'value="{values["date"]}"' in html  # what the user typed stays in the form
    assert ReportDocument.objects.count() == 0


def test_pdf_button_include(data, board, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = board
    html = render_to_string(
        "reporting/includes/pdf_button.html",
        {
            "report_phase": data["phase"],
            "report_province": data["ha_giang"],
            "report_date": datetime.date(2019, 6, 30),
        },
        request=request,
    )
    assert 'action="/reports/"' in html
    assert 'name="phase" value="2018-2020"' in html
    assert 'name="province" value="02"' in html
    assert 'name="date" value="2019-06-30"' in html
    assert "Tải báo cáo PDF" in html
    national = render_to_string(
        "reporting/includes/pdf_button.html", {"report_phase": "2018-2020"}, request=request
    )
    assert 'name="province" value=""' in national
    assert 'name="date"' not in national
