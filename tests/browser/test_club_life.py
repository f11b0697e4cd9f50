"""In the browser: a club's meetings of a year entered in the grid (with an error first, the
typed rows kept), and the yearly re-certification of household statuses."""

import datetime

import pytest

from activities.models import Meeting
from members.models import HouseholdAssessment
from tests import factories
from tests.browser.test_workspace import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def club(units):
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    for i, name in enumerate(["Ma Thị Hoa", "Nông Văn Đường", "Lý Văn Sáu"], start=1):
        factories.member(club, code=f"TV{i}", full_name=name, joined_on=datetime.date(2018, 3, 1))
    return club


def test_meetings_of_a_year_in_the_grid(live_server, browser, screenshot, club):
    page = browser.new_context(viewport=DESKTOP, locale="vi-VN").new_page()
    login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/clubs/{club.pk}/")
    page.click("text=Ghi các buổi sinh hoạt năm")
    page.goto(f"{live_server.url}/activities/club/{club.pk}/meetings/2018/")
    assert page.locator("#meeting-grid tbody tr").count() == 12
    page.fill("#id_g-0-held_on", "05/03/2018")
    page.fill("#id_g-0-attendees", "3")
    page.fill("#id_g-0-topics", "Bình xét cho vay")
    page.fill("#id_g-1-held_on", "05/04/2018")
    page.fill("#id_g-1-attendees", "9")  # the club has 3 members
    page.click("text=Lưu tất cả")
    page.wait_for_selector("[data-testid=grid-errors]")
    assert page.input_value("#id_g-0-topics") == "Bình xét cho vay"
    assert "nhiều hơn số thành viên của CLB ngày đó (3)" in page.inner_text("#meeting-grid")
    assert not Meeting.objects.exists()
    page.fill("#id_g-1-attendees", "2")
    page.press("#id_g-1-attendees", "Enter")
    page.wait_for_selector("text=Đã lưu 2 buổi sinh hoạt năm 2018.")
    assert sorted(Meeting.objects.values_list("held_on", "attendees")) == [
        (datetime.date(2018, 3, 5), 3),
        (datetime.date(2018, 4, 5), 2),
    ]
    screenshot(page, "club-life-meetings-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "club-life-meetings-360")


def test_the_yearly_recertification_in_the_browser(live_server, browser, screenshot, club):
    page = browser.new_context(viewport=DESKTOP, locale="vi-VN").new_page()
    login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/clubs/{club.pk}/")
    page.click("text=Tái xác nhận hoàn cảnh")
    assert page.locator("#recertify-grid tbody tr").count() == 3
    hoa = club.members.get(code="TV1")
    page.fill("#id_assessed_on", "15/01/2026")
    page.select_option(f"#id_status_{hoa.pk}", "poor")
    page.click("text=Lưu tất cả")
    page.wait_for_selector("text=Đã ghi nhận hoàn cảnh của 3 thành viên ngày 15/01/2026.")
    assert sorted(
        HouseholdAssessment.objects.values_list("member__code", "assessed_on", "status")
    ) == [
        ("TV1", datetime.date(2026, 1, 15), "poor"),
        ("TV2", datetime.date(2026, 1, 15), "none"),
        ("TV3", datetime.date(2026, 1, 15), "none"),
    ]
    page.goto(f"{live_server.url}/members/club/{club.pk}/recertify/")
    screenshot(page, "club-life-recertify-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "club-life-recertify-360")
