"""An officer's day in the browser, and the board member's read-only view."""

import pytest
from django.utils import timezone

from clubs.models import Club
from loans.models import Loan
from members.models import Member
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def criterion_row(page, code):
    return page.locator(f"#compliance tr[data-criterion={code}]")


def test_officer_enters_a_club_and_the_board_only_reads(live_server, units, browser, screenshot):
    base = live_server.url
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province], first_name="Cán bộ A")
    factories.user("board", role="board")
    today = timezone.localdate().strftime("%d/%m/%Y")

    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, base, "officer")
    screenshot(page, "01-home-officer")

    # Create a club founded after the reform: the province is preselected, pick a new commune.
    page.click("text=Câu lạc bộ")
    page.click("text=Thêm CLB")
    page.fill("#id_code", "TQ-0001")
    page.fill("#id_name", "CLB Hoà Bình thôn Đồng Tâm")
    page.fill("#id_founded_on", "15/08/2025")
    assert page.is_hidden("#wrap_founding_commune")
    page.select_option("#id_commune", index=1)
    commune = page.locator("#id_commune option:checked").inner_text()
    screenshot(page, "02-club-form")
    page.click("main button.primary")
    page.wait_for_selector("text=Đã tạo CLB")
    club = Club.objects.get(code="TQ-0001")
    assert club.commune.name == commune and club.province == province
    assert page.locator("[data-testid=verdict]").inner_text().startswith("Chưa đạt chuẩn")
    assert criterion_row(page, "women").locator(".badge").inner_text() == "Chưa đạt"

    # Five members through the quick-entry grid, one known only by birth year.
    page.click("text=Nhập nhanh nhiều thành viên")
    rows = [
        ("Nguyễn Thị Hoà", "female", "1948", "poor"),
        ("Trần Thị Lan", "female", "05/03/1950", "none"),
        ("Lê Thị Mai", "female", "12/11/1985", "near_poor"),
        ("Phạm Văn Đức", "male", "20/07/1955", "none"),
        ("Đỗ Văn Nam", "male", "01/01/1990", "none"),
    ]
    for i, (name, sex, birth, status) in enumerate(rows):
        page.fill(f"#id_m-{i}-full_name", name)
        page.select_option(f"#id_m-{i}-sex", sex)
        page.fill(f"#id_m-{i}-birth", birth)
        page.select_option(f"#id_m-{i}-status", status)
    page.check("#id_m-0-is_board_member")
    page.click("[data-add-rows]")  # ten more rows in the page, left blank
    assert page.locator("#quick-grid tbody tr").count() == 20
    page.set_viewport_size(PHONE)
    screenshot(page, "03-quick-entry-360")
    page.set_viewport_size(DESKTOP)
    page.click("text=Lưu tất cả")
    page.wait_for_selector("text=Đã thêm 5 thành viên")
    hoa = Member.objects.get(full_name="Nguyễn Thị Hoà")
    assert (hoa.birth_year, hoa.birth_month, hoa.birth_day) == (1948, None, None)
    assert Member.objects.get(full_name="Trần Thị Lan").birth_date.isoformat() == "1950-03-05"

    # The card changed: women 3 of 5 = 60% passes (60–70%); older (60+): Hoà, Lan, Đức = 3 of
    # 5 = 60% passes; borrowed 0 of 5 fails.
    women = criterion_row(page, "women")
    assert women.locator("td").nth(1).inner_text() == "3"
    assert women.locator("td").nth(2).inner_text() == "60,0%"
    assert women.locator(".badge").inner_text() == "Đạt"
    assert criterion_row(page, "older").locator(".badge").inner_text() == "Đạt"
    assert criterion_row(page, "borrowed").locator("td").nth(1).inner_text() == "0"

    # A loan in kind, then its income outcome.
    page.click("text=Giải ngân khoản vay")
    page.select_option("#id_member", label="Nguyễn Thị Hoà (1948, mã TV1)")
    page.check("input[name=kind][value=in_kind]")
    page.fill("#id_item", "1 con bê")
    page.fill("#id_amount_vnd", "5.000.000 đ")
    page.click("main button.primary")
    page.wait_for_selector("text=Đã ghi nhận khoản vay")
    assert page.locator("[data-testid=amount]").inner_text() == "5.000.000 đ"
    # The outcome in the loan's one form (with its instalments).
    page.click("text=Sửa, ghi trả nợ và kết quả thu nhập")
    page.select_option("#id_income_outcome", "improved")
    page.fill("#id_outcome_assessed_on", today)
    page.click("main button.primary")
    page.wait_for_selector("text=Đã lưu khoản vay.")
    assert (
        page.locator("[data-testid=outcome]").inner_text() == f"Cải thiện (đánh giá ngày {today})"
    )
    loan = Loan.objects.get()
    assert (loan.kind, loan.item, loan.amount_vnd) == ("in_kind", "1 con bê", 5_000_000)
    screenshot(page, "04-loan")

    # A monitoring visit.
    page.click(f"text={club.name}")
    page.click("text=Ghi nhận giám sát")
    page.fill("#id_monitor", "Cán bộ A")
    page.click("main button.primary")
    page.wait_for_selector("text=Đã ghi nhận lần giám sát")
    # Borrowed: 1 of 5 = 20%; trained and monitored: visited today, not yet trained.
    borrowed = criterion_row(page, "borrowed")
    assert borrowed.locator("td").nth(1).inner_text() == "1"
    assert borrowed.locator("td").nth(2).inner_text() == "20,0%"
    trained = criterion_row(page, "trained").locator("td").nth(1).inner_text()
    assert trained == f"Chưa tập huấn; giám sát {today}"
    assert "Cán bộ A" in page.locator("#history").inner_text()
    screenshot(page, "05-club-officer")
    page.set_viewport_size(PHONE)
    screenshot(page, "06-club-officer-360")
    page.goto(f"{base}/clubs/?q=hoa+binh")
    assert page.locator("[data-testid=club-count]").inner_text() == "1 CLB"
    screenshot(page, "07-club-list-360")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/")
    # One active club, failing (size, borrowed, trained), monitored today, no overdue loan.
    assert page.locator("[data-testid=active-clubs]").inner_text() == "1"
    assert page.locator("[data-testid=failing-count]").inner_text() == "1"
    screenshot(page, "09-home-officer-after")
    context.close()

    # The board member sees the same data but no edit controls, and writes answer 403.
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, base, "board")
    page.goto(f"{base}/clubs/{club.pk}/")
    assert page.locator("h1").inner_text().startswith("CLB Hoà Bình thôn Đồng Tâm")
    assert page.locator("#members").get_by_text("Nguyễn Thị Hoà").count() >= 1
    assert page.locator("[data-testid=edit-controls]").count() == 0
    for label in ("Sửa", "Nhập nhanh nhiều thành viên", "Giải ngân khoản vay", "Ghi nhận giám sát"):
        assert page.get_by_role("link", name=label).count() == 0
    screenshot(page, "08-club-board")
    response = page.goto(f"{base}/clubs/{club.pk}/edit/")
    assert response.status == 403
    context.close()
