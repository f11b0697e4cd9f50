"""The national dashboard as the board sees it on a laptop (1366 px) and a phone (360 px): the
province table's criteria scroll inside their own box, nothing overflows the page, quarters are
named in Vietnamese."""

import datetime

import pytest

from tests import factories
from tests.browser.test_workspace import login

pytestmark = pytest.mark.django_db(transaction=True)

BOX = "#province-table-caption"


def box_metrics(page):
    return page.evaluate(
        """() => {
      const box = document.querySelector('#province-table').closest('.scroll-box');
      const main = document.querySelector('main').getBoundingClientRect();
      const r = box.getBoundingClientRect();
      return {scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
              right: r.right, mainRight: main.right,
              overflow: getComputedStyle(box).overflowX,
              page: document.documentElement.scrollWidth};
    }"""
    )


def test_the_province_table_scrolls_in_its_box_and_nothing_overflows(
    live_server, units, browser, screenshot
):
    base = live_server.url
    factories.user("board", role="board")
    club = factories.club(code="HG-1", founded_on=datetime.date(2016, 2, 1))
    for i in range(12):
        factories.member(club, sex="female" if i < 8 else "male", birth_year=1950 + i)

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, base, "board")
    page.goto(f"{base}/dashboard/")
    metrics = box_metrics(page)
    assert metrics["page"] == 1366
    assert metrics["overflow"] == "auto"
    assert metrics["right"] <= metrics["mainRight"]  # the box ends inside the page
    # The province names stay in view while the criteria scroll.
    name = page.locator("#province-table tbody th").first
    x_before = name.bounding_box()["x"]
    scrolled = page.evaluate(
        "() => { const b = document.querySelector('.scroll-box'); b.scrollLeft = 10000; "
        "return b.scrollLeft; }"
    )
    assert scrolled > 0  # the criteria are wider than the box: they scrolled
    assert abs(name.bounding_box()["x"] - x_before) < 1
    # The box is a named, focusable region (a keyboard scrolls it).
    region = page.locator(".scroll-box")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-labelledby") == BOX[1:]
    # Quarters in Vietnamese: the series table's first row is the first quarter of 2016.
    assert page.locator("#series-table tbody th").first.text_content() == "Quý 1/2016"
    screenshot(page, "15-national-1366")

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()  # as a phone opens it (the chart sizes itself to the window it loads in)
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    rights = page.eval_on_selector_all(
        ".card.target", "cards => cards.map(c => c.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= 360
    screenshot(page, "16-national-360")
    context.close()
