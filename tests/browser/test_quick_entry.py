"""Quick entry in the browser: 60 rows pasted from a spreadsheet and saved with Enter; the
error summary after a refused save."""

import datetime

import pytest

from members.models import HouseholdAssessment, Member
from tests import factories
from tests.browser.test_workspace import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True)

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]
GIVEN = ["An", "Bình", "Cúc", "Dung", "Hoa", "Lan", "Mai", "Nga", "Tâm", "Yến"]
STATUSES = ["Hộ nghèo", "cận nghèo", "Không", ""]  # as a register writes them

PASTE = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def sheet_rows():
    """60 rows as a register has them: a row number first, then name, sex, birth (a year or a
    date), household status and phone."""
    rows = []
    for i in range(60):
        name = f"{FAMILIES[i // 10]} {'Văn' if i % 3 == 0 else 'Thị'} {GIVEN[i % 10]}"
        birth = str(1940 + i % 20) if i % 2 == 0 else f"{i % 28 + 1:02d}/{i % 12 + 1:02d}/1950"
        phone = f"09123450{i:02d}" if i % 5 == 0 else ""
        sex = "Nam" if i % 3 == 0 else "Nữ"
        rows.append([str(i + 1), name, sex, birth, STATUSES[i % 4], phone])
    return rows


def tsv(rows):
    return "".join("\t".join(row) + "\r\n" for row in rows)


@pytest.fixture
def officer_page(live_server, units, browser):
    province = factories.province("post2025", "08")
    factories.user("officer", role="officer", provinces=[province])
    club = factories.club(code="HG-1", founded_on=datetime.date(2018, 1, 1))
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/members/club/{club.pk}/quick/")
    yield page, club
    context.close()


def test_sixty_rows_pasted_with_a_header_and_saved_with_enter(officer_page, screenshot):
    page, club = officer_page
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Hoàn cảnh", "Số điện thoại"]
    page.click("#id_m-0-full_name")
    page.evaluate(PASTE, tsv([header, *sheet_rows()]))
    # The grid grew from 10 rows to 60; the row numbers ("STT") matched no column.
    assert page.locator("#quick-grid tbody tr").count() == 60
    assert page.locator("[data-paste-status]").inner_text() == "Đã dán 60 dòng."
    assert page.input_value("#id_m-0-full_name") == "Nguyễn Văn An"
    assert page.input_value("#id_m-0-sex") == "male"
    assert page.input_value("#id_m-0-birth") == "1940"
    assert page.input_value("#id_m-0-status") == "poor"
    assert page.input_value("#id_m-0-phone") == "0912345000"
    assert page.input_value("#id_m-59-full_name") == "Vũ Thị Yến"
    assert page.input_value("#id_m-59-birth") == "04/12/1950"
    assert page.input_value("#id_m-59-status") == "none"
    screenshot(page, "12-quick-entry-pasted")

    page.press("#id_m-0-full_name", "Enter")
    page.wait_for_selector("text=Đã thêm 60 thành viên vào CLB.")
    members = Member.objects.filter(club=club)
    assert members.count() == 60
    # Men are rows 1, 4, 7, … (every third): 20 of 60.
    assert members.filter(sex="male").count() == 20
    # The statuses cycle poor, near-poor, none, blank (none): 15, 15 and 30.
    statuses = HouseholdAssessment.objects.filter(member__club=club)
    assert statuses.filter(status="poor").count() == 15
    assert statuses.filter(status="near_poor").count() == 15
    assert statuses.filter(status="none").count() == 30
    # Row 6 (i = 5): "Nguyễn Thị Lan", born 06/06/1950, near-poor (5 % 4 = 1), a phone.
    lan = members.get(full_name="Nguyễn Thị Lan")
    assert (lan.sex, lan.birth_year, lan.birth_month, lan.birth_day) == ("female", 1950, 6, 6)
    assert lan.phone == "0912345005"
    assert lan.household_status_on(datetime.date(2018, 1, 1)) == "near_poor"
    assert members.get(full_name="Lê Thị An").phone == "0912345020"  # i = 20: Lê, Thị, An


def test_a_paste_without_header_fills_from_the_cell_pasted_into(officer_page):
    page, club = officer_page
    page.fill("#id_m-1-full_name", "Trần Thị Lan")
    page.click("#id_m-1-sex")
    page.evaluate(PASTE, "Nữ\t1952\tKhó khăn\tx\r\n")
    assert page.input_value("#id_m-1-sex") == "female"
    assert page.input_value("#id_m-1-birth") == "1952"
    assert page.input_value("#id_m-1-status") == "disadvantaged"
    assert page.is_checked("#id_m-1-is_board_member")
    assert page.input_value("#id_m-0-full_name") == ""  # the rows above are untouched
    assert page.locator("#quick-grid tbody tr").count() == 10


def test_a_refused_save_shows_a_summary_that_takes_the_focus(officer_page, screenshot):
    page, club = officer_page
    rows = [
        ["Nguyễn Thị Hoà", "Nữ", "1948", "Hộ nghèo"],
        ["Trần Văn Bình", "Nam", "31/02/1950", "rất nghèo"],
        ["Lê Thị Cúc", "", "1960", ""],
    ]
    page.click("#id_m-0-full_name")
    page.evaluate(PASTE, tsv(rows))
    # A status the grid has no choice for is named; its cell keeps the default.
    assert page.locator("[data-paste-status]").inner_text() == (
        "Đã dán 3 dòng. Không đọc được, hãy chọn lại: dòng 2, Hoàn cảnh “rất nghèo”."
    )
    assert page.locator("td.paste-unread select").get_attribute("id") == "id_m-1-status"
    page.press("#id_m-2-birth", "Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert Member.objects.count() == 0
    links = page.locator("#error-summary a")
    assert links.all_inner_texts() == [
        "Dòng 2, Năm/ngày sinh: Ngày 31/02/1950 không có thật: tháng 2/1950 có 28 ngày.",
        "Dòng 3, Giới tính: Trường này là bắt buộc.",
    ]
    # Every typed value is kept, and a column keeps its width with an error in it.
    assert page.input_value("#id_m-1-birth") == "31/02/1950"
    name_width = page.locator("#id_m-0-full_name").bounding_box()["width"]
    assert name_width > 200
    screenshot(page, "13-quick-entry-errors")
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_m-2-sex"
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    screenshot(page, "14-quick-entry-errors-360")
