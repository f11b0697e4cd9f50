"""An import's new rows and their history, written in bulk (with COPY on PostgreSQL from
``COPY_FROM`` rows, lowered here so that a few rows take that path; SQLite takes the ORM's)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from members.models import HouseholdAssessment, Member
from spreadsheets import bulk
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx


@pytest.fixture(autouse=True)
def _few_rows_are_copied(monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM", 2)


def test_rows_and_their_history_with_users_and_reasons(make, officer_a, admin_user):
    club = make.club(code="101")
    joined = datetime.date(2018, 3, 1)
    objs = [
        Member(club=club, code=f"A{i}", full_name=f"Lò Thị {i}", sex="female", birth_year=1950)
        for i in (1, 2, 3)
    ]
    for obj in objs:
        obj.joined_on = joined
        obj.normalise()
    objs[2]._history_user = admin_user
    objs[2]._change_reason = "Sửa tay"
    bulk.create_with_history(
        objs, Member, default_user=officer_a, default_change_reason="Nhập từ tệp"
    )
    assert len({o.pk for o in objs}) == 3 and all(o.pk for o in objs)
    stored = Member.objects.filter(club=club).order_by("code")
    assert [(m.pk, m.code, m.full_name, m.search_key) for m in stored] == [
        (objs[0].pk, "A1", "Lò Thị 1", "lo thi 1"),
        (objs[1].pk, "A2", "Lò Thị 2", "lo thi 2"),
        (objs[2].pk, "A3", "Lò Thị 3", "lo thi 3"),
    ]
    history = Member.history.filter(club=club).order_by("code")
    assert [
        (h.id, h.code, h.history_type, h.history_user, h.history_change_reason) for h in history
    ] == [
        (objs[0].pk, "A1", "+", officer_a, "Nhập từ tệp"),
        (objs[1].pk, "A2", "+", officer_a, "Nhập từ tệp"),
        (objs[2].pk, "A3", "+", admin_user, "Sửa tay"),
    ]
    assert all(h.joined_on == joined and h.history_date is not None for h in history)


def test_a_constraint_is_checked_and_nothing_is_written(make, officer_a):
    club = make.club(code="101")
    objs = [
        Member(club=club, code=code, full_name="Lò Thị Mai", sex="female", birth_year=year)
        for code, year in (("A1", 1950), ("A2", 3000))  # 3000: not a plausible birth year
    ]
    for obj in objs:
        obj.joined_on = datetime.date(2018, 3, 1)
        obj.normalise()
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.create_with_history(objs, Member, default_user=officer_a)
    assert not Member.objects.filter(club=club).exists()
    assert not Member.history.filter(club=club).exists()


def test_an_import_writes_members_assessments_and_history(make, officer_a):
    make.club(code="101")
    head = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
    rows = [
        [*head, "Ngày tham gia"],
        ["101", "A1", "Lò Thị Mai", "Nữ", "03/04/1950", "Hộ nghèo", "01/03/2018"],
        ["101", "A2", "Lò Văn Nam", "Nam", 1948, "Hộ cận nghèo", "05/03/2018"],
        ["101", "A3", "Lò Thị Hoa", "Nữ", 1944, "Khó khăn", "06/03/2018"],
    ]
    report = import_file(kind="members", content=xlsx(rows), filename="tv.xlsx", user=officer_a)
    assert report.imported, report.errors
    assessments = HouseholdAssessment.objects.order_by("member__code")
    assert [(a.member.code, a.assessed_on, a.status) for a in assessments] == [
        ("A1", datetime.date(2018, 3, 1), "poor"),
        ("A2", datetime.date(2018, 3, 5), "near_poor"),
        ("A3", datetime.date(2018, 3, 6), "disadvantaged"),
    ]
    for model in (Member, HouseholdAssessment):
        history = model.history.all()
        assert len(history) == 3
        assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
            ("+", officer_a, report.batch.reason)
        }
    assert report.batch.reason.startswith("Nhập từ tệp «tv.xlsx» lúc ")
    mai = Member.objects.get(code="A1")
    assert (mai.birth_year, mai.birth_month, mai.birth_day, mai.sex) == (1950, 4, 3, "female")
