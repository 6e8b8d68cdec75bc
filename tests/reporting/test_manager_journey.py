"""The issue's "done when", through the screens: the project manager opens the
dashboard of the hand-built partnership and downloads the participant list (XLSX,
CSV) and the report (XLSX, PDF); every file shows the figures worked out by hand in
`test_indicators.py`. A social worker of another partner gets the same files with
only their own people."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.exports import FUNDER_COLUMNS

pytestmark = pytest.mark.usefixtures("budget")

# The twenty who started support (see `scenario`), by surname.
EVERYONE = {f"A{n}" for n in range(1, 6)} | {f"C{n}" for n in range(1, 13)} | {"D1", "D2", "D3"}
WICKO = {"A3", "A5", "C3", "C4", "C8", "C12", "D2"}


def url(name, world, query=""):
    return reverse(f"reporting:{name}", args=[world.lebork.pk]) + query


def csv_surnames(response) -> tuple[list, set]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], {row[FUNDER_COLUMNS.index("Nazwisko")] for row in rows[1:]}


def xlsx_rows(response, sheet: str) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook[sheet].iter_rows(values_only=True))


def test_the_manager_sees_the_hand_computed_figures_everywhere(login, manager, scenario):
    world = scenario.world
    client = login(manager)

    dashboard = client.get(url("dashboard", world))
    assert dashboard.status_code == 200
    indicators = dashboard.context["indicators"]
    assert (indicators["supported"].total, indicators["finishers"].total) == (20, 13)
    assert [r.value for r in indicators.rates] == [
        Decimal("23.08"),
        Decimal("50.00"),
        Decimal("50.00"),
    ]
    page = dashboard.content.decode()
    assert "23,08" in page and "<svg" in page
    assert dashboard.context["budget"].totals.spent_to_date == Decimal("4154.36")

    header, surnames = csv_surnames(client.get(url("participants_csv", world)))
    assert header == FUNDER_COLUMNS
    assert surnames == EVERYONE

    rows = xlsx_rows(client.get(url("participants_xlsx", world)), "Uczestnicy")
    assert list(rows[0]) == FUNDER_COLUMNS
    assert {row[FUNDER_COLUMNS.index("Nazwisko")] for row in rows[1:]} == EVERYONE

    report = xlsx_rows(client.get(url("report_xlsx", world)), "Wskaźniki")
    numbers = {row[1]: row[2:5] for row in report if row and row[1]}
    assert (20, 11, 9) in numbers.values()  # supported, women, men
    assert (13, 8, 5) in numbers.values()  # finishers
    rates = [row for row in report if row and row[4] == 3 and row[5] == 13]
    assert [(row[1], row[2]) for row in rates] == [(23.08, 34)]  # social effectiveness

    pdf = client.get(url("report_pdf", world))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "23,08" in text
    assert "4 154,36 zł" in text.replace("\xa0", " ")


def test_a_social_worker_downloads_only_their_own_people(login, sw_wicko, scenario):
    world = scenario.world
    client = login(sw_wicko)
    _header, surnames = csv_surnames(client.get(url("participants_csv", world)))
    assert surnames == WICKO
    dashboard = client.get(url("dashboard", world))
    assert dashboard.context["indicators"]["supported"].total == len(WICKO)
    report = xlsx_rows(client.get(url("report_xlsx", world)), "Wskaźniki")
    assert (7, 4, 3) in {row[2:5] for row in report if row and row[1]}
