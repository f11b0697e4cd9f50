"""The pickers and the programme pages in the browser: an officer enters their old provinces'
targets of 2021-2025 through the province picker and sees them summed under the new province;
the commune picker finds a commune typed without its "Xã"; the training form's club picker
narrows its list and takes each club's participants; the reports page offers the provinces
of the as-of date's era. Screenshots at 1366 and 360 px of each page."""

import datetime

import pytest
from django.utils import timezone

from reporting.models import Phase, ProvinceTarget
from tests import factories
from training.models import TrainingSession

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"1366": {"width": 1366, "height": 900}, "360": {"width": 360, "height": 740}}


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def shoot(page, screenshot, name):
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        # No sideways scrolling, once the charts have followed the new width.
        page.wait_for_function(
            "(w) => document.documentElement.scrollWidth <= w", arg=viewport["width"]
        )
        screenshot(page, f"h16-{name}-{width}")
    page.set_viewport_size(WIDTHS["1366"])


def visible_options(page, selector):
    return page.eval_on_selector_all(
        f"{selector} option", "os => os.filter(o => !o.hidden && o.value).map(o => o.textContent)"
    )


def test_officer_enters_province_targets_and_the_board_reads_them(
    live_server, units, browser, screenshot
):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    factories.user("board", role="board")
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    page = context.new_page()
    login(page, base, "officer")
    page.click("header >> text=Chỉ tiêu")
    page.click("text=Chỉ tiêu của tỉnh >> nth=2")  # 2021-2025, the third phase
    assert "2021-2025" in page.url
    # The picker offers old Hà Giang and old Tuyên Quang; typing narrows it, Enter picks.
    assert sorted(visible_options(page, "#id_province")) == ["Hà Giang", "Tuyên Quang"]
    page.fill("#id_province_search", "ha g")
    assert visible_options(page, "#id_province") == ["Hà Giang"]
    assert page.inner_text("#id_province_search_status") == "1/2 mục khớp"
    page.press("#id_province_search", "Enter")
    assert page.eval_on_selector("#id_province", "s => s.selectedOptions[0].textContent") == (
        "Hà Giang"
    )
    page.fill("#id_clubs", "120")
    shoot(page, screenshot, "province-targets-form")
    page.fill("#id_members", "6,5")
    page.click("[data-testid=province-target-form] button.primary")
    # "6,5" is no whole number: refused in words, what was typed stays.
    assert page.inner_text("#id_members_error") == "Hãy nhập một số nguyên, ví dụ 6000."
    assert page.input_value("#id_clubs") == "120"
    page.fill("#id_members", "6.000")  # grouped as the page shows numbers: 6000
    shoot(page, screenshot, "province-targets-form-error")
    with page.expect_navigation():
        page.click("[data-testid=province-target-form] button.primary")
    page.select_option("#id_province", label="Tuyên Quang")
    page.fill("#id_clubs", "80")
    with page.expect_navigation():
        page.click("[data-testid=province-target-form] button.primary")
    assert page.inner_text(".messages") == "Đã lưu chỉ tiêu của Tỉnh Tuyên Quang."
    assert page.inner_text("#province-targets tr.group") == "Tỉnh Tuyên Quang (tổng)\t200\t6.000\t"
    phase = Phase.objects.get(code="2021-2025")
    assert sorted(
        ProvinceTarget.objects.filter(phase=phase).values_list("province__code", "clubs", "members")
    ) == [("02", 120, 6000), ("08", 80, None)]
    shoot(page, screenshot, "province-targets-officer")
    context.close()

    # Clubs behind in Tuyên Quang for the board's home page: neither has members enough, one
    # was visited a month ago.
    behind = factories.club(code="TQ-B1", founded_on=datetime.date(2019, 3, 1))
    trained = factories.club(code="TQ-B2", founded_on=datetime.date(2020, 5, 1))
    factories.training([trained], timezone.localdate() - datetime.timedelta(days=60))
    factories.visit(behind, timezone.localdate() - datetime.timedelta(days=30))
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    page = context.new_page()
    login(page, base, "board")
    page.goto(f"{base}/programme/2021-2025/provinces/")
    assert page.locator("[data-testid=province-target-form]").count() == 0
    assert page.locator("#province-targets tr.part").count() == 2
    shoot(page, screenshot, "province-targets-board")
    page.goto(f"{base}/")
    row = page.locator("[data-testid=provinces-behind] tr[data-province='08']")
    cells = [c.split("\n")[0] for c in row.inner_text().split("\t")]
    assert cells == ["Tỉnh Tuyên Quang", "2", "2", "1"]
    shoot(page, screenshot, "home-board")
    # The province's club table: TQ-B2, trained and never visited, fails only monitoring.
    page.goto(f"{base}/dashboard/province/08/")
    cell = page.locator("#club-table tr[data-club='TQ-B2'] td[data-criterion] >> nth=-1")
    assert cell.inner_text().startswith("✗ chưa được giám sát trong 12 tháng")
    shoot(page, screenshot, "province-dashboard-board")
    page.goto(f"{base}/")
    page.click("[data-testid=provinces-behind] tr[data-province='08'] td >> nth=2 >> a")
    assert page.locator("main table tbody tr").count() == 1
    assert "TQ-B2" in page.inner_text("main table tbody")
    context.close()


def test_commune_and_club_pickers(live_server, units, browser, screenshot):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    first = factories.club(code="HG-001", name="CLB Hoà Bình thôn Đồng Tâm")
    factories.club(code="HG-002", name="CLB Bản Phố")
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    page = context.new_page()
    login(page, base, "officer")

    page.goto(f"{base}/clubs/new/")
    page.fill("#id_founded_on", "15/08/2025")
    every = visible_options(page, "#id_commune")
    assert len(every) > 100 and all(not n.startswith("Xã T") for n in every[:1])
    page.fill("#id_commune_search", "tan trao")  # without "Xã", without diacritics
    assert visible_options(page, "#id_commune") == ["Xã Tân Trào"]
    page.press("#id_commune_search", "Enter")
    assert page.eval_on_selector("#id_commune", "s => s.selectedOptions[0].textContent") == (
        "Xã Tân Trào"
    )
    page.fill("#id_commune_search", "zzz")
    assert page.inner_text("#id_commune_search_status").startswith("Không có mục nào khớp")
    # The chosen commune stays in the list while another word is typed.
    assert visible_options(page, "#id_commune") == ["Xã Tân Trào"]
    page.fill("#id_commune_search", "")
    shoot(page, screenshot, "club-form-commune-picker")

    page.goto(f"{base}/training/new/")
    assert page.inner_text("#wrap_clubs legend") == "CLB tham gia"
    weight = page.eval_on_selector(
        f"label[for=id_clubs_{first.pk}]", "l => getComputedStyle(l).fontWeight"
    )
    assert weight == "400"
    page.fill("#club-list_search", "hoa binh")
    assert page.is_visible(f"#id_clubs_{first.pk}")
    assert page.locator("#club-list tr[data-key]:not([hidden])").count() == 1
    page.check(f"#id_clubs_{first.pk}")
    page.fill(f"#id_participants_{first.pk}", "14")
    page.fill("#id_code", "TH-TQ-1")
    page.fill("#id_title", "Tập huấn kỹ năng")
    page.fill("#id_held_on", "10/04/2024")
    shoot(page, screenshot, "training-form-club-picker")
    with page.expect_navigation():
        page.click("main button.primary")
    session = TrainingSession.objects.get(code="TH-TQ-1")
    assert list(session.attendances.values_list("club__code", "participants")) == [("HG-001", 14)]
    context.close()


def test_reports_page_offers_the_provinces_of_the_dates_era(
    live_server, units, browser, screenshot
):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    page = context.new_page()
    login(page, base, "officer")
    page.goto(f"{base}/reports/")
    assert visible_options(page, "#id_province") == ["Tỉnh Tuyên Quang"]
    page.fill("#id_date", "30/06/2024")
    page.press("#id_date", "Tab")
    assert sorted(visible_options(page, "#id_province")) == ["Tỉnh Hà Giang", "Tỉnh Tuyên Quang"]
    values = page.eval_on_selector_all(
        "#id_province option", "os => os.filter(o => !o.hidden && o.value).map(o => o.value)"
    )
    assert sorted(values) == ["pre2025:02", "pre2025:08"]
    shoot(page, screenshot, "reports-form")
    # Without the script's help (the other era's option chosen anyway): refused in words.
    page.select_option("#id_phase", "2021-2025")
    page.evaluate(
        "() => { const s = document.querySelector('#id_province');"
        " s.querySelectorAll('option').forEach(o => { o.disabled = false; o.hidden = false; });"
        " s.value = 'post2025:08'; }"
    )
    page.click("main button.primary")
    error = page.inner_text("#id_province_error")
    assert error == (
        "Tỉnh Tuyên Quang thuộc danh mục Từ 01/07/2025 (34 tỉnh), còn số liệu tại ngày "
        "30/06/2024 theo danh mục Trước 01/07/2025 (63 tỉnh): hãy chọn tỉnh trong danh mục đó."
    )
    shoot(page, screenshot, "reports-form-error")
    context.close()


def test_admin_pages_of_criteria_targets_and_users(live_server, units, browser, screenshot):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province], last_name="Nguyễn Văn")
    factories.user("admin", role="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    page = context.new_page()
    login(page, base, "admin")
    page.goto(f"{base}/programme/2021-2025/")
    shoot(page, screenshot, "phase-detail")
    page.click("text=Sửa tiêu chí")
    women = page.locator("fieldset.rowset", has_text="Tỷ lệ nữ")
    assert women.locator("input[name$=min_share]").input_value() == "60"
    shoot(page, screenshot, "criteria-form")
    page.goto(f"{base}/programme/2021-2025/targets/")
    shoot(page, screenshot, "targets-form")
    page.goto(f"{base}/programme/users/")
    shoot(page, screenshot, "users")
    page.click("text=officer")
    page.fill("#province-list_search", "vinh l")
    assert page.locator("#province-list .check:not([hidden])").count() == 2  # ticked + Vĩnh Long
    shoot(page, screenshot, "user-form")
    context.close()
