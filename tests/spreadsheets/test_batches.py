"""Import batches: the history reason naming the file and batch, the import history page, and the
undo of a whole batch (refused while a later change touched its rows; one undo of two at once)."""

import datetime
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from clubs.models import Club
from common.signals import data_changed
from loans.models import Loan
from members.models import HouseholdAssessment, Member
from spreadsheets import batches
from spreadsheets.models import ImportBatch
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx
from training.models import Attendance, TrainingSession

MEMBER_HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Hoàn cảnh",
    "Ngày tham gia",
    "Số điện thoại",
]
LOAN_HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Mã khoản vay",
    "Hình thức",
    "Số tiền (đồng)",
    "Ngày giải ngân",
]
UTC = datetime.UTC


@pytest.fixture
def club(db, make):
    return make.club(code="101")  # old Hà Giang, now Tuyên Quang: officer_a's province


def import_members(rows, user, filename="ds-thanh-vien.xlsx"):
    report = import_file(
        kind="members", content=xlsx([MEMBER_HEAD, *rows]), filename=filename, user=user
    )
    assert report.imported, report.errors
    return report.batch


@pytest.fixture
def changes():
    """The ``data_changed`` signals sent: ``[(sender, club_ids)]``."""
    sent = []

    def receive(sender, club_ids, **kwargs):
        sent.append((sender, club_ids))

    data_changed.connect(receive, weak=False, dispatch_uid="test-batches")
    yield sent
    data_changed.disconnect(dispatch_uid="test-batches")


# --- the reason in the history ---------------------------------------------------------------


def test_reason_is_shortened_to_the_history_field():
    moment = datetime.datetime(2026, 12, 1, 7, 5, tzinfo=UTC)  # 14:05 in Hà Nội (UTC+7)
    assert (
        batches.batch_reason("ds-thanh-vien.xlsx", moment, "officer", 12)
        == "Nhập từ tệp «ds-thanh-vien.xlsx» lúc 14:05 01/12/2026 bởi officer (lô 12)"
    )
    long_name = "a" * 120 + ".xlsx"
    reason = batches.batch_reason(long_name, moment, "officer", 12)
    # 13 characters before the name and 42 after it leave 45: 39 of the stem, "…" and ".xlsx"
    assert reason == (
        "Nhập từ tệp «" + "a" * 39 + "….xlsx» lúc 14:05 01/12/2026 bởi officer (lô 12)"
    )
    assert len(reason) == 100
    assert (
        batches.batch_reason("x.csv", moment, "", 7)
        == "Nhập từ tệp «x.csv» lúc 14:05 01/12/2026 (lô 7)"
    )
    assert batches.batch_number(reason) == 12
    assert batches.batch_number("Hoàn tác lô 5 (tệp «x.csv») bởi admin") == 5
    assert batches.batch_number("Sửa tay") is None


def test_history_of_an_imported_member_names_the_file_and_batch(
    club, officer_a, client, monkeypatch
):
    moment = datetime.datetime(2026, 12, 1, 7, 5, tzinfo=UTC)
    monkeypatch.setattr(batches.timezone, "now", lambda: moment)
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Hộ nghèo", "01/03/2018", ""]], officer_a
    )
    expected = (
        f"Nhập từ tệp «ds-thanh-vien.xlsx» lúc 14:05 01/12/2026 bởi officer_a (lô {batch.pk})"
    )
    assert batch.reason == expected
    mai = Member.objects.get(code="A1")
    assert mai.history.get().history_change_reason == expected
    assert mai.assessments.get().history.get().history_change_reason == expected
    assert (batch.kind, batch.file_name, batch.user, batch.new_count) == (
        "members",
        "ds-thanh-vien.xlsx",
        officer_a,
        1,
    )
    assert batch.club_ids == [club.pk]
    client.force_login(officer_a)
    page = client.get(reverse("members:detail", args=[mai.pk])).content.decode()
    assert expected in page
    assert reverse("spreadsheets:batch", args=[batch.pk]) in page


def test_a_dry_run_or_a_rejected_file_records_no_batch(club, officer_a):
    rows = [MEMBER_HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]]
    import_file(kind="members", content=xlsx(rows), filename="a.xlsx", user=officer_a, dry_run=True)
    bad = [MEMBER_HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "31/02/2018", ""]]
    assert not import_file(kind="members", content=xlsx(bad), filename="b.xlsx", user=officer_a).ok
    assert not ImportBatch.objects.exists()


# --- undo ------------------------------------------------------------------------------------


def figures(club):
    """The kept counts of ``club`` on 01/01/2019 (read, and kept, by the reporting app)."""
    from reporting.figures import club_counts

    got = club_counts([club.pk], datetime.date(2019, 1, 1))[club.pk]
    return got["active"], got["women"], got["poor"]


def test_undo_of_an_import_that_created_members(club, make, officer_a, changes):
    kept = make.member(club, code="A0", full_name="Hoàng Văn Cũ", sex="male")
    assert figures(club) == (1, 0, 0)
    batch = import_members(
        [
            ["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Hộ nghèo", "01/03/2018", ""],
            ["101", "A2", "Lò Văn Nam", "Nam", "1948", "Hộ cận nghèo", "01/03/2018", ""],
        ],
        officer_a,
    )
    assert Member.objects.filter(club=club).count() == 3
    assert HouseholdAssessment.objects.filter(member__club=club).count() == 2
    # Mai (a woman, poor) and Nam (near-poor) joined on 01/03/2018 besides Cũ
    assert figures(club) == (3, 1, 2)
    created = list(Member.objects.filter(code__in=["A1", "A2"]).values_list("pk", flat=True))
    changes.clear()

    result = batches.undo(batch.pk, user=officer_a)

    assert result.done and (result.deleted, result.restored) == (4, 0)  # 2 members, 2 statuses
    assert list(Member.objects.filter(club=club)) == [kept]
    assert not HouseholdAssessment.objects.filter(member__club=club).exists()
    batch.refresh_from_db()
    assert batch.is_undone and batch.undone_by == officer_a
    assert (Member, frozenset({club.pk})) in changes
    assert figures(club) == (1, 0, 0)  # the kept figures were marked and counted again
    gone = Member.history.filter(id__in=created, history_type="-")
    assert gone.count() == 2
    assert set(gone.values_list("history_change_reason", flat=True)) == {
        f"Hoàn tác lô {batch.pk} (tệp «ds-thanh-vien.xlsx») bởi officer_a"
    }
    # a second undo does nothing
    again = batches.undo(batch.pk, user=officer_a)
    assert again.already and not again.done
    assert Member.history.filter(id__in=created, history_type="-").count() == 2


def test_undo_of_an_import_that_updated_members_restores_every_value(club, make, officer_a):
    mai = make.member(
        club,
        code="A1",
        full_name="Lò Thị Mai",
        birth_year=1950,
        joined_on=datetime.date(2018, 3, 1),
        status="near_poor",
        phone="",
    )
    nam = make.member(
        club, code="A2", full_name="Lò Văn Nam", sex="male", birth_year=1948, status=None
    )
    batch = import_members(
        [
            # name, phone and the status assessed at joining (a correction) change
            ["101", "A1", "Lò Thị Mai Anh", "Nữ", "1950", "Hộ nghèo", "01/03/2018", "0912345678"],
            # the status assessed at joining is added (Nam had none)
            ["101", "A2", "Lò Văn Nam", "Nam", "1948", "Khó khăn", "01/03/2018", ""],
        ],
        officer_a,
    )
    assert (batch.new_count, batch.updated_count) == (0, 2)
    mai.refresh_from_db()
    assert (mai.full_name, mai.phone) == ("Lò Thị Mai Anh", "0912345678")
    assert mai.assessments.get().status == "poor"

    result = batches.undo(batch.pk, user=officer_a)

    assert result.done
    mai.refresh_from_db()
    assert (mai.full_name, mai.phone, mai.birth_year) == ("Lò Thị Mai", "", 1950)
    assert mai.search_key == "lo thi mai"  # the stored search key follows the restored name
    assert mai.assessments.get().status == "near_poor"
    assert not nam.assessments.exists()
    assert Member.objects.get(pk=nam.pk).full_name == "Lò Văn Nam"
    latest = mai.history.order_by("-history_id").first()
    assert latest.full_name == "Lò Thị Mai"
    assert latest.history_change_reason.startswith(f"Hoàn tác lô {batch.pk} ")


def test_undo_of_a_loans_import(club, make, officer_a):
    mai = make.member(club, code="A1", joined_on=datetime.date(2018, 3, 1))
    old = make.loan(mai, datetime.date(2018, 4, 1), code="L0", amount_vnd=2_000_000)
    rows = [
        LOAN_HEAD,
        ["101", "A1", "L0", "Tiền mặt", "3.000.000", "01/04/2018"],
        ["101", "A1", "L1", "Tiền mặt", "1.500.000", "02/05/2018"],
    ]
    report = import_file(kind="loans", content=xlsx(rows), filename="vay.xlsx", user=officer_a)
    assert report.imported, report.errors
    assert report.counts["new"] == 1 and report.counts["updated"] == 1
    assert Loan.objects.get(code="L0").amount_vnd == 3_000_000

    assert batches.undo(report.batch.pk, user=officer_a).done

    assert list(Loan.objects.values_list("code", "amount_vnd")) == [("L0", 2_000_000)]
    assert Loan.objects.get().pk == old.pk


def test_undo_of_a_training_import_removes_the_session_it_created(make, officer_a):
    make.club(code="101")
    rows = [
        ["Mã lớp", "Tên lớp", "Ngày", "Mã CLB", "Số người tham gia"],
        ["TH-9", "Lớp làm vườn", "05/05/2019", "101", 12],
    ]
    report = import_file(kind="training", content=xlsx(rows), filename="th.xlsx", user=officer_a)
    assert report.imported, report.errors
    assert batches.undo(report.batch.pk, user=officer_a).done
    assert not TrainingSession.objects.filter(code="TH-9").exists()
    assert not Attendance.objects.exists()


def test_undo_of_a_clubs_import_takes_the_kept_figures_along(make, admin_user):
    old = make.whole_old_commune("02")
    rows = [
        ["Mã CLB", "Tên CLB", "Tỉnh/Thành phố", "Quận/Huyện", "Xã/Phường", "Ngày thành lập"],
        ["301", "CLB Mới", "Hà Giang", old.district.name, old.name, "01/03/2018"],
    ]
    report = import_file(kind="clubs", content=xlsx(rows), filename="clb.xlsx", user=admin_user)
    assert report.imported, report.errors
    assert batches.undo(report.batch.pk, user=admin_user).done
    assert not Club.objects.filter(code="301").exists()


def test_undo_refused_after_a_later_edit_lists_it(club, officer_a, admin_user):
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]], officer_a
    )
    mai = Member.objects.get(code="A1")
    mai.phone = "0987654321"
    mai._history_user = admin_user
    mai.save()

    result = batches.undo(batch.pk, user=officer_a)

    assert not result.done and not result.already
    assert [(b.what, b.who, b.how) for b in result.blockers] == [
        ("Thành viên «Lò Thị Mai»", "admin", "sửa")
    ]
    assert Member.objects.get(pk=mai.pk).phone == "0987654321"
    batch.refresh_from_db()
    assert not batch.is_undone


def test_undo_refused_by_a_later_loan_of_a_created_member_and_by_a_later_import(
    club, make, officer_a
):
    batch = import_members(
        [
            ["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""],
            ["101", "A2", "Lò Văn Nam", "Nam", "1948", "Không", "01/03/2018", ""],
        ],
        officer_a,
    )
    make.loan(Member.objects.get(code="A1"), datetime.date(2018, 4, 1), code="L1")
    later = import_members(
        [["101", "A2", "Lò Văn Nam", "Nam", "1948", "Không", "01/03/2018", "0911111111"]],
        officer_a,
        filename="sua.xlsx",
    )
    blockers, more = batches.blockers(batch)
    assert more == 0
    assert {b.what for b in blockers} == {
        "Thành viên «Lò Văn Nam»",  # changed by the later import
        "Khoản vay «Lò Thị Mai – 2.000.000 đ (01/04/2018)»",  # hangs on a member it created
    }
    nam = next(b for b in blockers if b.what.startswith("Thành viên"))
    assert nam.how == f"sửa ({later.reason})"
    assert Member.objects.filter(club=club).count() == 2
    # the later import itself can be undone; its undo is a later change too, so still two
    assert batches.undo(later.pk, user=officer_a).done
    assert len(batches.blockers(batch)[0]) == 2


def test_undo_refused_after_the_record_was_deleted(club, officer_a):
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]], officer_a
    )
    Member.objects.get(code="A1").delete()
    blockers, _more = batches.blockers(batch)
    assert [b.how for b in blockers] == ["xoá"]


def test_anonymising_a_member_erases_the_values_a_batch_keeps(club, make, officer_a):
    from members.privacy import anonymise
    from spreadsheets.models import BatchRow

    mai = make.member(club, code="A1", full_name="Lò Thị Mai", phone="0911111111")
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", "0922222222"]],
        officer_a,
    )
    row = BatchRow.objects.get(batch=batch, model="members.member")
    assert row.before == {"phone": "0911111111"}
    mai.refresh_from_db()
    mai.left_on = datetime.date(2020, 1, 1)
    mai.save()
    anonymise(mai)
    row.refresh_from_db()
    assert row.before == {"phone": ""}
    assert batches.blockers(batch)[0]  # and the batch can no longer be undone


# --- pages and permissions -------------------------------------------------------------------


def test_list_and_detail_pages(club, officer_a, officer_b, admin_user, board, client):
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]], officer_a
    )
    client.force_login(officer_a)
    page = client.get(reverse("spreadsheets:batches")).content.decode()
    assert "Lịch sử nhập dữ liệu" in page and "ds-thanh-vien.xlsx" in page
    assert "Hoàn tác…" in page
    detail = client.get(reverse("spreadsheets:batch", args=[batch.pk])).content.decode()
    assert reverse("spreadsheets:batch_undo", args=[batch.pk]) in detail
    client.force_login(officer_b)  # another province: sees no batch of officer_a's
    assert "ds-thanh-vien.xlsx" not in client.get(reverse("spreadsheets:batches")).content.decode()
    assert client.get(reverse("spreadsheets:batch", args=[batch.pk])).status_code == 404
    client.force_login(board)  # reads every batch, undoes none
    assert "ds-thanh-vien.xlsx" in client.get(reverse("spreadsheets:batches")).content.decode()
    detail = client.get(reverse("spreadsheets:batch", args=[batch.pk])).content.decode()
    assert reverse("spreadsheets:batch_undo", args=[batch.pk]) not in detail
    client.force_login(admin_user)
    assert client.get(reverse("spreadsheets:batches"), {"page": "x"}).status_code == 200
    assert client.get(reverse("spreadsheets:batch", args=[99999])).status_code == 404


def test_who_may_undo(club, make, officer_a, officer_b, admin_user, board, client, province_a):
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]], officer_a
    )
    url = reverse("spreadsheets:batch_undo", args=[batch.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    colleague = make.user("officer_c", provinces=[province_a])
    for user, status in ((officer_b, 404), (colleague, 403), (board, 403)):
        client.force_login(user)
        assert client.post(url).status_code == status
    assert Member.objects.filter(code="A1").exists()
    client.force_login(admin_user)
    assert client.get(url).status_code == 405
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    assert csrf_client.post(url).status_code == 403
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("spreadsheets:batch", args=[batch.pk])
    assert "Đã hoàn tác lô" in response.content.decode()
    assert not Member.objects.filter(code="A1").exists()
    again = client.post(url, follow=True).content.decode()
    assert "đã được hoàn tác trước đó" in again
    assert client.post(reverse("spreadsheets:batch_undo", args=[99999])).status_code == 404


def test_the_officer_who_imported_may_undo_and_a_blocked_undo_says_why(
    club, officer_a, admin_user, client
):
    batch = import_members(
        [["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018", ""]], officer_a
    )
    mai = Member.objects.get(code="A1")
    mai.phone = "0987654321"
    mai._history_user = admin_user
    mai.save()
    client.force_login(officer_a)
    response = client.post(reverse("spreadsheets:batch_undo", args=[batch.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Không hoàn tác được lô này" in page and "Thành viên «Lò Thị Mai»" in page
    assert Member.objects.filter(pk=mai.pk).exists()


# --- two undos at once -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_undos_do_one_thing(units, make):
    # PostgreSQL: the batch row is locked; SQLite: a transaction takes the write lock when it
    # begins (settings), so the second undo starts after the first committed.
    admin = make.user("admin", role="admin", is_superuser=True)
    make.club(code="101")
    batch = import_members(
        [
            ["101", "A1", "Lò Thị Mai", "Nữ", "1950", "Hộ nghèo", "01/03/2018", ""],
            ["101", "A2", "Lò Văn Nam", "Nam", "1948", "Không", "01/03/2018", ""],
        ],
        admin,
    )
    ids = list(Member.objects.values_list("pk", flat=True))
    start = threading.Barrier(2)
    results = []

    def run():
        try:
            start.wait(timeout=30)
            results.append(batches.undo(batch.pk, user=admin))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted((r.done, r.already) for r in results) == [(False, True), (True, False)]
    assert not Member.objects.exists()
    # one deletion each in the history, not two
    assert Member.history.filter(id__in=ids, history_type="-").count() == 2
