"""The verification page of a report's figures in a browser, at 1366 and 360 px: what changed
since the report was frozen, with nothing wider than the screen."""

import datetime

from reporting.documents import run_document
from reporting.models import Phase
from reporting.tasks import request_document
from tests import factories
from tests.reporting import pdf_data


def test_verify_page_shows_the_changes(live_server, units, browser, screenshot):
    data = pdf_data.build(factories)
    board = factories.user("board", role="board")
    document, _ = request_document(
        phase=Phase.objects.get(code=pdf_data.PHASE),
        as_of=pdf_data.AS_OF,
        province=data["ha_giang"],
        user=board,
    )
    code = run_document(document.pk).snapshot.code
    new = factories.club(founded_on=datetime.date(2019, 1, 1), province_code="02", code="HG-N")
    factories.member(new, sex="male", birth_year=1990)
    factories.member(data["a"], sex="female", birth_year=1950, joined_on=datetime.date(2019, 2, 1))

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "board")
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/reports/verify/")
    page.fill("#id_code", code.lower())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/reports/verify/{code}/")
    text = page.inner_text("main")
    assert "Số liệu đã thay đổi kể từ khi chốt." in text
    assert "Thêm 1 CLB: HG-N" in text
    screenshot(page, "report-verify-1366")
    page.set_viewport_size({"width": 360, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.is_visible("text=HG-A")
    screenshot(page, "report-verify-360")
    context.close()
