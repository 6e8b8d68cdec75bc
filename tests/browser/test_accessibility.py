"""Accessibility, WCAG 2.1 AA (issue 8, item 2): axe-core over every page of our own, as
the three personas who see the most, each form sent empty (its error state), the pages
seen before logging in and the error pages; and the keyboard alone through the skip link,
the menu and the registration of a participant.

One browser session per persona walks all its pages and collects what axe finds; the
test asserts once at the end, so a failure lists every page at fault. The summary of
every scan (serious, critical, moderate and minor alike) goes to
artefacts/browser/axe-report-<persona>.txt."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.demo_samples import demo_samples
from tests.samples import in_scope_sample
from tests.urlwalk import OWN_PATTERNS, PARAMETERS, parameter_names, path_for

from .support import ARTEFACTS, BROWSER, authenticator_code, axe_violations, log_in

pytestmark = BROWSER

ALL_IMPACTS = {"minor", "moderate", "serious", "critical"}
AXE_TAGS = "wcag2a, wcag2aa, wcag21a, wcag21aa"
#: not pages: files, the login (scanned before logging in), the logout, the health check
NOT_PAGES = {
    "favicon",
    "health",
    "login",
    "logout",
    "participants:import_template",
    "participants:access_history_csv",
    "reporting:participants_csv",
    "reporting:participants_xlsx",
    "reporting:report_pdf",
    "reporting:report_xlsx",
}


@dataclass
class Scan:
    """What axe found on the pages one persona opened."""

    persona: str
    pages: list[str] = field(default_factory=list)
    #: (impact, rule id, element, what is wrong) → the pages where axe found it
    found: dict[tuple[str, str, str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    failures: list[str] = field(default_factory=list)
    titles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def check(self, page: Page, label: str) -> None:
        """Scan the page as it is now; a serious or critical violation is a failure."""
        self.pages.append(f"{label} {page.url}")
        lang = page.evaluate("document.documentElement.lang")
        if lang != "pl":
            self.failures.append(f"{label}: <html lang={lang!r}>, not pl")
        for violation in axe_violations(page, ALL_IMPACTS):
            for node in violation["nodes"]:
                summary = node["failureSummary"].splitlines()[-1].strip()
                key = (violation["impact"], violation["id"], str(node["target"]), summary)
                self.found[key].append(label)

    def serious(self) -> list[str]:
        return [
            f"{impact} {rule} {target}: {summary}\n    on {len(pages)} pages: {pages[:4]}"
            for (impact, rule, target, summary), pages in sorted(self.found.items())
            if impact in {"serious", "critical"}
        ]

    def report(self) -> str:
        by_rule, by_impact = Counter(), Counter()
        for (impact, rule, _target, _summary), pages in self.found.items():
            by_rule[(impact, rule)] += len(pages)
            by_impact[impact] += len(pages)
        lines = [
            f"axe-core {AXE_TAGS} as {self.persona}: {len(self.pages)} pages scanned",
            "elements at fault by impact: "
            + ", ".join(
                f"{i} {by_impact[i]}" for i in ("critical", "serious", "moderate", "minor")
            ),
        ]
        lines += [f"  {impact} {rule}: {n}" for (impact, rule), n in sorted(by_rule.items())]
        lines.append("what and where:")
        for (impact, rule, target, summary), pages in sorted(self.found.items()):
            lines.append(f"  {impact} {rule} {target}: {summary}")
            lines.append(f"      on {len(pages)} pages: {', '.join(sorted(set(pages))[:6])}")
        lines.append("pages:")
        lines += [f"  {p}" for p in self.pages]
        return "\n".join(lines)


def _candidates(model: type, user, demo, samples: dict[type, list]) -> list:
    """Objects to open a page with: the persona's own sample first, then the demo's
    others (an action page answers only for an enrolment in the right status)."""
    first = in_scope_sample(model, user, demo)
    rest = [obj for obj in samples.get(model, []) if obj is not None and obj != first]
    return ([first] if first is not None else []) + rest


def _paths(user, demo) -> list[tuple[str, list[str]]]:
    """URL name → the paths to try, in order, for every page of our own."""
    samples = demo_samples(demo)
    walk = []
    for route, name in OWN_PATTERNS:
        if name in NOT_PAGES:
            continue
        names = parameter_names(route)
        if not names:
            walk.append((name, [path_for(route, {})]))
            continue
        options = {p: _candidates(PARAMETERS[name][p], user, demo, samples) for p in names}
        if not all(options.values()):
            continue
        tries = max(len(v) for v in options.values())
        paths = []
        for index in range(min(tries, 6)):
            values = {p: v[min(index, len(v) - 1)] for p, v in options.items()}
            paths.append(path_for(route, values))
        walk.append((name, list(dict.fromkeys(paths))))
    return walk


#: Empties every field of the page's main form and sends it, past the browser's own
#: checks (the server's errors are what is scanned). A form with nothing required is
#: left alone: sending it would act (delete, confirm) rather than show errors.
SUBMIT_EMPTY = """() => {
  const forms = [...document.querySelectorAll('main form[method=post], main form[method=POST]')];
  const form = forms.find(f => f.querySelector('[required]'));
  if (!form) return false;
  form.noValidate = true;
  for (const el of form.elements) {
    if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') el.selectedIndex = el.multiple ? -1 : 0;
    else if (el.type !== 'file') el.value = '';
  }
  const submit = form.querySelector('[type=submit]');
  submit ? form.requestSubmit(submit) : form.requestSubmit();
  return true;
}"""


def _open(page: Page, paths: list[str]) -> bool:
    """Open the first of `paths` that answers a page (after its redirects, if any:
    the caller skips those); False if none does."""
    for path in paths:
        probe = page.request.get(path)
        if probe.status == 200 and probe.headers.get("content-type", "").startswith("text/html"):
            page.goto(path)
            return True
    return False


def _redirected(page: Page, paths: list[str]) -> bool:
    return urlparse(page.url).path not in {urlparse(p).path for p in paths}


def _walk(page: Page, scan: Scan, demo, username: str, forms: bool) -> None:
    user = get_user_model().objects.get(username=username)
    for name, paths in _paths(user, demo):
        if not _open(page, paths):
            continue
        if _redirected(page, paths):  # another page, which the walk opens itself
            continue
        scan.titles[page.title()].add(name)
        scan.check(page, name)
        if forms and page.evaluate(SUBMIT_EMPTY):
            page.wait_for_load_state()
            expect(page.locator(".is-invalid, .alert-danger").first).to_be_attached()
            scan.check(page, f"{name} (sent empty)")


def _finish(scan: Scan) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    report = scan.report()
    (ARTEFACTS / f"axe-report-{scan.persona}.txt").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)
    shared = {t: n for t, n in scan.titles.items() if len(n) > 1}
    assert not shared, f"pages of different kinds share a title: {shared}"
    problems = scan.failures + scan.serious()
    assert not problems, "\n".join(problems)


def test_the_pages_before_logging_in_and_the_error_pages(live_demo, page, browser, live_server):
    scan = Scan("anonymous")
    page.goto("/konto/logowanie/")
    scan.check(page, "login")
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj").click()
    scan.check(page, "login (sent empty)")
    page.get_by_label("Nazwa użytkownika").fill("kierownik")
    page.get_by_label("Hasło").fill("nie-to-haslo")
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj").click()
    scan.check(page, "login (wrong password)")
    log_in_until_code(page, "kierownik")
    scan.check(page, "two_factor_verify")
    with page.expect_navigation():
        page.get_by_role("button", name="Potwierdź").click()
    scan.check(page, "two_factor_verify (sent empty)")
    page.locator("input[name=code]").fill(authenticator_code("kierownik"))
    page.get_by_role("button", name="Potwierdź").click()
    expect(page.get_by_role("button", name="Wyloguj")).to_be_visible()
    # A 404 answer is a console error to Chromium, which `new_page` refuses: the error
    # page opens in a context of its own, logged in as the same user.
    context = browser.new_context(
        base_url=live_server.url, storage_state=page.context.storage_state()
    )
    missing = context.new_page()
    missing.goto("/nie-ma-takiej-strony/")
    scan.check(missing, "404")
    context.close()
    _finish(scan)


def log_in_until_code(page: Page, username: str) -> None:
    from partners.demo import DEMO_PASSWORD

    page.goto("/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(re.compile(r"/konto/weryfikacja/"))


# The manager opens every form there is; the others' forms are the same templates, so
# only the manager sends them empty (it keeps the file under three minutes).
@pytest.mark.parametrize(
    ("username", "forms"), [("kierownik", True), ("sw.lebork", False), ("koord.starostwo", False)]
)
def test_every_page_passes_axe(live_demo, page, username, forms):
    """Every page of our own the persona may open, and (see above) its form sent empty."""
    scan = Scan(username)
    log_in(page, username)
    _walk(page, scan, live_demo, username, forms=forms)
    assert len(scan.pages) >= 20, scan.pages
    _finish(scan)


# The keyboard alone ---------------------------------------------------------------------


def _focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
            classes: [...el.classList], type: el.type || '', checked: !!el.checked,
            focusVisible: el.matches(':focus-visible'),
            ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                  || style.boxShadow !== 'none',
          };
        }"""
    )


def _tab_to(page: Page, matches, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if matches(focused):
            return focused
    raise AssertionError(f"not reached with {limit} presses of Tab")


def test_the_skip_link_the_menu_and_focus_work_with_the_keyboard(live_demo, page):
    log_in(page, "kierownik")
    page.goto("/")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert "skip-link" in first["classes"], first
    assert first["focusVisible"] and first["ring"], first
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    # the next stop is inside the page's content, past the menu
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # Every link and button the menu has shows where the focus is.
    page.goto("/")
    page.keyboard.press("Tab")
    toggle = _tab_to(page, lambda f: f["text"] == "Koordynacja")
    assert toggle["focusVisible"] and toggle["ring"], toggle
    page.keyboard.press("Enter")
    menu = page.locator(".dropdown-menu.show")
    expect(menu).to_be_visible()
    expect(page.locator(".dropdown-toggle[aria-expanded=true]")).to_have_text("Koordynacja")
    reached = []
    for _ in range(menu.locator("a").count()):
        page.keyboard.press("ArrowDown")
        focused = _focused(page)
        assert "dropdown-item" in focused["classes"] and focused["ring"], focused
        reached.append(focused["text"])
    assert reached == [t.strip() for t in menu.locator("a").all_inner_texts()]
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    assert _focused(page)["text"] == "Koordynacja"
    # Space opens it too (the toggle is a <button>), and so does the arrow key
    # (Bootstrap's keys); Enter on an item follows it.
    page.keyboard.press("Space")
    expect(page.locator(".dropdown-menu.show")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".dropdown-menu.show")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".dropdown-menu.show")).to_be_visible()
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # A button in the page shows its focus as well.
    button = _tab_to(page, lambda f: f["tag"] == "button" or "btn" in f["classes"])
    assert button["focusVisible"] and button["ring"], button


def _choose_by_keyboard(page: Page, label: str) -> None:
    """Move a focused closed <select> to the option whose text starts with `label`,
    with the arrow keys (reading the options to count the presses)."""
    now, target = page.evaluate(
        """(label) => {
          const el = document.activeElement;
          const index = [...el.options].findIndex(o => o.text.trim().startsWith(label));
          return [el.selectedIndex, index];
        }""",
        label,
    )
    assert target >= 0, label
    key = "ArrowDown" if target > now else "ArrowUp"
    for _ in range(abs(target - now)):
        page.keyboard.press(key)


def test_a_participant_is_registered_with_the_keyboard_alone(live_demo, page):
    from participants.models import Participant
    from tests.factories import make_pesel

    pesel = make_pesel(__import__("datetime").date(1984, 5, 14), "K", serial=733)
    typed = {
        "id_registered_on": "01.03.2018",
        "id_first_name": "Klara",
        "id_last_name": "Klawiaturowa",
        "id_pesel": pesel,
        "id_town": "Lębork",
        "id_street": "Słupska",
        "id_building_number": "12",
        "id_postcode": "84-300",
    }
    chosen = {
        "id_education": "gimnazjalne",
        "id_commune": "Lębork",
        "id_labour_market_status": "osoba bierna zawodowo",
    }
    log_in(page, "sw.lebork")
    page.goto("/uczestnicy/nowy/")
    done = set()
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = _focused(page)
        field_id = focused["id"]
        if field_id in typed and field_id not in done:
            page.keyboard.press("Control+A")
            page.keyboard.type(typed[field_id])
        elif field_id in chosen and field_id not in done:
            _choose_by_keyboard(page, chosen[field_id])
        elif field_id == "id_degurba" and field_id not in done:
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
        elif focused["tag"] == "button" and focused["text"] == "Zarejestruj":
            assert focused["ring"], focused
            break
        done.add(field_id)
    else:
        raise AssertionError("the form's button was not reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klara Klawiaturowa")
    assert Participant.objects.filter(pesel=pesel).exists()


def test_a_form_sent_with_errors_puts_the_focus_on_its_summary(live_demo, page):
    log_in(page, "sw.lebork")
    page.goto("/uczestnicy/nowy/")
    page.get_by_label("Imię").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Zarejestruj", exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Formularz zawiera błędy")
    page.keyboard.press("Tab")
    link = _focused(page)
    assert link["tag"] == "a" and link["ring"], link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
