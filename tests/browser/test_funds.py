"""The club's funds in the browser: the club page's panel and the fund page with its book, at
1366 and 360 px; the one loan form with its instalments."""

import datetime

import pytest

from loans.models import Repayment
from tests import factories
from tests.browser.test_workspace import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fund_page(live_server, units, browser):
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    club = factories.club(code="HG-F", founded_on=datetime.date(2018, 1, 1))
    lan = factories.member(club, full_name="Nguyễn Thị Lan", code="TV1")
    binh = factories.member(club, full_name="Trần Văn Bình", sex="male", code="TV2")
    revolving = factories.fund(club, "revolving", datetime.date(2018, 1, 1))
    factories.movement(revolving, datetime.date(2024, 1, 10), 10_000_000)
    factories.movement(revolving, datetime.date(2024, 1, 15), 5_000_000, kind="grant_project")
    cash = factories.loan(
        lan, datetime.date(2024, 2, 1), amount_vnd=6_000_000, due_on=datetime.date(2024, 8, 1)
    )
    factories.loan(
        binh,
        datetime.date(2024, 3, 1),
        kind="in_kind",
        amount_vnd=4_000_000,
        due_on=datetime.date(2024, 9, 1),
    )
    Repayment.objects.create(loan=cash, paid_on=datetime.date(2024, 7, 15), amount_vnd=4_000_000)
    activity = factories.fund(club, "activity", datetime.date(2018, 1, 1))
    factories.movement(activity, datetime.date(2024, 1, 5), 2_000_000)
    factories.movement(activity, datetime.date(2024, 6, 10), 1_500_000, kind="spending")
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, live_server.url, "officer")
    yield page, live_server.url, club, cash
    context.close()


def test_the_fund_page_and_the_club_panel_at_both_widths(fund_page, screenshot):
    page, url, club, cash = fund_page
    page.goto(f"{url}/loans/club/{club.pk}/funds/?on=01/09/2024")
    # by hand: cash 15.000.000 - 6.000.000 + 4.000.000 = 13.000.000; outstanding 2.000.000 + the
    # calf's 4.000.000; 4.000.000 repaid on time of 10.000.000 due; A 31 days past due
    assert page.inner_text("[data-testid=cash-revolving]") == "13.000.000 đ"
    assert page.inner_text("[data-testid=outstanding]").startswith("6.000.000 đ")
    assert page.inner_text("[data-testid=repayment-rate]").startswith("40,0%")
    assert page.inner_text("[data-testid=par30]").startswith("33,3%")
    assert page.inner_text("[data-testid=cash-activity]") == "500.000 đ"
    screenshot(page, "funds-desktop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    screenshot(page, "funds-360")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{url}/clubs/{club.pk}/")
    panel = page.locator("#funds")
    assert "Quỹ tạo thu nhập (quay vòng)" in panel.inner_text()
    panel.screenshot(path="tests/screenshots/funds-club-panel-desktop.png")
    card = page.locator("#compliance")
    card.screenshot(path="tests/screenshots/club-life-card-desktop.png")


def test_the_loan_form_records_instalments_and_the_outcome(fund_page, screenshot):
    page, url, club, cash = fund_page
    page.goto(f"{url}/loans/{cash.pk}/edit/")
    assert page.input_value("#id_r-0-paid_on") == "15/07/2024"
    page.fill("#id_r-1-paid_on", "10/09/2024")
    page.fill("#id_r-1-amount_vnd", "2.500.000")
    page.select_option("#id_income_outcome", "improved")
    page.fill("#id_outcome_assessed_on", "01/10/2024")
    page.press("#id_r-1-amount_vnd", "Enter")
    # 4.000.000 + 2.500.000 is more than the 6.000.000 lent: refused, the rows kept
    page.wait_for_selector("text=Tổng số đã trả (6.500.000 đ) vượt số tiền vay (6.000.000 đ).")
    assert page.input_value("#id_r-1-amount_vnd") == "2.500.000"
    screenshot(page, "loan-form-refused-desktop")
    page.fill("#id_r-1-amount_vnd", "2.000.000")
    page.press("#id_r-1-amount_vnd", "Enter")
    page.wait_for_selector("text=Đã lưu khoản vay.")
    assert page.inner_text("[data-testid=outstanding]") == "0 đ"
    cash.refresh_from_db()
    assert (cash.repaid_on, cash.income_outcome) == (datetime.date(2024, 9, 10), "improved")
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/loans/{cash.pk}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    screenshot(page, "loan-form-360")
