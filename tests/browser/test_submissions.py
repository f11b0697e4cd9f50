"""In the browser: Tuyên Quang submits its figures for Q3/2025, the board returns them with a
comment on a club, the officer sees it, fixes the club and submits again, the board accepts;
screenshots at 1366 and 360 px; axe on the preview and review pages."""

import datetime

import pytest

from submissions.models import Status, Submission
from tests import factories
from tests.browser.test_accessibility import AXE, RUN_AXE, TAGS, WIDTHS
from tests.browser.test_workspace import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(units):
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province], first_name="Cán bộ Tuyên Quang")
    factories.user("board", role="board", first_name="Ban điều hành")
    hg = factories.club(code="HG-1", name="CLB Hoà Bình", founded_on=datetime.date(2018, 3, 1))
    factories.club(
        code="TQ-1", name="CLB Tân Trào", founded_on=datetime.date(2025, 8, 10), province_code="08"
    )
    for name in ("Ma Thị Hoa", "Nông Văn Đường"):
        factories.member(hg, full_name=name, status="poor")
    factories.member(hg, full_name="Lý Thị Sáu")  # no household status: a warning
    return {"province": province, "hg": hg}


def new_page(browser):
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    context.add_init_script(path=str(AXE))
    return context.new_page()


def axe(page, label):
    found = []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        found += [
            f"{label} @{width}: {v['id']} {v['targets']}" for v in page.evaluate(RUN_AXE, TAGS)
        ]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > viewport["width"]:
            found.append(f"{label} @{width}: {wide} px wide")
    page.set_viewport_size(WIDTHS["1366"])
    assert not found, found


def shots(page, screenshot, name):
    page.set_viewport_size(WIDTHS["1366"])
    screenshot(page, f"submissions-{name}-1366")
    page.set_viewport_size(WIDTHS["360"])
    screenshot(page, f"submissions-{name}-360")
    page.set_viewport_size(WIDTHS["1366"])


def test_submit_return_fix_submit_accept(live_server, browser, screenshot, world):
    base = live_server.url
    officer = new_page(browser)
    login(officer, base, "officer")
    officer.click("nav >> text=Gửi và duyệt số liệu")
    officer.select_option("#id_period", label="Quý 3/2025")
    officer.click("main form button[type=submit]")
    officer.click("table >> text=Tỉnh Tuyên Quang")
    officer.wait_for_selector("#preview")
    assert "2 CLB đang hoạt động, 3 thành viên" in officer.inner_text("#preview")
    assert "1 thành viên chưa có đánh giá" in officer.inner_text("[data-testid=warn-status]")
    axe(officer, "preview")
    shots(officer, screenshot, "preview")
    officer.click("#preview button[type=submit]")
    officer.wait_for_selector("text=Đã gửi số liệu Quý 3/2025 của Tỉnh Tuyên Quang.")
    assert officer.inner_text("[data-testid=status]") == "Đã gửi, chờ duyệt"

    board = new_page(browser)
    login(board, base, "board")
    assert "Tỉnh Tuyên Quang – Quý 3/2025" in board.inner_text("[data-testid=deadlines]")
    board.click("[data-testid=deadlines] >> text=Tỉnh Tuyên Quang – Quý 3/2025")
    board.wait_for_selector("#review")
    axe(board, "review")
    board.check("text=Trả lại để sửa")
    board.select_option("#id_club_1", "HG-1")
    board.fill("#id_text_1", "Thiếu thành viên Hà Thị Tư, vào CLB tháng 4/2019.")
    shots(board, screenshot, "review")
    board.click("#review button[type=submit]")
    board.wait_for_selector("text=Đã trả lại số liệu cho tỉnh.")
    assert "Thiếu thành viên Hà Thị Tư" in board.inner_text("#timeline")

    officer.goto(f"{base}/")
    comments = officer.inner_text("[data-testid=return-comments]")
    assert "Thiếu thành viên Hà Thị Tư" in comments
    shots(officer, screenshot, "home-returned")
    officer.click("[data-testid=return-comments] >> text=HG-1")
    assert "Thiếu thành viên Hà Thị Tư" in officer.inner_text("[data-testid=club-comments]")
    # the fix, then submit again
    factories.member(world["hg"], full_name="Hà Thị Tư", joined_on=datetime.date(2019, 4, 1))
    officer.click("[data-testid=club-comments] >> text=Quý 3/2025")
    assert "2 CLB đang hoạt động, 4 thành viên" in officer.inner_text("#preview")
    officer.click("#preview button[type=submit]")
    officer.wait_for_selector("text=Đã gửi số liệu Quý 3/2025 của Tỉnh Tuyên Quang.")

    board.reload()
    board.check("text=Chấp nhận")
    board.click("#review button[type=submit]")
    board.wait_for_selector("text=Đã chấp nhận số liệu.")
    assert board.inner_text("[data-testid=status]") == "Đã chấp nhận"
    steps = board.locator("#timeline li > strong").all_inner_texts()
    assert steps == ["Gửi số liệu", "Trả lại", "Gửi số liệu", "Chấp nhận"]
    assert board.locator("[data-testid=match]").all_inner_texts() == [
        "Khớp với dữ liệu hiện tại",
        "Khớp với dữ liệu hiện tại",
    ]
    shots(board, screenshot, "accepted")
    board.goto(f"{base}/submissions/?period={Submission.objects.get().period_id}")
    shots(board, screenshot, "status")
    axe(board, "status")
    assert Submission.objects.get().status == Status.ACCEPTED

    # The national dashboard: Tuyên Quang's status links to its submission; "chỉ số liệu đã
    # chấp nhận" keeps it alone, with its accepted figures (2 clubs, 4 members).
    board.goto(f"{base}/dashboard/?as_of=15/10/2025&phase=2025-2030")
    link = board.locator("#province-table tr[data-province='08'] a.badge")
    assert link.inner_text() == "Đã chấp nhận"
    shots(board, screenshot, "dashboard")
    axe(board, "dashboard")
    board.check("#id_accepted")
    board.click("form.selector button[type=submit]")
    board.wait_for_selector("#id_accepted:checked")
    rows = board.locator("#province-table tbody tr")
    assert rows.count() == 1
    assert rows.locator("td").all_inner_texts()[1:3] == ["2", "4"]
    shots(board, screenshot, "dashboard-accepted")
    axe(board, "dashboard accepted")
    link.click()
    board.wait_for_selector("[data-testid=status]")
    assert board.inner_text("[data-testid=status]") == "Đã chấp nhận"
