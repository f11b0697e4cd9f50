"""The per-row work of an import done without the import library's unused steps: each cell
cleaned by its widget straight onto the record, new records copied from a blank one, each
distinct club code and choice label read once per file. What a row gives is what the
library's own path gave: these tests pin it down with values worked out by hand."""

import datetime
import gc

import pytest

from members.models import Member
from members.resources import MemberResource
from spreadsheets import bulk
from spreadsheets.models import ColumnMapping, ImportBatch
from spreadsheets.rows import collector_paused, instance_maker
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx

HEAD = ["Mã CLB", "Mã thành viên", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh"]
HEAD += ["Ngày tham gia"]


def run(rows, user, dry_run=False):
    return import_file(
        kind="members", content=xlsx(rows), filename="tv.xlsx", user=user, dry_run=dry_run
    )


def test_a_copied_blank_member_is_the_member_the_model_makes():
    made = instance_maker(Member)()
    plain = Member()
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in plain.__dict__.items() if k != "_state"
    }
    assert made._state.adding and made._state.db is None
    other = instance_maker(Member)(code="A1", birth_year=1950)
    assert (other.code, other.birth_year, other.full_name) == ("A1", 1950, "")
    assert other._state is not made._state


def test_a_model_whose_default_is_computed_is_made_by_the_model():
    make = instance_maker(ColumnMapping)  # ``renamed`` defaults to a new dict each time
    first, second = make(), make()
    assert first.renamed == {} and first.renamed is not second.renamed


def test_an_unknown_attribute_is_refused_as_the_model_refuses_it():
    with pytest.raises(TypeError):
        instance_maker(Member)(nickname="Mai")


def test_a_field_set_on_save_is_read_through_its_pre_save():
    fields = {f.name: f for f in ColumnMapping._meta.concrete_fields}
    assert not bulk._stores_as_is(fields["updated_at"])  # auto_now
    assert bulk._stores_as_is(fields["headers_key"])
    assert bulk._stores_as_is({f.name: f for f in ImportBatch._meta.fields}["created_at"])


def test_a_blank_optional_cell_clears_the_stored_value(make, officer_a):
    club = make.club(code="101")
    make.member(
        club=club,
        code="A1",
        full_name="Lò Thị Mai",
        birth_year=1950,
        joined_on=datetime.date(2018, 3, 1),
        left_on=datetime.date(2020, 5, 1),
        leave_reason="moved",
        phone="0912345678",
    )
    head = HEAD + ["Ngày rời CLB", "Lý do rời CLB", "Số điện thoại"]
    rows = [head, ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018", "", "", ""]]
    report = run(rows, officer_a)
    assert report.imported, report.errors
    assert report.counts["updated"] == 1
    mai = Member.objects.get(code="A1")
    assert (mai.left_on, mai.leave_reason, mai.phone) == (None, "", "")


def test_every_row_naming_a_club_without_its_zeros_says_so(make, officer_a):
    make.club(code="001")
    rows = [
        HEAD,
        ["1", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
        [1, "A2", "Lò Văn Nam", "Nam", 1948, "Không", "01/03/2018"],
        ["1", "A3", "Lò Thị Hoa", "Nữ", 1944, "Không", "01/03/2018"],
    ]
    report = run(rows, officer_a, dry_run=True)
    assert report.ok, report.errors
    note = "Mã «1» được hiểu là «001» (bảng tính đã bỏ các số 0 ở đầu)."
    assert [(r.row, note in r.notes) for r in report.rows] == [(2, True), (3, True), (4, True)]


def test_every_row_with_a_club_code_not_found_is_listed(make, officer_a):
    make.club(code="101")
    rows = [
        HEAD,
        ["999", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"],
        ["101", "A2", "Lò Văn Nam", "Nam", 1948, "Không", "01/03/2018"],
        ["999", "A3", "Lò Thị Hoa", "Nữ", 1944, "Không", "01/03/2018"],
    ]
    report = run(rows, officer_a)
    assert not report.imported
    reason = "Không có CLB mã «999» trong các tỉnh bạn được quản lý."
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "Mã CLB", reason),
        (4, "Mã CLB", reason),
    ]
    assert not Member.objects.exists()


def test_every_row_with_a_wrong_label_is_listed_and_labels_read_in_any_case(make, officer_a):
    make.club(code="101")
    rows = [
        HEAD,
        ["101", "A1", "Lò Thị Mai", "nữ", 1950, "HỘ NGHÈO", "01/03/2018"],
        ["101", "A2", "Lò Văn Nam", "Nã", 1948, "Không", "01/03/2018"],
        ["101", "A3", "Lò Thị Hoa", "Nữ", 1944, "hộ nghèo", "01/03/2018"],
        ["101", "A4", "Lò Văn Tư", "Nã", 1946, "Không", "01/03/2018"],
    ]
    report = run(rows, officer_a, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Giới tính"), (5, "Giới tính")]
    rows = [r for r in rows if r[3] != "Nã"]
    report = run(rows, officer_a)
    assert report.imported, report.errors
    stored = Member.objects.order_by("code")
    assert [(m.code, m.sex, m.household_status_on(datetime.date(2018, 3, 1))) for m in stored] == [
        ("A1", "female", "poor"),
        ("A3", "female", "poor"),
    ]


def test_a_resource_needing_what_the_lean_rows_leave_out_goes_through_the_library(officer_a):
    class Deleting(MemberResource):
        def for_delete(self, row, instance):
            return False

    class Kept(MemberResource):
        class Meta(MemberResource.Meta):
            store_instance = True

    assert MemberResource(user=officer_a)._lean_rows()
    assert not Deleting(user=officer_a)._lean_rows()
    assert not Kept(user=officer_a)._lean_rows()


def test_the_collector_is_paused_while_a_file_is_imported(make, officer_a, monkeypatch):
    from spreadsheets import services

    make.club(code="101")
    seen = []
    known = services.known_headers
    monkeypatch.setattr(
        services, "known_headers", lambda c: seen.append(gc.isenabled()) or known(c)
    )
    assert gc.isenabled()
    report = run([HEAD, ["101", "A1", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"]], officer_a)
    assert report.imported, report.errors
    assert seen == [False] and gc.isenabled()


def test_the_collector_is_back_on_when_the_last_import_ends_only_if_it_was_on():
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():  # two imports at once (two threads)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("an import that fails")
    assert gc.isenabled()
