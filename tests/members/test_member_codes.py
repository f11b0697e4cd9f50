"""Every member has a code: assigned when none is typed (browser, quick entry, file), kept on
edits, shown in pickers; a file row without a code updates the one member of that name and
birth year; a namesake already stored is warned about, never refused."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, connections
from django.urls import reverse

from loans.forms import LoanForm
from members.models import Member, free_codes
from spreadsheets.services import export_rows, import_file
from spreadsheets.writers import write_csv
from tests import factories
from tests.spreadsheet_files import csv_bytes

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


@pytest.fixture
def club(db, province_a):
    return factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))


def test_free_codes_follow_the_highest_assigned_code_and_ignore_other_codes():
    assert free_codes(set(), 2) == ["TV1", "TV2"]
    assert free_codes({"TV1", "TV9", "001", "TV07", "X5"}, 1) == ["TV10"]


@pytest.mark.django_db
def test_a_member_saved_without_a_code_gets_the_next_one_of_its_club(club):
    factories.member(club, code="TV4")
    factories.member(club, code="017")
    other = factories.club(code="C-2")
    factories.member(other, code="TV8")
    member = factories.member(club, code="")
    assert member.code == "TV5"
    assert factories.member(club, code="").code == "TV6"


@pytest.mark.django_db
def test_the_member_form_assigns_a_code_and_an_edit_keeps_it(client, club, officer_a):
    client.force_login(officer_a)
    data = {
        "full_name": "Nguyễn Thị Dung",
        "sex": "female",
        "birth": "1943",
        "joined_on": "01/02/2018",
        "status": "poor",
        "code": "",
    }
    response = client.post(reverse("members:create", args=[club.pk]), data)
    assert response.status_code == 302
    member = Member.objects.get(club=club)
    assert member.code == "TV1"
    client.post(
        reverse("members:edit", args=[member.pk]), {**data, "full_name": "Nguyễn Thị Dung Mới"}
    )
    member.refresh_from_db()
    assert (member.full_name, member.code) == ("Nguyễn Thị Dung Mới", "TV1")


@pytest.mark.django_db
def test_a_namesake_in_the_club_is_warned_about_then_added_when_confirmed(client, club, officer_a):
    factories.member(club, code="TV1", full_name="Nguyễn Thị Dung", birth_year=1943)
    client.force_login(officer_a)
    data = {
        "full_name": "nguyễn thị  dung",
        "sex": "female",
        "birth": "1943",
        "joined_on": "01/02/2018",
        "status": "none",
        "code": "",
    }
    url = reverse("members:create", args=[club.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã có người cùng họ tên và năm sinh: Nguyễn Thị Dung, CLB C-1, mã TV1." in text
    assert 'value="nguyễn thị  dung"' in text  # what was typed is kept
    assert 'type="checkbox" name="namesake_checked"' in text
    assert Member.objects.filter(club=club).count() == 1
    response = client.post(url, {**data, "namesake_checked": "on"})
    assert response.status_code == 302
    assert sorted(Member.objects.filter(club=club).values_list("code", flat=True)) == [
        "TV1",
        "TV2",
    ]


@pytest.mark.django_db
def test_a_namesake_in_another_club_of_the_province_is_warned_a_different_year_is_not(
    client, club, officer_a
):
    other = factories.club(code="C-2")
    factories.member(other, code="7", full_name="Lò Văn Páo", birth_year=1950)
    client.force_login(officer_a)
    data = {"full_name": "Lò Văn Páo", "sex": "male", "joined_on": "01/02/2018"}
    data |= {"status": "none", "code": ""}
    url = reverse("members:create", args=[club.pk])
    assert "CLB C-2, mã 7" in client.post(url, {**data, "birth": "1950"}).content.decode()
    assert client.post(url, {**data, "birth": "1951"}).status_code == 302


@pytest.mark.django_db
def test_quick_entry_warns_on_the_namesake_row_and_saves_when_confirmed(client, club, officer_a):
    factories.member(club, code="TV3", full_name="Hà Thị Xuân", birth_year=1955)
    client.force_login(officer_a)
    data = {"joined_on": "01/02/2018", "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0"}
    rows = [("Hà Thị Xuân", "female", "1955"), ("Quan Văn Tài", "male", "1958")]
    for i, (name, sex, birth) in enumerate(rows):
        data |= {f"m-{i}-full_name": name, f"m-{i}-sex": sex, f"m-{i}-birth": birth}
        data[f"m-{i}-status"] = "none"
    url = reverse("members:quick", args=[club.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Hà Thị Xuân, CLB C-1, mã TV3" in response.content.decode()
    assert Member.objects.filter(club=club).count() == 1
    assert client.post(url, {**data, "namesake_checked": "on"}).status_code == 302
    assert sorted(Member.objects.filter(club=club).values_list("code", "full_name")) == [
        ("TV3", "Hà Thị Xuân"),
        ("TV4", "Hà Thị Xuân"),
        ("TV5", "Quan Văn Tài"),
    ]


@pytest.mark.django_db
def test_the_loan_form_tells_namesakes_apart_by_birth_year_and_code(club):
    factories.member(club, code="TV1", full_name="Nguyễn Thị Dung", birth_year=1943)
    factories.member(club, code="TV2", full_name="Nguyễn Thị Dung", birth_year=1943)
    labels = [label for _value, label in LoanForm(club=club).fields["member"].choices][1:]
    assert labels == ["Nguyễn Thị Dung (1943, mã TV1)", "Nguyễn Thị Dung (1943, mã TV2)"]


def _file(rows):
    return csv_bytes([HEAD, *rows])


@pytest.mark.django_db
def test_file_rows_without_a_code_get_codes_and_the_preview_says_which(club, officer_a):
    factories.member(club, code="TV2", full_name="Ma Thị Hoa", birth_year=1952)
    rows = [
        ["C-1", "", "Nông Văn Đường", "Nam", "1949", "Không", "01/03/2018"],
        ["C-1", "TV3", "Lý Văn Sáu", "Nam", "1950", "Không", "01/03/2018"],
        ["C-1", "", "Bàn Thị Nga", "Nữ", "1947", "Hộ nghèo", "01/03/2018"],
    ]
    report = import_file(kind="members", content=_file(rows), filename="a.csv", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert sorted(Member.objects.filter(club=club).values_list("code", "full_name")) == [
        ("TV2", "Ma Thị Hoa"),
        ("TV3", "Lý Văn Sáu"),
        ("TV4", "Nông Văn Đường"),
        ("TV5", "Bàn Thị Nga"),
    ]
    notes = {r.row: r.notes for r in report.rows}
    assert notes == {
        2: ["thành viên mới, được cấp mã «TV4»."],
        3: [],
        4: ["thành viên mới, được cấp mã «TV5»."],
    }


@pytest.mark.django_db
def test_a_row_without_a_code_updates_the_one_namesake_and_keeps_its_code(club, officer_a):
    factories.member(club, code="TV1", full_name="Nguyễn Thị Dung", birth_year=1943)
    rows = [["C-1", "", "Nguyễn Thị Dung", "Nữ", "1943", "Hộ nghèo", "01/03/2018"]]
    report = import_file(kind="members", content=_file(rows), filename="a.csv", user=officer_a)
    assert report.imported, [str(e) for e in report.errors]
    assert report.counts["updated"] == 1
    assert report.rows[0].notes == [
        "không có mã thành viên: cập nhật thành viên mã «TV1» cùng họ tên và năm sinh."
    ]
    member = Member.objects.get(club=club)
    assert (member.code, member.joined_on) == ("TV1", datetime.date(2018, 3, 1))


@pytest.mark.django_db
def test_a_row_without_a_code_and_two_namesakes_asks_for_the_code(club, officer_a):
    factories.member(club, code="TV1", full_name="Nguyễn Thị Dung", birth_year=1943)
    factories.member(club, code="TV2", full_name="Nguyễn Thị Dung", birth_year=1943)
    rows = [["C-1", "", "Nguyễn Thị Dung", "Nữ", "1943", "Không", "01/03/2018"]]
    report = import_file(kind="members", content=_file(rows), filename="a.csv", user=officer_a)
    assert not report.imported
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (
            2,
            "Mã thành viên",
            "Có 2 thành viên cùng họ tên và năm sinh trong CLB (mã TV1, TV2): hãy ghi mã "
            "thành viên.",
        )
    ]


@pytest.mark.django_db
def test_the_club_export_with_two_namesakes_reimports_unchanged(club, officer_a):
    factories.member(club, code="", full_name="Nguyễn Thị Dung", birth_year=1943)
    factories.member(club, code="", full_name="Nguyễn Thị Dung", birth_year=1943)
    headers, rows, _resource = export_rows(kind="members", user=officer_a)
    content = write_csv(headers, rows)
    report = import_file(kind="members", content=content, filename="a.csv", user=officer_a)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 2, "error": 0}


@pytest.mark.django_db
def test_a_new_code_with_a_namesake_elsewhere_in_the_province_is_a_warning(club, officer_a):
    other = factories.club(code="C-2")
    factories.member(other, code="5", full_name="Lò Thị Mai", birth_year=1950)
    rows = [["C-1", "88", "Lò Thị Mai", "Nữ", "1950", "Không", "01/03/2018"]]
    report = import_file(kind="members", content=_file(rows), filename="a.csv", user=officer_a)
    assert report.imported
    assert report.rows[0].warnings == [
        "Đã có người cùng họ tên và năm sinh: Lò Thị Mai, CLB C-2, mã 5. Có phải cùng một người?"
    ]


@pytest.mark.django_db(transaction=True)
def test_two_writers_adding_members_to_one_club_at_once_get_different_codes(units):
    club = factories.club(code="C-9", founded_on=datetime.date(2018, 1, 1))
    barrier = threading.Barrier(2)
    errors = []

    def add(name):
        try:
            barrier.wait(timeout=10)
            factories.member(club, code="", full_name=name)
        except Exception as error:  # noqa: BLE001 (reported by the assertion)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in ("Người Một", "Người Hai")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Member.objects.filter(club=club).values_list("code", flat=True)) == [
        "TV1",
        "TV2",
    ], connection.vendor


@pytest.mark.django_db
def test_the_migration_gives_stored_members_without_a_code_one_in_joining_order(club):
    factories.member(club, code="TV2")
    Member.objects.bulk_create(  # stored before every member had a code (no save())
        [
            Member(club=club, full_name="B", sex="male", birth_year=1950, joined_on=day)
            for day in (datetime.date(2019, 5, 1), datetime.date(2018, 2, 1))
        ]
    )
    migration = importlib.import_module("members.migrations.0003_assign_member_codes")
    migration.assign(apps, None)
    joined = dict(Member.objects.filter(club=club).values_list("joined_on", "code"))
    assert joined == {
        club.founded_on: "TV2",
        datetime.date(2018, 2, 1): "TV3",
        datetime.date(2019, 5, 1): "TV4",
    }
