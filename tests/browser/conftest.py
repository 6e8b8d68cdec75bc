"""Fixtures of the browser tests: Debian's Chromium driven by Playwright against
pytest-django's live server, with the Lębork demo loaded (committed, for the server's
thread)."""

import os
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright

from partners.models import Project
from pathways.models import SupportForm

from .support import ARTEFACTS, AXE, CHROMIUM, Screenshots

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs `npm ci`.")
    # Playwright's sync API keeps an event loop in this thread from here on; the ORM
    # calls of the tests (and the flushes of every later transactional test of this
    # process) are still synchronous. tests/test_settings.py keeps it out of the
    # deploy check.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def live_demo(live_server):
    """The demo loaded into the live server's database; returns the Lębork project."""
    if not SupportForm.objects.exists():  # emptied by an earlier test's flush
        import_module("pathways.migrations.0002_seed_support_catalogue").seed(apps, None)
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())
    return Project.objects.get(short_name="lebork-2016")


class BrowserProblems(list):
    """JavaScript errors and CSP violations a page reported: a test ends with none."""


def _console(message, problems: BrowserProblems) -> None:
    # Chromium logs every answer >= 400 as "Failed to load resource", the page itself
    # too; a refused page is what some tests expect, so answers are judged in
    # _subresource, where a page and the files it loads can be told apart.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console: {message.text}")


def _subresource(response, problems: BrowserProblems) -> None:
    """A file a page loads (style, script, image, icon) must be there; the page itself
    may be a 404 or 403 that the test then checks."""
    if response.status >= 400 and response.request.resource_type != "document":
        problems.append(f"{response.status} for {response.url}")


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in fresh browser contexts (one per user): `new_page()`, with
    `viewport=` for a tablet. Each page must end the test with no JavaScript error, no
    CSP violation and no missing file; a refused page itself is the test's to check
    (`page.goto(url).status`)."""
    contexts, problems = [], BrowserProblems()

    def _new_page(viewport=LAPTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="pl-PL", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript: {error}"))
        page.on("console", lambda message: _console(message, problems))
        page.on("response", lambda response: _subresource(response, problems))
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
