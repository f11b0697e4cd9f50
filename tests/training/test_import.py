"""Training attendance and monitoring imports: keys, re-import, export round trip, scoping."""

import datetime

from spreadsheets.services import export_rows, import_file
from spreadsheets.writers import write_xlsx
from tests.spreadsheet_files import xlsx
from training.models import Attendance, MonitoringVisit, TrainingSession

TRAINING = ["Mã lớp", "Tên lớp", "Ngày", "Loại", "Mã CLB", "Số người tham gia"]


def test_training_rows_share_a_session_and_reimport_unchanged(make, officer_a):
    make.club(code="101")
    make.club(code="102")
    rows = [
        TRAINING,
        ["TH1", "Lớp kỹ năng", "05/03/2019", "Tập huấn mẫu", "101", 12],
        ["TH1", "Lớp kỹ năng", "05/03/2019", "Tập huấn mẫu", "102", ""],
    ]
    report = import_file(kind="training", content=xlsx(rows), filename="t.xlsx", user=officer_a)
    assert report.imported, report.errors
    session = TrainingSession.objects.get()
    assert (session.held_on, session.level, session.province.code) == (
        datetime.date(2019, 3, 5),
        "model",
        "08",
    )
    assert sorted(Attendance.objects.values_list("club__code", "participants")) == [
        ("101", 12),
        ("102", None),
    ]
    again = import_file(kind="training", content=xlsx(rows), filename="t.xlsx", user=officer_a)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "error": 0}
    headers, exported, resource = export_rows(kind="training", user=officer_a)
    back = import_file(
        kind="training", content=write_xlsx(headers, exported), filename="e.xlsx", user=officer_a
    )
    assert back.counts["unchanged"] == 2, back.errors
    rows[2][1] = "Tên khác"
    bad = import_file(kind="training", content=xlsx(rows), filename="t.xlsx", user=officer_a)
    assert [(e.row, e.column) for e in bad.errors] == [(3, "Mã lớp")]


def test_monitoring_key_is_club_and_date(make, officer_a, officer_b):
    make.club(code="101")
    make.club(code="202", province_code="83")
    head = ["Mã CLB", "Ngày giám sát", "Người giám sát", "Ghi chú"]
    rows = [head, ["101", "01/06/2019", "Trần Văn Giám", "-tốt"], ["101", "01/06/2019", "", ""]]
    report = import_file(kind="monitoring", content=xlsx(rows), filename="m.xlsx", user=officer_a)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Ngày giám sát")]
    report = import_file(
        kind="monitoring", content=xlsx(rows[:2]), filename="m.xlsx", user=officer_a
    )
    assert report.imported
    headers, exported, _res = export_rows(kind="monitoring", user=officer_a)
    assert exported == [["101", datetime.date(2019, 6, 1), "Trần Văn Giám", "-tốt"]]
    content = write_xlsx(headers, exported)
    back = import_file(kind="monitoring", content=content, filename="m.xlsx", user=officer_a)
    assert back.counts["unchanged"] == 1 and MonitoringVisit.objects.get().notes == "-tốt"
    assert export_rows(kind="monitoring", user=officer_b)[1] == []


def test_a_session_dated_after_today_is_a_row_error(make, officer_a):
    make.club(code="101")
    rows = [TRAINING, ["TH9", "Lớp chưa tổ chức", "30/12/9999", "Tập huấn mẫu", "101", 5]]
    report = import_file(kind="training", content=xlsx(rows), filename="t.xlsx", user=officer_a)
    assert not report.imported
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "Ngày", "Ngày tổ chức không được sau hôm nay.")
    ]
    assert not TrainingSession.objects.exists()
