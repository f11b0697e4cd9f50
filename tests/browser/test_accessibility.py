"""Accessibility: axe-core (``tests/assets/axe-core``) on every page of the product
(``tests/browser/pages.py``, from the URL configuration) as the officer, the board and the
administrator, at 1366 px and at 360 px, and on the forms sent back with errors; any violation
of impact serious or critical of WCAG 2.1 A/AA fails, and so does a page wider than the screen.

One browser, one signed-in context per role; each page is loaded once and checked at both widths
(the viewport is resized in place)."""

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import factories
from tests.browser import pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent.parent / "assets" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {"1366": {"width": 1366, "height": 900}, "360": {"width": 360, "height": 740}}

FITS = "(width) => document.documentElement.scrollWidth <= width"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}"""

#: Forms sent back with errors: the page, then the fields filled before sending (the others
#: are left as they are; the browser's own checks are switched off, as a user's old browser).
INVALID_FORMS = [
    ("clubs:create", {"#id_code": ""}),
    ("members:create", {"#id_full_name": ""}),
    ("members:quick", {"#id_m-0-full_name": "Nguyễn Thị A", "#id_m-0-birth": "31/02/1950"}),
    ("loans:create", {}),
    ("training:create", {}),
    ("reports:request", {"#id_date": "31/02/2020"}),
    ("password_change", {"#id_old_password": "sai"}),
    ("programme:province_targets", {"#id_clubs": "-3"}),
]


def test_the_sweep_covers_every_named_url():
    """Every named URL is swept or excepted (with a reason), and no list names a URL that is
    gone: a new page cannot be forgotten."""
    names = pages.named_urls()
    swept = set(pages.ARGS)
    excepted = {n for n in names if pages.is_excepted(n)}
    assert names - swept - excepted == set(), "pages neither swept nor excepted"
    assert swept - names == set() and set(pages.EXCEPTED) - names == set(), "stale entries"
    assert swept & excepted == set()
    assert all(reason for reason in pages.EXCEPTED.values())


def _context(browser, base, username=None):
    context = browser.new_context(viewport=WIDTHS["1366"], locale="vi-VN")
    context.add_init_script(path=str(AXE))
    if username:
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.close()
    return context


def _check(page, label, found):
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        # WCAG 1.4.10 (reflow): no sideways scrolling of the page, once the scripts that follow
        # the viewport (the charts) have redrawn.
        try:
            page.wait_for_function(FITS, arg=viewport["width"], timeout=3000)
        except PlaywrightTimeout:
            wide = page.evaluate("document.documentElement.scrollWidth")
            found.append(f"{label} @{width}: the page is {wide} px wide")
        for v in page.evaluate(RUN_AXE, TAGS):
            found.append(
                f"{label} @{width}: {v['id']} ({v['impact']}, {v['count']}) {v['targets']}"
            )
    page.set_viewport_size(WIDTHS["1366"])


def test_every_page_passes_axe(live_server, units, browser):
    from django.urls import reverse

    base = live_server.url
    objects = pages.build()
    found = []
    checked = 0

    context = _context(browser, base)
    page = context.new_page()
    for name, url in pages.pages(objects, None):
        page.goto(base + url)
        _check(page, f"anonymous {name}", found)
        checked += 1
    context.close()

    for role in pages.ROLES:
        context = _context(browser, base, objects.users[role].username)
        page = context.new_page()
        for name, url in pages.pages(objects, role):
            response = page.goto(base + url)
            expected = (404,) if (name, url) == pages.NOT_FOUND else (200, 403)
            assert response.status in expected, (role, name, response.status)
            _check(page, f"{role} {name}", found)
            checked += 1
        if objects.users[role].can_write:
            for name, fill in INVALID_FORMS:
                args = pages.ARGS[name](objects, objects.users[role])
                page.goto(base + reverse(name, args=args))
                for selector, value in fill.items():
                    page.fill(selector, value)
                with page.expect_navigation():
                    page.evaluate(
                        "() => { const b = document.querySelector('main form button.primary')"
                        " || document.querySelector('main form[method=post] [type=submit]');"
                        " b.form.noValidate = true; b.click(); }"
                    )
                assert page.locator(".error, .errors").count(), (role, name)
                _check(page, f"{role} {name} (with errors)", found)
                checked += 1
            for name in pages.UPLOADS:  # the import previews
                page.goto(base + reverse("spreadsheets:upload"))
                page.select_option("#id_kind", "members")
                page.set_input_files(
                    "#id_file",
                    files=[
                        {"name": f"{name}.xlsx", "mimeType": XLSX, "buffer": pages.upload(name)}
                    ],
                )
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
                _check(page, f"{role} spreadsheets:upload ({name})", found)
                checked += 1
        context.close()

    assert checked > 100
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)


def test_every_page_passes_axe_in_english(live_server, units, browser):
    """The same sweep in the interface's second language, as the administrator (who reaches
    every page): English labels are longer, and ``<html lang="en">`` changes what axe reads."""
    base = live_server.url
    objects = pages.build()
    found = []
    context = _context(browser, base, objects.users["admin"].username)
    page = context.new_page()
    page.goto(base + "/")
    with page.expect_navigation():
        page.click("header button[lang=en]")
    assert page.get_attribute("html", "lang") == "en"
    checked = 0
    for name, url in pages.pages(objects, "admin"):
        response = page.goto(base + url)
        expected = (404,) if (name, url) == pages.NOT_FOUND else (200, 403)
        assert response.status in expected, (name, response.status)
        assert page.get_attribute("html", "lang") == "en", name
        _check(page, f"admin (en) {name}", found)
        checked += 1
    context.close()
    assert checked > 40
    assert not found, f"{len(found)} serious or critical violations:\n" + "\n".join(found)
