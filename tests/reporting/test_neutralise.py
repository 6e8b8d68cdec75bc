"""No cell of an export can start a formula (OWASP CSV injection, ASVS 1.2.10)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import Participant
from reporting.exports import neutralise

from .conftest import D, person

PAYLOADS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FIELDS = ("first_name", "last_name", "street", "town", "phone")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_gets_an_apostrophe(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["Kowalska", "", "2016-05-16", "84-300", "a=b", "'=1", 36, 0, None, D(2016, 5, 16)]
)
def test_other_values_are_left_as_they_are(value):
    assert neutralise(value) == value


@pytest.fixture
def poisoned(world, manager):
    """Two participants whose every text field holds a formula."""
    for index, organisation in enumerate(["MOPS Lębork", "OPS Wicko"]):
        enrolment = person(world, manager, organisation, "X", start=D(2016, 5, 16))
        values = {name: PAYLOADS[(i + index) % len(PAYLOADS)] for i, name in enumerate(TEXT_FIELDS)}
        Participant.objects.filter(pk=enrolment.participant_id).update(
            **values, building_number="+1+1", flat_number="-1", email="@x", postcode="=1"
        )


def _assert_harmless(values: list, payloads: list[str] = PAYLOADS) -> None:
    texts = [value for value in values if isinstance(value, str)]
    assert not [value for value in texts if value.startswith(FORMULA_STARTS)]
    for payload in payloads:
        assert "'" + payload in texts  # kept, made harmless


def test_the_csv_file_holds_no_formula(world, poisoned, login, manager):
    response = login(manager).get(reverse("reporting:participants_csv", args=[world.lebork.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 3
    _assert_harmless([value for row in rows[1:] for value in row])


def test_the_xlsx_file_holds_no_formula(world, poisoned, login, manager):
    response = login(manager).get(reverse("reporting:participants_xlsx", args=[world.lebork.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Uczestnicy"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert len(cells) == 2 * 42
    assert not [cell for cell in cells if cell.data_type == "f"]
    # XML reads a carriage return back as a line feed
    _assert_harmless([cell.value for cell in cells], [p.replace("\r", "\n") for p in PAYLOADS])


def test_control_characters_cannot_hide_a_formula_in_xlsx(world, manager, login):
    enrolment = person(world, manager, "MOPS Lębork", "X", start=D(2016, 5, 16))
    Participant.objects.filter(pk=enrolment.participant_id).update(street="\x01=1+1")
    response = login(manager).get(reverse("reporting:participants_xlsx", args=[world.lebork.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Uczestnicy"]
    street = sheet.cell(row=2, column=15)
    assert (street.value, street.data_type) == ("'=1+1", "s")
