"""Progress in Chromium: an export button turns busy and then says the file has come
(static/js/download-progress.js); an import's bar moves without reloading the page and
the page shows the result when the run ends (static/js/import-progress.js)."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from participants.models import ParticipantImport
from partners.models import Organisation

from .support import BROWSER, axe_violations, describe, log_in

pytestmark = BROWSER

Status = ParticipantImport.Status


#: Records, in the page, every state the button and the live region go through (run
#: through the DevTools protocol, which the page's CSP does not govern).
WATCH = """([selector]) => {
    const link = document.querySelector(selector);
    const region = document.querySelector("[data-download-status]");
    window.__states = [];
    const note = () => window.__states.push({
        busy: link.getAttribute("aria-busy"),
        disabled: link.getAttribute("aria-disabled"),
        greyed: link.classList.contains("disabled"),
        spinner: !!link.querySelector(".spinner-border"),
        said: region.textContent,
    });
    const observer = new MutationObserver(note);
    observer.observe(link, {attributes: true, childList: true});
    observer.observe(region, {childList: true, characterData: true, subtree: true});
}"""


def test_an_export_button_is_busy_until_the_file_arrives(live_demo, page, screenshots):
    log_in(page, "sw.lebork")
    page.goto(f"/raporty/projekt/{live_demo.pk}/eksport/")
    expect(page.locator("[data-file-size]")).to_contain_text(re.compile(r"\d+ kolumn"))
    link = page.get_by_role("link", name="Lista uczestników (XLSX)")
    region = page.locator("[data-download-status]")
    page.evaluate(WATCH, ["a[data-download][href*='uczestnicy.xlsx']"])
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    with page.expect_download() as arrival:
        link.click()
    download = arrival.value
    assert download.suggested_filename.endswith(".xlsx")
    assert download.path().stat().st_size > 0
    expect(region).to_have_text("Plik został pobrany.")
    expect(link).not_to_have_attribute("aria-busy", "true")
    expect(link.locator(".spinner-border")).to_have_count(0)
    screenshots(page, "export-done")
    states = page.evaluate("window.__states")
    busy = {"busy": "true", "disabled": "true", "greyed": True, "spinner": True}
    assert any(busy.items() <= s.items() and s["said"] == "Przygotowuję plik…" for s in states)
    assert states[-1] == {
        "busy": None,
        "disabled": None,
        "greyed": False,
        "spinner": False,
        "said": "Plik został pobrany.",
    }
    assert any(re.search(r"uczestnicy\.xlsx\?download_token=[0-9a-f]{32}$", url) for url in asked)
    # the cookie has done its work and is gone
    assert not [c for c in page.context.cookies() if c["name"].startswith("download_")]


def test_the_report_pdf_button_says_when_the_file_came(live_demo, page):
    log_in(page, "kierownik")
    page.goto(f"/raporty/projekt/{live_demo.pk}/wskazniki/")
    region = page.locator("[data-download-status]")
    with page.expect_download() as arrival:
        page.get_by_role("link", name="Pobierz XLSX").click()
    assert arrival.value.suggested_filename.endswith(".xlsx")
    expect(region).to_have_text("Plik został pobrany.")


def test_an_import_bar_moves_and_the_page_shows_the_result(live_demo, page, screenshots):
    user = get_user_model().objects.get(username="sw.lebork")
    record = ParticipantImport.objects.create(
        project=live_demo,
        organisation=Organisation.objects.get(short_name="MOPS Lębork"),
        created_by=user,
        file_name="lista-lebork.csv",
        file_size=2048,
        status=Status.PREVIEWING,
        rows_total=500,
        rows_done=120,
    )
    log_in(page, "sw.lebork")
    page.goto(f"/uczestnicy/import/{record.pk}/")
    bar = page.locator("progress[data-progress-bar]")
    text = page.locator("[data-progress-text]")
    expect(bar).to_have_attribute("value", "120")
    expect(text).to_have_text("Sprawdzono 120 z 500 wierszy.")
    expect(page.get_by_role("link", name="Odśwież")).to_be_visible()
    assert not page.locator("meta[http-equiv]").count()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    screenshots(page, "import-running")

    # the worker moves on: the page follows without being reloaded
    page.evaluate("window.__samePage = true")
    ParticipantImport.objects.filter(pk=record.pk).update(rows_done=360)
    expect(text).to_have_text("Sprawdzono 360 z 500 wierszy.")
    expect(bar).to_have_attribute("aria-valuenow", "360")
    assert page.evaluate("window.__samePage === true")

    # the check ends: the page reloads once and shows the result, and polls no more
    ParticipantImport.objects.filter(pk=record.pk).update(
        status=Status.PREVIEWED, rows_done=500, new=500
    )
    expect(page.get_by_text(re.compile(r"Zaimportuj 500"))).to_be_visible()
    expect(page.locator("[data-import-progress]")).to_have_count(0)
    assert page.evaluate("window.__samePage === undefined")
    screenshots(page, "import-checked")
