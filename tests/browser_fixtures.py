"""A headless chromium (Debian's, driven by Playwright) for the admin's browser tests, and logging in.

Used by tests/test_admin_browser.py and tests/test_upload_browser.py; the public pages' tests
keep a module-wide browser of their own (tests/test_pages_browser.py).
"""

from pathlib import Path

import pytest
from django.db import connections

from tests.admin_fixtures import PASSWORD

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server's request threads must not keep persistent PostgreSQL connections.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
        # ORM calls made inside Playwright's context get their own connection (connections are
        # context-local); close it, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def log_in(browser, live_server, user, next_path):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return page
