"""Club imports: units in the founding date's era, scoping, command exit statuses, pages."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from clubs.models import Club, Commune, CommuneSuccession, Era
from spreadsheets.services import import_file
from tests.spreadsheet_files import xlsx

HEAD = ["Mã CLB", "Tên CLB", "Tỉnh/Thành phố", "Quận/Huyện", "Xã/Phường", "Ngày thành lập"]


def run(rows, user=None, dry_run=False):
    return import_file(
        kind="clubs", content=xlsx(rows), filename="clubs.xlsx", user=user, dry_run=dry_run
    )


def test_old_era_club_by_names_and_codes(make, officer_a):
    old = make.whole_old_commune("02")
    new = CommuneSuccession.objects.get(old=old).new
    rows = [
        HEAD,
        ["101", "CLB Một", "Hà Giang", old.district.name, old.name, "01/03/2018"],
        [102.0, "CLB Hai", 2, None, int(old.code), 43160],
    ]
    report = run(rows, user=officer_a)
    assert report.imported, report.errors
    for code in ("101", "102"):
        club = Club.objects.get(code=code)
        assert (club.founding_commune, club.commune) == (old, new)
        assert club.province.code == "08"  # Hà Giang is in Tuyên Quang today
        assert club.founded_on == datetime.date(2018, 3, 1)
        assert club.history.get().history_user == officer_a
    assert run(rows, user=officer_a).counts["unchanged"] == 2


def test_new_era_club_uses_new_units(make, officer_a):
    commune = make.new_commune("08")
    rows = [HEAD, ["301", "CLB Mới", "Tuyên Quang", None, commune.name, "02/07/2025"]]
    assert run(rows, user=officer_a).imported
    club = Club.objects.get(code="301")
    assert (club.commune, club.founding_commune) == (commune, None)


def test_ambiguous_commune_name_is_a_row_error(db, officer_a):
    pairs = (
        Commune.objects.filter(era=Era.PRE2025, province__code="02")
        .values_list("name", flat=True)
        .order_by("name")
    )
    names = list(pairs)
    repeated = next(n for n in names if names.count(n) > 1)
    report = run([HEAD, ["101", "CLB", "Hà Giang", None, repeated, "01/03/2018"]], user=officer_a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Xã/Phường")]
    assert "quận/huyện" in report.errors[0].reason


def test_officer_cannot_import_a_club_of_another_province(make, officer_a):
    old_b = make.whole_old_commune("83")
    make.club(code="777", province_code="83")
    rows = [
        HEAD,
        ["777", "Đổi tên", "Bến Tre", None, int(old_b.code), "01/03/2018"],
        ["778", "Mới", "Bến Tre", None, int(old_b.code), "01/03/2018"],
    ]
    report = run(rows, user=officer_a)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Tỉnh/Thành phố"),
        (3, "Tỉnh/Thành phố"),
    ]
    assert report.errors[0].reason == report.errors[1].reason
    assert not Club.objects.filter(code="778").exists()


def test_command_exit_statuses(make, officer_a, board, tmp_path, capsys):
    make.club(code="101")
    good = tmp_path / "members.xlsx"
    head = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"]
    good.write_bytes(xlsx([head, ["101", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            [
                head,
                ["101", "A", "?", 1950, "Không", "x"],
                ["101", "B", "Nữ", 1950, "Không", "1/1/2018"],
                ["999", "C", "Nữ", 1950, "Không", "01/01/2018"],
            ]
        )
    )

    call_command("import_data", "members", str(good), "--dry-run", "--user", "officer_a")
    from members.models import Member

    assert not Member.objects.exists()
    call_command("import_data", "members", str(good), "--user", "officer_a")
    assert Member.objects.count() == 1
    with pytest.raises(CommandError) as rejected:
        call_command("import_data", "members", str(bad), "--user", "officer_a")
    assert rejected.value.returncode == 1
    err = capsys.readouterr().err
    assert "Dòng 2" in err and "Dòng 4" in err and "Dòng 3" not in err
    for args in (
        ["people", str(good)],
        ["members", str(tmp_path / "none.xlsx")],
        ["members", str(good), "--user", "nobody"],
        ["members", str(good), "--user", "board"],
    ):
        with pytest.raises(CommandError) as bad_call:
            call_command("import_data", *args)
        assert bad_call.value.returncode == 2


def test_pages_upload_preview_confirm(client, make, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make.club(code="101")
    client.force_login(officer_a)
    head = ["Mã CLB", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Ngày tham gia"]
    content = xlsx([head, ["101", "Lò Thị Mai", "Nữ", 1950, "Không", "01/03/2018"]])
    upload = io.BytesIO(content)
    upload.name = "tv.xlsx"
    page = client.post(reverse("spreadsheets:upload"), {"kind": "members", "file": upload})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.counts["new"] == 1 and page.context["token"]
    # The preview shows the cells as typed: the birth year 1950, not "1.950" or "1950,0".
    assert "<td>1950</td>" in page.content.decode()
    from members.models import Member

    assert not Member.objects.exists()
    # Another user cannot confirm this upload.
    other = make.user("officer_c", provinces=[make.province("post2025", "08")])
    client.force_login(other)
    assert (
        client.post(reverse("spreadsheets:confirm"), {"token": page.context["token"]}).status_code
        == 404
    )
    client.force_login(officer_a)
    done = client.post(reverse("spreadsheets:confirm"), {"token": page.context["token"]})
    assert done.status_code == 302
    assert Member.objects.get().full_name == "Lò Thị Mai"


def test_board_cannot_import_but_can_export(client, make, board):
    make.club(code="101")
    client.force_login(board)
    assert client.get(reverse("spreadsheets:upload")).status_code == 403
    response = client.get(reverse("spreadsheets:export", args=["clubs", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Dữ liệu"]
    assert [c.value for c in sheet["A"]] == ["Mã CLB", "101"]


def test_blank_template_has_instructions(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("spreadsheets:template", args=["loans"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    assert [c.value for c in book["Dữ liệu"][1]][:4] == [
        "STT",
        "Mã CLB",
        "Mã thành viên",
        "Họ và tên",
    ]
    help_rows = [r[0] for r in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Số tiền (đồng)" in help_rows


def test_compliance_export_is_scoped(client, make, officer_a, officer_b):
    make.club(code="101")
    make.club(code="202", province_code="83")
    client.force_login(officer_a)
    response = client.get(
        reverse("reporting:compliance_export", args=["csv"]) + "?as_of=01/06/2019"
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã CLB,Tên CLB")
    assert [line.split(",")[0] for line in lines[1:]] == ["101"]
