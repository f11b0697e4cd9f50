"""The loan grid in the browser: loans of a club pasted from a spreadsheet (members named by
code, by name and birth year, or by the picker's label) and saved with Enter; a refused save's
error summary; both widths."""

import datetime

import pytest

from loans.models import Loan
from tests import factories
from tests.browser.test_quick_entry import PASTE, tsv
from tests.browser.test_workspace import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def grid_page(live_server, units, browser):
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    club = factories.club(code="HG-1", founded_on=datetime.date(2018, 1, 1))
    people = {
        "lan": factories.member(club, full_name="Nguyễn Thị Lan", birth_year=1950, code="TV1"),
        "binh": factories.member(
            club, full_name="Trần Văn Bình", sex="male", birth_year=1948, code="TV2"
        ),
        "cuc": factories.member(club, full_name="Lê Thị Cúc", birth_year=1960, code="TV3"),
    }
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/loans/club/{club.pk}/grid/")
    yield page, club, people
    context.close()


def test_loans_pasted_with_a_header_and_saved_with_enter(grid_page, screenshot):
    page, club, people = grid_page
    header = ["Thành viên", "Hình thức", "Số tiền (đồng)", "Hiện vật", "Ngày giải ngân", "Hạn trả"]
    rows = [
        ["TV1", "Tiền mặt", "2.000.000", "", "05/03/2024", "05/03/2025"],
        ["Trần Văn Bình 1948", "Hiện vật", "4.000.000", "1 con bê", "10/03/2024", ""],
        ["Lê Thị Cúc (1960, mã TV3)", "tiền mặt", "1.500.000 đ", "", "15/03/2024", "15/09/2024"],
    ]
    page.click("#id_l-0-member")
    page.evaluate(PASTE, tsv([header, *rows]))
    assert page.locator("[data-paste-status]").inner_text() == "Đã dán 3 dòng."
    assert page.input_value("#id_l-1-kind") == "in_kind"
    assert page.input_value("#id_l-2-kind") == "cash"
    # every cell is named by its column and its row
    label = page.evaluate(
        "() => document.getElementById('id_l-1-amount_vnd').getAttribute('aria-labelledby')"
    )
    assert label == "quick-col-amount_vnd quick-row-1"
    screenshot(page, "loan-grid-pasted-desktop")
    page.press("#id_l-0-amount_vnd", "Enter")
    page.wait_for_selector("text=Đã ghi nhận 3 khoản vay của CLB.")
    loans = {
        (x.member_id, x.kind, x.amount_vnd, x.item, x.disbursed_on, x.due_on)
        for x in Loan.objects.filter(club=club)
    }
    assert loans == {
        (
            people["lan"].pk,
            "cash",
            2_000_000,
            "",
            datetime.date(2024, 3, 5),
            datetime.date(2025, 3, 5),
        ),
        (people["binh"].pk, "in_kind", 4_000_000, "1 con bê", datetime.date(2024, 3, 10), None),
        (
            people["cuc"].pk,
            "cash",
            1_500_000,
            "",
            datetime.date(2024, 3, 15),
            datetime.date(2024, 9, 15),
        ),
    }


def test_a_refused_grid_saves_nothing_and_its_summary_takes_the_focus(grid_page, screenshot):
    page, club, people = grid_page
    rows = [
        # in the grid's order: member, loan code, kind, amount, item, disbursed, due
        ["TV1", "V1", "Tiền mặt", "2.000.000", "", "31/02/2024", ""],
        ["TV99", "", "Tiền mặt", "1.000.000", "", "01/03/2024", ""],
        ["Lê Thị Cúc 1960", "V1", "Hiện vật", "3.000.000", "", "01/03/2024", ""],
    ]
    page.click("#id_l-0-member")
    page.evaluate(PASTE, tsv(rows))
    page.press("#id_l-2-member", "Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert Loan.objects.count() == 0
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Dòng 1, Ngày giải ngân: Ngày 31/02/2024 không có thật: tháng 2/2024 có 29 ngày.",
        "Dòng 2, Thành viên (mã, hoặc họ tên và năm sinh): Không có thành viên mã «TV99»: "
        "ghi mã, hoặc họ tên và năm sinh.",
        "Dòng 3, Mã khoản vay: Mã khoản vay này đã có ở dòng trên.",
        "Dòng 3, Hiện vật: Khoản vay hiện vật cần ghi rõ hiện vật.",
    ]
    assert page.input_value("#id_l-1-member") == "TV99"  # what was typed is kept
    screenshot(page, "loan-grid-errors-desktop")
    page.locator("#error-summary a").nth(3).click()
    assert page.evaluate("document.activeElement.id") == "id_l-2-item"
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    screenshot(page, "loan-grid-errors-360")
