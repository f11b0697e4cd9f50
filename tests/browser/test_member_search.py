"""The member search in the browser: from the header, without diacritics, on a phone."""

import datetime

import pytest

from tests import factories
from tests.browser.test_workspace import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_finds_dung_from_the_header(live_server, units, browser, screenshot):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    club = factories.club(code="HG-1", name="CLB Đồng Tâm", founded_on=datetime.date(2018, 1, 1))
    other = factories.club(code="BT-1", name="CLB Mỹ Thạnh", province_code="83")
    factories.member(club, full_name="Nguyễn Thị Dung", birth_year=1943, code="TV12")
    factories.member(club, full_name="Trần Văn Dũng", sex="male", birth_year=1951, code="TV3")
    factories.member(club, full_name="Đặng Thị Hoa", birth_year=1960)
    factories.member(other, full_name="Lê Thị Dung", birth_year=1948)  # another province

    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, base, "officer")
    page.click("header >> text=Thành viên")
    page.fill("#id_q", "Dung")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=member-count]")
    assert page.locator("[data-testid=member-count]").inner_text() == "2 thành viên"
    rows = page.locator("#member-results tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("td")
    assert first.nth(0).inner_text() == "Nguyễn Thị Dung"
    assert first.nth(1).inner_text() == "TV12"
    assert first.nth(2).inner_text() == "1943"
    assert first.nth(3).inner_text() == "CLB Đồng Tâm (HG-1)"
    assert first.nth(5).inner_text() == "Tuyên Quang"
    assert rows.nth(1).locator("td").nth(0).inner_text() == "Trần Văn Dũng"
    screenshot(page, "10-member-search")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == 360
    screenshot(page, "11-member-search-360")
    rows.nth(0).locator("a").first.click()
    page.wait_for_selector("h1:has-text('Nguyễn Thị Dung')")
    context.close()
