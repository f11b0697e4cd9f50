"""Every write path of programme data sends ``data_changed`` inside its transaction, naming the
clubs it touched; bulk paths (imports, commands) too, although ``bulk_create`` and
``QuerySet.update()`` send no model signals."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from clubs.models import Club
from common.signals import data_changed
from members.models import Member
from members.privacy import anonymise
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """The ``(sender label, club_ids, inside the writer's own transaction)`` of every
    ``data_changed`` sent (the test runs in a transaction of its own, so a writer's atomic
    block shows as a savepoint)."""
    received = []

    def receiver(sender, club_ids=None, **kwargs):
        ids = None if club_ids is None else set(club_ids)
        received.append((sender._meta.label, ids, bool(connection.savepoint_ids)))

    data_changed.connect(receiver, dispatch_uid="test-data-changed")
    yield received
    data_changed.disconnect(dispatch_uid="test-data-changed")


def _import(kind, rows, user):
    report = import_file(kind=kind, content=xlsx(rows), filename="f.xlsx", user=user)
    assert report.imported, report.errors
    return report


MEMBERS = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
MEMBERS += ["Ngày tham gia"]


def test_members_import_names_its_clubs(make, officer_a, sent):
    a, b = make.club(code="101"), make.club(code="102")
    make.club(code="103")
    rows = [MEMBERS, ["101", "1", "Lò Thị Dung", "Nữ", 1950, "Hộ nghèo", "01/04/2018"]]
    rows.append(["102", "1", "Lò Văn Sơn", "Nam", 1948, "Không", "01/04/2018"])
    sent.clear()
    _import("members", rows, officer_a)
    bulk = [s for s in sent if s[0] == "members.Member"]
    assert bulk == [("members.Member", {a.pk, b.pk}, True)]


def test_loans_import_names_its_club(make, officer_a, sent):
    club = make.club(code="101")
    make.member(club, code="A1", joined_on=datetime.date(2018, 3, 1))
    rows = [["Mã CLB", "Mã thành viên", "Hình thức", "Số tiền (đồng)", "Ngày giải ngân"]]
    rows.append(["101", "A1", "Tiền mặt", "1.500.000", "01/04/2018"])
    sent.clear()
    _import("loans", rows, officer_a)
    assert ("loans.Loan", {club.pk}, True) in sent


def test_monitoring_and_training_imports_name_their_clubs(make, officer_a, sent):
    club = make.club(code="101")
    sent.clear()
    _import("monitoring", [["Mã CLB", "Ngày giám sát"], ["101", "05/03/2019"]], officer_a)
    assert ("training.MonitoringVisit", {club.pk}, True) in sent
    sent.clear()
    rows = [["Mã lớp", "Tên lớp", "Ngày", "Mã CLB"], ["TH1", "Lớp", "05/03/2019", "101"]]
    _import("training", rows, officer_a)
    assert ("training.Attendance", {club.pk}, True) in sent


def test_clubs_import_names_its_clubs(make, officer_a, sent):
    commune = make.whole_old_commune("02")
    rows = [["Mã CLB", "Tên CLB", "Tỉnh/Thành phố", "Xã/Phường", "Ngày thành lập"]]
    rows.append(["N1", "CLB mới", "02", commune.code, "01/03/2018"])
    sent.clear()
    _import("clubs", rows, officer_a)
    new = Club.objects.get(code="N1")
    assert ("clubs.Club", {new.pk}, True) in sent


def test_a_rejected_import_sends_nothing(make, officer_a, sent):
    make.club(code="101")
    rows = [MEMBERS, ["101", "1", "Lò Thị Dung", "Nữ", 1950, "Hộ giàu", "01/04/2018"]]
    sent.clear()
    report = import_file(kind="members", content=xlsx(rows), filename="f.xlsx", user=officer_a)
    assert not report.imported
    assert sent == []


def test_form_saves_and_deletes_send_it(make, sent):
    club = make.club(code="101")
    sent.clear()
    member = make.member(club)
    assert [s[:2] for s in sent] == [("members.Member", {club.pk})]
    other = make.club(code="102")
    sent.clear()
    member.club = other
    member.save()
    assert [s[:2] for s in sent] == [("members.Member", {club.pk, other.pk})]
    sent.clear()
    member.delete()
    assert [s[:2] for s in sent] == [("members.Member", {other.pk})]


def test_anonymise_sends_it(make, sent):
    club = make.club(code="101")
    member = make.member(club, joined_on=datetime.date(2018, 3, 1))
    Member.objects.filter(pk=member.pk).update(left_on=datetime.date(2019, 1, 1))
    member.refresh_from_db()
    sent.clear()
    anonymise(member)
    assert ("members.Member", {club.pk}, True) in sent


def test_load_units_sends_it_only_when_units_change(sent):
    from clubs.models import CommuneSuccession

    call_command("load_units", stdout=StringIO())
    assert sent == []  # loaded once per test database: nothing changed
    CommuneSuccession.objects.filter(pk=CommuneSuccession.objects.order_by("pk")[0].pk).delete()
    sent.clear()
    call_command("load_units", stdout=StringIO())
    assert [s[:2] for s in sent] == [("clubs.Province", None)]
