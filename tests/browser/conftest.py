"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

They run in transactional tests, which flush the database afterwards; the administrative units and
the seeded phases are reloaded by the ``units`` fixture of ``tests/conftest.py`` when missing.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; the test's own ORM
# calls are still synchronous (Django's documented switch for this case).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves ``tests/screenshots/<name>.png`` (full page)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
