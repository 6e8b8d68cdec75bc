"""The layout on a laptop (1366×768, 1280×800) and a tablet (1024×768 landscape,
768×1024 portrait): no page scrolls sideways (wide tables scroll inside their
.table-responsive), the navbar is one row high on a laptop, and on a tablet the menu
collapses behind its toggler, which opens it with every item."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page, expect

from tests.conftest import verified_login
from tests.samples import in_scope_sample, own_paths
from tests.urlwalk import PARAMETERS

from .support import BROWSER, log_in

pytestmark = BROWSER

LAPTOPS = {"1366x768": (1366, 768), "1280x800": (1280, 800)}
TABLETS = {"1024x768": (1024, 768), "768x1024": (768, 1024)}
VIEWPORTS = LAPTOPS | TABLETS
#: Not pages to look at: logging in and out, the health check.
SKIPPED = {"login", "logout", "health", "two_factor_verify", "two_factor_setup"}


def main_pages(username: str, project) -> list[tuple[str, str]]:
    """(URL name, path) of every page of our own that opens (200, HTML) for the user in
    the demo, as the walks build them (tests/urlwalk.py, tests/samples.py)."""
    user = get_user_model().objects.get(username=username)
    client = verified_login(Client(), user)
    pages = []
    for name, path in own_paths(user, project, skip=SKIPPED):
        response = client.get(path)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and b"<nav" in response.content:
            pages.append((name, path))
    return pages


def overflow(page: Page) -> int:
    """How many pixels the document is wider than the viewport (0: no sideways scroll)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def navbar_rows_overlap(page: Page) -> bool:
    """True when the brand and every top-level item of the navbar share one row: some
    horizontal line crosses them all."""
    return page.evaluate(
        """() => {
            const items = [document.querySelector('.navbar-brand'),
                ...document.querySelectorAll('#nav-main > .navbar-nav > li')];
            const boxes = items.map(e => e.getBoundingClientRect());
            return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
        }"""
    )


@pytest.mark.parametrize("username", ["kierownik", "sw.lebork"])
def test_no_page_scrolls_sideways_and_the_navbar_is_one_row_on_a_laptop(live_demo, page, username):
    pages = main_pages(username, live_demo)
    assert len(pages) >= 15
    log_in(page, username)
    too_wide, wrapped = [], []
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages:
            page.goto(path)
            if (extra := overflow(page)) > 0:
                too_wide.append(f"{label} {name} ({path}): {extra} px too wide")
            if label in LAPTOPS and not navbar_rows_overlap(page):
                wrapped.append(f"{label} {name}")
    assert not too_wide, "\n".join(too_wide)
    assert not wrapped, f"the navbar wraps: {wrapped}"


@pytest.mark.parametrize("viewport", TABLETS.values(), ids=TABLETS.keys())
def test_on_a_tablet_the_toggler_opens_the_whole_menu(live_demo, new_page, viewport):
    page = new_page()
    log_in(page, "kierownik")
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto("/")
    menu = page.locator("#nav-main")
    expect(menu).to_be_hidden()
    toggler = page.get_by_role("button", name="Pokaż menu")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(menu).to_be_visible()
    for name in ("Moje projekty", "Uczestnicy", "Zarejestruj uczestnika"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Wyloguj")).to_be_visible()
    menu.get_by_role("button", name="Koordynacja").click()
    expect(menu.get_by_role("link", name="Kursy")).to_be_visible()
    user_menu = menu.locator(".user-menu")
    user_menu.click()
    expect(menu.get_by_role("link", name="Zmień hasło")).to_be_visible()
    expect(menu.get_by_role("link", name="Logowanie dwuetapowe")).to_be_visible()
    assert overflow(page) <= 0


def test_on_a_laptop_the_users_items_are_in_one_menu_on_the_right(live_demo, page):
    log_in(page, "sw.lebork")
    user_menu = page.locator(".user-menu")
    expect(user_menu).to_have_text(re.compile(r"\S"))
    user_menu.click()
    expect(page.get_by_text("Pracownik socjalny, MOPS Lębork", exact=False)).to_be_visible()
    page.get_by_role("link", name="Zmień hasło").click()
    expect(page).to_have_url(re.compile(r"/konto/haslo/"))


def test_screenshots_at_each_viewport(live_demo, new_page, screenshots):
    """Home, the participant list, a participant's page and the dashboard, for review."""
    manager = get_user_model().objects.get(username="kierownik")
    person = in_scope_sample(PARAMETERS["participants:detail"]["pk"], manager, live_demo)
    paths = {
        "home": "/",
        "participants": "/uczestnicy/",
        "participant": person.get_absolute_url(),
        "dashboard": f"/raporty/projekt/{live_demo.pk}/pulpit/",
    }
    page = new_page()
    log_in(page, "kierownik")
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in paths.items():
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            screenshots(page, f"{name}-{label}")
