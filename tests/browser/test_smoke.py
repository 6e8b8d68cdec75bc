from playwright.sync_api import expect

from .support import BROWSER, log_in

pytestmark = BROWSER


def test_smoke(live_demo, page, screenshots):
    log_in(page, "kierownik")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshots(page, "home")
