"""What the browser tests share: the marker, logging in through the real forms (with
the authenticator code of the demo's manager), screenshots kept as artefacts, and the
axe-core scan."""

import base64
import os
import re
import time
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from partners.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_USERS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(os.environ.get("BROWSER_ARTEFACTS", ROOT / "artefacts" / "browser"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The live server answers from another thread, so what a test writes must be committed:
# a transactional test, whose flush is undone for the next test by the serialised copy
# of the migrations' seed data.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# django-otp accepts a time step once: a second login of the same user within 30 s
# uses the next step, which the device's tolerance of one step admits.
_last_step: dict[str, int] = {}


def authenticator_code(username: str) -> str:
    step = max(int(time.time()) // 30, _last_step.get(username, -1) + 1)
    _last_step[username] = step
    totp = TOTP(base64.b32decode(DEMO_TOTP_KEY), step=30)
    totp.time = step * 30
    return f"{totp.token():06d}"


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login page, and the code page for those who need one."""
    page.goto("/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj").click()
    if username in DEMO_TOTP_USERS:
        expect(page).to_have_url(re.compile(r"/konto/weryfikacja/"))
        page.locator("input[name=code]").fill(authenticator_code(username))
        page.get_by_role("button", name=re.compile("Potwierdź|Zweryfikuj|Dalej")).click()
    expect(page.get_by_role("button", name="Wyloguj")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Wyloguj").click()


class Screenshots:
    """Screenshots of a journey's key screens, numbered in the order taken, in
    artefacts/browser/<test>/ (CI keeps the folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.taken: list[Path] = []

    def __call__(self, page: Page, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


SERIOUS = {"serious", "critical"}


def axe_violations(page: Page, impacts: set[str] = SERIOUS) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; return the
    violations of the given impacts. axe is evaluated through the DevTools protocol,
    which the page's CSP does not govern: no script is added to the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable list of violations, for an assertion's message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']}")
        lines.extend(
            f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)
