"""PDF report jobs whose worker dies (issue #15, item 4): the lease on the job's row, the job
reclaimed and queued again on request and by ``clean_reports``, the status page that ends,
at most ``REPORT_JOBS_PER_USER`` jobs per user, and the renders deleted after
``REPORT_KEEP_DAYS`` days (issued reports kept)."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting import documents as documents_module
from reporting.models import Phase, ReportDocument
from reporting.tasks import TooManyJobs, reclaim, request_document
from tests.factories import PASSWORD
from tests.reporting import pdf_data
from tests.reporting.test_report_jobs import ask, run_worker

DEAD = "ishc-worker-1:4242:0badf00d"


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


@pytest.fixture
def signed_in(client, board):
    assert client.login(username=board.username, password=PASSWORD)
    return client


def die_while_running(document, *, attempts=1, minutes_ago=6):
    """What a worker killed mid-render (SIGKILL, out of memory, a reboot) leaves behind: the
    document running under its token with a lease that passed, the queue's row running."""
    lease = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ReportDocument.objects.filter(pk=document.pk).update(
        status="running", progress=35, step="Đang dàn trang", worker=DEAD,
        lease_until=lease, attempts=attempts,
    )  # fmt: skip
    DBTaskResult.objects.filter(id=document.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=lease, worker_ids=["dead"]
    )
    document.refresh_from_db()


def test_a_dead_workers_job_is_queued_again_when_its_page_is_opened(data, signed_in, monkeypatch):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    first_task = document.task_id
    die_while_running(document)

    page = signed_in.get(reverse("reports:status", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == "queued"
    assert document.attempts == 1
    assert document.worker == "" and document.failure == ""
    assert document.task_id != first_task
    # The dead worker's queue row is closed, the new one waits.
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(id=document.task_id).status == TaskResultStatus.READY
    html = page.content.decode()
    assert page["Refresh"] == "2"
    assert "Máy lập lần trước đã dừng giữa chừng; báo cáo đang được lập lại." in html

    run_worker(monkeypatch)
    document.refresh_from_db()
    assert (document.status, document.attempts, document.pages) == ("ready", 2, 4)
    assert document.worker == "" and document.lease_until is None
    assert "Refresh" not in signed_in.get(reverse("reports:status", args=[document.pk]))


def test_asking_again_for_a_stuck_job_queues_it_again(data, signed_in):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    die_while_running(document)
    again = ask(signed_in, province="02")
    assert again["Location"] == reverse("reports:status", args=[document.pk])
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 1)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1


def test_a_live_workers_lease_is_left_alone(data, signed_in):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    die_while_running(document, minutes_ago=-4)  # the lease ends in 4 minutes
    page = signed_in.get(reverse("reports:status", args=[document.pk]))
    document.refresh_from_db()
    assert (document.status, document.worker) == ("running", DEAD)
    assert page["Refresh"] == "2"


def test_after_three_dead_workers_the_page_shows_the_failure_and_stops(data, signed_in):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    die_while_running(document, attempts=3)
    page = signed_in.get(reverse("reports:status", args=[document.pk]))
    document.refresh_from_db()
    assert (document.status, document.failure) == ("failed", "worker_lost")
    assert "Refresh" not in page
    html = page.content.decode()
    assert "Máy lập báo cáo đã dừng giữa chừng." in html
    assert "Lập lại" in html
    assert DEAD not in html and "lease" not in html  # the technical text stays in the log

    # "Lập lại" asks again: a new round of renders.
    retry = ask(signed_in, province="02")
    assert retry["Location"] == reverse("reports:status", args=[document.pk])
    document.refresh_from_db()
    assert (document.status, document.attempts, document.failure) == ("queued", 0, "")


def test_a_job_no_worker_takes_fails_after_the_queue_wait(data, signed_in, settings):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    wait = datetime.timedelta(seconds=settings.REPORT_QUEUE_WAIT_SECONDS)
    assert abs(document.lease_until - (document.created_at + wait)) < datetime.timedelta(seconds=5)
    ReportDocument.objects.filter(pk=document.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    page = signed_in.get(reverse("reports:status", args=[document.pk]))
    document.refresh_from_db()
    assert (document.status, document.failure) == ("failed", "not_started")
    assert "Refresh" not in page
    assert "Chưa có máy nào nhận lập báo cáo này trong thời gian chờ" in page.content.decode()
    assert DBTaskResult.objects.get(id=document.task_id).status == TaskResultStatus.FAILED


def test_a_worker_stopped_by_signal_ends_its_lease(data, signed_in, monkeypatch):
    """db_worker turns SIGTERM/SIGINT into an exception inside the task: the lease ends at
    once and the job is queued again at the next look."""
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()

    def interrupted(*args, progress, **kwargs):
        progress(5, "Đang tính số liệu")
        raise KeyboardInterrupt

    monkeypatch.setattr(documents_module, "render_report", interrupted)
    with pytest.raises(KeyboardInterrupt):
        documents_module.run_document(document.pk)
    document.refresh_from_db()
    assert document.status == "running" and document.lease_until <= timezone.now()
    assert reclaim() == 1
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 1)


def test_a_worker_whose_job_was_reclaimed_stops_and_writes_nothing(data, signed_in, monkeypatch):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    seen = []

    def slow(*args, progress, **kwargs):
        progress(5, "Đang tính số liệu")
        # The worker stalls past its lease; the job is reclaimed and queued again meanwhile.
        ReportDocument.objects.filter(pk=document.pk).update(
            lease_until=timezone.now() - datetime.timedelta(seconds=1)
        )
        seen.append(reclaim())
        progress(35, "Đang dàn trang")
        raise AssertionError("not reached")

    monkeypatch.setattr(documents_module, "render_report", slow)
    documents_module.run_document(document.pk)
    document.refresh_from_db()
    assert seen == [1]
    assert (document.status, document.attempts, document.progress) == ("queued", 1, 0)


def test_the_task_ended_without_the_document(data, signed_in):
    """The queue says the task finished (its code raised before the render started) while the
    document still says running: reclaimed without waiting for the lease."""
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    die_while_running(document, minutes_ago=-4)
    DBTaskResult.objects.filter(id=document.task_id).update(status=TaskResultStatus.FAILED)
    assert reclaim() == 1
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 1)


def test_renew_lease_and_heartbeat(data, signed_in, settings, monkeypatch):
    ask(signed_in, province="02")
    document = ReportDocument.objects.get()
    die_while_running(document)
    rows = ReportDocument.objects.filter(pk=document.pk, worker=DEAD)
    assert documents_module.renew_lease(rows) is True
    document.refresh_from_db()
    ahead = document.lease_until - timezone.now()
    assert datetime.timedelta(seconds=settings.REPORT_LEASE_SECONDS - 5) < ahead
    assert ahead <= datetime.timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    other = ReportDocument.objects.filter(pk=document.pk, worker="someone-else")
    assert documents_module.renew_lease(other) is False

    beaten = threading.Event()

    def renew(r):
        beaten.set()
        return False  # the lease is lost: the heartbeat stops

    monkeypatch.setattr(documents_module, "renew_lease", renew)
    with documents_module.heartbeat(rows, 0.001):
        assert beaten.wait(timeout=30)


def test_at_most_three_jobs_per_user(data, signed_in, client, make):
    for day in ("2019-06-28", "2019-06-29", "2019-06-30"):
        assert ask(signed_in, province="02", date=day).status_code == 302
    fourth = ask(signed_in, province="02", date="2019-06-27")
    assert fourth.status_code == 429
    assert (
        "Bạn đang có 3 báo cáo chờ lập, là số tối đa cùng lúc. Hãy đợi một báo cáo xong rồi "
        "yêu cầu tiếp." in fourth.content.decode()
    )
    assert ReportDocument.objects.count() == 3
    # A report already queued is still found (no new job)...
    assert ask(signed_in, province="02", date="2019-06-30").status_code == 302
    # ... and once a job ends, a new one may be asked for.
    ReportDocument.objects.filter(as_of=datetime.date(2019, 6, 28)).update(status="ready")
    assert ask(signed_in, province="02", date="2019-06-27").status_code == 302
    assert ReportDocument.objects.count() == 4
    # Another user has a limit of their own.
    signed_in.logout()
    other = make.user("board_2", role="board")
    assert client.login(username=other.username, password=PASSWORD)
    assert ask(client, province="02", date="2019-06-26").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_never_pass_the_limit(units, make):
    """PostgreSQL: the user's row is locked while counting; SQLite: the write transaction holds
    the database's write lock from its start. Two jobs queued, two new requests at once: one is
    queued, the other refused."""
    user = make.user("board_c", role="board")
    phase = Phase.objects.get(code=pdf_data.PHASE)
    province = make.province("pre2025", "02")
    for day in (1, 2):
        request_document(
            phase=phase, as_of=datetime.date(2019, 6, day), province=province, user=user
        )
    start = threading.Barrier(2)
    outcomes = []

    def run(day):
        try:
            start.wait(timeout=30)
            request_document(
                phase=phase, as_of=datetime.date(2019, 6, day), province=province, user=user
            )
            outcomes.append("queued")
        except TooManyJobs:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(day,)) for day in (10, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["queued", "refused"]
    assert ReportDocument.objects.filter(requested_by=user).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_reclaims_at_once_queue_the_job_once(units, make):
    user = make.user("board_d", role="board")
    phase = Phase.objects.get(code=pdf_data.PHASE)
    document, _ = request_document(
        phase=phase, as_of=datetime.date(2019, 6, 30), province=None, user=user
    )
    die_while_running(document)
    start = threading.Barrier(2)
    ended = []

    def run():
        try:
            start.wait(timeout=30)
            ended.append(reclaim())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(ended) == [0, 1]
    document.refresh_from_db()
    assert (document.status, document.attempts) == ("queued", 1)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_clean_reports_reclaims_and_deletes_old_renders(data, board, settings):
    settings.REPORT_KEEP_DAYS = 30
    phase = Phase.objects.get(code=pdf_data.PHASE)
    now = timezone.now()
    days = datetime.timedelta(days=1)

    def document(day, status, finished_days_ago=None, **fields):
        finished = now - finished_days_ago * days if finished_days_ago is not None else None
        made = ReportDocument.objects.create(
            phase=phase, as_of=datetime.date(2019, 6, day), data_version="v1", status=status,
            finished_at=finished, content=b"%PDF-1.7" if status == "ready" else None, **fields,
        )  # fmt: skip
        return made.pk

    old_ready = document(1, "ready", 31)
    recent_ready = document(2, "ready", 29)
    old_failed = document(3, "failed", 40)
    issued = document(4, "ready", 400, issued_at=now - 399 * days)
    stuck = document(5, "running", None, worker=DEAD, lease_until=now - days, attempts=3)
    waiting = document(6, "queued", None, lease_until=now + days)
    old_task = DBTaskResult.objects.create(
        args_kwargs={"args": [old_ready], "kwargs": {}}, task_path="x", backend_name="default",
        run_after=now, status=TaskResultStatus.SUCCESSFUL, finished_at=now - 31 * days,
    )  # fmt: skip

    out = io.StringIO()
    call_command("clean_reports", stdout=out)
    assert out.getvalue() == "jobs reclaimed: 1; renders deleted: 2; queue rows deleted: 1\n"
    left = dict(ReportDocument.objects.values_list("pk", "status"))
    assert left == {recent_ready: "ready", issued: "ready", stuck: "failed", waiting: "queued"}
    assert old_ready not in left and old_failed not in left
    assert not DBTaskResult.objects.filter(id=old_task.id).exists()
