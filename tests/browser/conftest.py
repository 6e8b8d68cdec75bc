"""Fixtures of the browser tests: Debian's Chromium driven by Playwright against
pytest-django's live server, with the Lębork demo loaded (committed, for the server's
thread)."""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright

from partners.models import Project

from .support import ARTEFACTS, AXE, CHROMIUM, Screenshots

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs `npm ci`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def live_demo(live_server):
    """The demo loaded into the live server's database; returns the Lębork project."""
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())
    return Project.objects.get(short_name="lebork-2016")


class BrowserProblems(list):
    """JavaScript errors and CSP violations a page reported: a test ends with none."""


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in fresh browser contexts (one per user): `new_page()`, with
    `viewport=` for a tablet. Each page must end the test with no JavaScript error and
    no CSP violation."""
    contexts, problems = [], BrowserProblems()

    def _new_page(viewport=LAPTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="pl-PL", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.set_default_timeout(15_000)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshots(request):
    return Screenshots(ARTEFACTS / request.node.name)
