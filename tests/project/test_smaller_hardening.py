"""The smaller findings of issue #15, item 8: every user changes their own password; one phone
rule for the form and the imports; phones masked for the board; the training import adds a
club only to a session the officer may change; no raw database text in import errors; a taken
code never says where it is used."""

import datetime
import logging

import pytest
from django.db import IntegrityError
from django.urls import reverse

from members.models import Member
from spreadsheets.services import _base_message, export_rows, import_file
from tests.factories import PASSWORD
from tests.spreadsheet_files import xlsx
from training.models import Attendance

XSS = '"><svg onload=1>'


# --- password change (ASVS 2.1.5) ------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "board", "admin"])
def test_every_user_changes_their_own_password(db, client, make, role):
    user = make.user(f"u_{role}", role=role)
    assert client.login(username=user.username, password=PASSWORD)
    home = client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("password_change")}"' in home
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()

    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-my-password", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 200
    assert set(wrong.context["form"].errors) == {"old_password", "new_password2"}

    new = "sông-Hồng-2026-mới"
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200  # still signed in
    client.logout()
    assert not client.login(username=user.username, password=PASSWORD)
    assert client.login(username=user.username, password=new)


def test_password_change_needs_sign_in(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- one phone rule -----------------------------------------------------------------------------


@pytest.fixture
def club(province_a, make):
    return make.club(code="P-1", founded_on=datetime.date(2018, 1, 1))


def test_member_form_refuses_what_imports_refuse(client, officer_a, club):
    client.force_login(officer_a)
    base = {"full_name": "Lò Thị Mai", "sex": "female", "birth": "1950", "status": "none",
            "joined_on": "01/02/2018"}  # fmt: skip
    bad = client.post(reverse("members:create", args=[club.pk]), {**base, "phone": XSS})
    assert bad.status_code == 200
    assert bad.context["form"].errors["phone"] == ["Số điện thoại không hợp lệ."]
    assert not Member.objects.exists()
    good = client.post(reverse("members:create", args=[club.pk]), {**base, "phone": "912.345.678"})
    assert good.status_code == 302
    assert Member.objects.get().phone == "0912345678"  # the leading 0 back, as imports do

    grid = {"joined_on": "01/02/2018", "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0",
            "m-0-full_name": "Lò Văn Nam", "m-0-sex": "male", "m-0-birth": "1948",
            "m-0-status": "none", "m-0-phone": XSS}  # fmt: skip
    quick = client.post(reverse("members:quick", args=[club.pk]), grid)
    assert quick.status_code == 200
    assert quick.context["formset"].forms[0].errors["phone"] == ["Số điện thoại không hợp lệ."]
    assert Member.objects.count() == 1


# --- phones masked for the board ----------------------------------------------------------------


def test_phones_are_masked_for_the_board(client, officer_a, board, club, make):
    member = make.member(club, phone="0912345678")
    member.phone = "0987654321"
    member.save()  # a change in the history, old and new phone
    url = reverse("members:detail", args=[member.pk])
    client.force_login(board)
    page = client.get(url).content.decode()
    assert "•••••••321" in page and "•••••••678" in page
    assert "0987654321" not in page and "0912345678" not in page
    headers, rows, _ = export_rows(kind="members", user=board)
    assert rows[0][headers.index("Số điện thoại")] == "•••••••321"

    client.force_login(officer_a)
    page = client.get(url).content.decode()
    assert "0987654321" in page and "0912345678" in page
    headers, rows, _ = export_rows(kind="members", user=officer_a)
    assert rows[0][headers.index("Số điện thoại")] == "0987654321"


# --- the training import and another province's session ----------------------------------------

TRAINING = ["Mã lớp", "Tên lớp", "Ngày", "Loại", "Mã CLB", "Số người tham gia"]


def test_training_import_adds_no_club_to_another_provinces_session(officer_a, province_b, make):
    make.club(code="101")
    other = make.training(
        [], datetime.date(2019, 3, 5), code="BT-TH1", title="Lớp Bến Tre", level="model",
        province=province_b,
    )  # fmt: skip
    rows = [TRAINING, ["BT-TH1", "Lớp Bến Tre", "05/03/2019", "Tập huấn mẫu", "101", 12]]
    report = import_file(kind="training", content=xlsx(rows), filename="t.xlsx", user=officer_a)
    assert not report.imported
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "Mã lớp", "Mã lớp này đã được dùng; hãy chọn mã khác.")
    ]
    assert not Attendance.objects.filter(session=other).exists()
    # The session form refuses it too: the officer cannot open that session's edit page.
    from django.test import Client

    browser = Client()
    browser.force_login(officer_a)
    assert browser.get(reverse("training:edit", args=[other.pk])).status_code in (403, 404)


# --- no raw database text -----------------------------------------------------------------------


def test_import_errors_never_show_the_databases_text(caplog):
    raw = (
        'duplicate key value violates unique constraint "member_code_unique_in_club"\n'
        "DETAIL:  Key (club_id, code)=(7, TV1) already exists."
    )
    with caplog.at_level(logging.WARNING, logger="spreadsheets.services"):
        message = _base_message(IntegrityError(raw))
        other = _base_message(RuntimeError("connection reset by peer"))
    assert message == "Dữ liệu trùng hoặc mâu thuẫn với dữ liệu đã có; dòng này không được ghi."
    assert other == "Lỗi không mong đợi khi ghi dòng này; dòng này không được ghi."
    assert "member_code_unique_in_club" in caplog.text  # the raw text is in the log
    assert "connection reset by peer" in caplog.text


# --- a taken code never says where ---------------------------------------------------------------


def test_a_taken_code_says_the_same_wherever_it_is_used(client, officer_a, province_b, club, make):
    make.club(code="BT-1", province_code="83")
    make.training([], datetime.date(2019, 1, 1), code="L-OWN", province=club.province)
    make.training([], datetime.date(2019, 1, 1), code="L-BT", province=province_b)
    client.force_login(officer_a)
    province = client.get(reverse("clubs:create")).context["form"]["province"].value()
    for code in ("P-1", "BT-1"):  # own province, another province
        response = client.post(
            reverse("clubs:create"),
            {"code": code, "name": "CLB mới", "founded_on": "01/01/2026", "province": province},
        )
        assert response.context["form"].errors["code"] == [
            "Mã CLB này đã được dùng; hãy chọn mã khác."
        ]
    for code in ("L-OWN", "L-BT"):
        response = client.post(
            reverse("training:create"),
            {"code": code, "title": "Lớp", "held_on": "01/01/2026", "level": "model",
             "province": province},
        )  # fmt: skip
        assert response.context["form"].errors["code"] == [
            "Mã lớp này đã được dùng; hãy chọn mã khác."
        ]
