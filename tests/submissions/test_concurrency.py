"""An acceptance and a write into the period at the same moment (two threads, each with its own
connection): either the write commits first and the acceptance is refused (the snapshot no
longer matches), or the acceptance commits first and the write is refused; never an accepted
period holding a write it did not see."""

import datetime
import threading

import pytest
from django.db import connections

from members.models import Member
from spreadsheets.services import import_file
from submissions import flow
from submissions.models import Period, Status, Submission
from tests import factories
from tests.spreadsheet_files import xlsx

HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Hoàn cảnh",
    "Ngày tham gia",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_an_acceptance_and_a_write_at_once_never_leave_a_changed_accepted_period(units, attempt):
    province = factories.province("post2025", "08")
    officer = factories.user(f"officer_c{attempt}", provinces=[province])
    board = factories.user(f"board_c{attempt}", role="board")
    club = factories.club(code=f"C-{attempt}", founded_on=datetime.date(2018, 1, 1))
    factories.member(club, status="poor")
    period = Period.objects.get(ends_on=datetime.date(2025, 9, 30))
    submission = flow.submit(period, province, officer)
    content = xlsx([HEAD, [club.code, "N1", "Lò Thị Mới", "Nữ", "1950", "Hộ nghèo", "01/09/2025"]])
    barrier = threading.Barrier(2)
    results = {}

    def accept():
        try:
            barrier.wait(timeout=30)
            flow.review(submission.pk, board, accept=True)
            results["accept"] = "done"
        except flow.StepRefused:
            results["accept"] = "refused"
        finally:
            connections.close_all()

    def write():
        try:
            barrier.wait(timeout=30)
            report = import_file(kind="members", content=content, filename="m.xlsx", user=officer)
            results["write"] = "done" if report.imported else "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept), threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    status = Submission.objects.get(pk=submission.pk).status
    written = Member.objects.filter(code="N1").exists()
    assert (results, status, written) in [
        ({"accept": "refused", "write": "done"}, Status.SUBMITTED, True),
        ({"accept": "done", "write": "refused"}, Status.ACCEPTED, False),
    ]
