"""The participant list in the funder's layout: columns, values, rows, files, access."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from participants.models import Answer, Degurba, Education, LabourMarketStatus, Participant
from participants.models import LabourMarketSubstatus as Substatus
from partners.scoping import scope_for
from pathways.models import Pathway, Stage
from reporting.exports import (
    participant_rows,
    write_participants_csv,
    write_participants_xlsx,
)
from reporting.funder import FUNDER_COLUMNS
from reporting.resources import ParticipantListResource
from reporting.selection import Selection
from tests.factories import UserFactory

from .conftest import D, Status, person

# Typed from DESIGN.md §6, "Participant list", in its order.
DESIGN_COLUMNS = [
    "Kraj",
    "Rodzaj uczestnika",
    "Nazwa instytucji",
    "Imię",
    "Nazwisko",
    "PESEL",
    "Brak PESEL",
    "Płeć",
    "Wiek w chwili przystąpienia do projektu",
    "Wykształcenie",
    "Województwo",
    "Powiat",
    "Gmina",
    "Miejscowość",
    "Ulica",
    "Nr budynku",
    "Nr lokalu",
    "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy",
    "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym",
    "Wykonywany zawód",
    "Zatrudniony w",
    "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
    "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia",
    "W tym",
    "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu",
    "Data założenia działalności gospodarczej",
    "Kwota przyznanych środków na założenie działalności gospodarczej",
    "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej (niż wymienione powyżej)",
]


@pytest.fixture
def recorder(db):
    return UserFactory()


def someone(world, recorder, organisation, last_name, *, first_name=None, **kwargs):
    """`person` of the shared scenario, with a first name of our choice."""
    enrolment = person(world, recorder, organisation, last_name, **kwargs)
    if first_name:
        Participant.objects.filter(pk=enrolment.participant_id).update(first_name=first_name)
        enrolment.participant.first_name = first_name
    return enrolment


def rows_of(selection) -> list[dict]:
    """The rows as {column: value}; the second "W tym" is read as "W tym (wsparcie)"."""
    columns = list(FUNDER_COLUMNS)
    columns[32] = "W tym (wsparcie)"
    return [dict(zip(columns, row, strict=True)) for row in participant_rows(selection)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content))["Uczestnicy"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# Columns and values ---------------------------------------------------------------------


def test_the_columns_are_the_funders_in_its_order():
    assert len(DESIGN_COLUMNS) == 42  # "W tym" twice
    assert FUNDER_COLUMNS == DESIGN_COLUMNS
    assert ParticipantListResource().get_export_headers() == DESIGN_COLUMNS


def test_a_participant_in_the_funders_words(world, recorder):
    enrolment = someone(world, recorder, "MOPS Lębork", "Kowalska", status=Status.COMPLETED,
                       born=D(1980, 5, 17), start=D(2016, 5, 16), end=D(2016, 12, 15),
                       exit={"employed": True, "in_education": True}, first_name="Anna",
                       commune=world.communes["Lębork"], town="Lębork", street="Długa",
                       building_number="7A", flat_number="3", postcode="84-300",
                       degurba=Degurba.RURAL, education=Education.ISCED_3,
                       phone="600 100 200", email="anna@example.pl",
                       labour_market_status=LabourMarketStatus.UNEMPLOYED_UNREGISTERED,
                       labour_market_substatus=Substatus.LONG_TERM_UNEMPLOYED,
                       disability=Answer.REFUSED,
                       homeless_or_housing_exclusion=Answer.YES)  # fmt: skip
    Pathway.objects.create(enrolment=enrolment, stage=Stage.VOCATIONAL, needs="Kurs.")
    (row,) = rows_of(Selection(project=world.lebork))
    participant = enrolment.participant
    assert row == {
        "Kraj": "Polska",
        "Rodzaj uczestnika": "Indywidualny",
        "Nazwa instytucji": "",
        "Imię": "Anna",
        "Nazwisko": "Kowalska",
        "PESEL": participant.pesel,
        "Brak PESEL": "Nie",
        "Płeć": "Kobieta",
        "Wiek w chwili przystąpienia do projektu": 35,  # 36 a day later
        "Wykształcenie": "ponadgimnazjalne (ISCED 3)",
        "Województwo": "pomorskie",
        "Powiat": "lęborski",
        "Gmina": "Lębork",
        "Miejscowość": "Lębork",
        "Ulica": "Długa",
        "Nr budynku": "7A",
        "Nr lokalu": "3",
        "Kod pocztowy": "84-300",
        "Obszar wg stopnia urbanizacji (DEGURBA)": (
            "3 - Obszary wiejskie (o małej gęstości zaludnienia)"
        ),
        "Telefon kontaktowy": "600 100 200",
        "Adres e-mail": "anna@example.pl",
        "Data rozpoczęcia udziału w projekcie": "2016-05-16",
        "Data zakończenia udziału w projekcie": "2016-12-15",
        "Status osoby na rynku pracy w chwili przystąpienia do projektu": (
            "osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"
        ),
        "W tym": "osoba długotrwale bezrobotna",
        "Wykonywany zawód": "",
        "Zatrudniony w": "",
        "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie": "osoba pracująca",
        "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie": (
            "osoba kształcąca się lub szkoląca po opuszczeniu programu"
        ),
        "Inne rezultaty dotyczące osób młodych": "",
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
        "uczestnictwa": "Tak",
        "Rodzaj przyznanego wsparcia": "aktywna integracja",
        "W tym (wsparcie)": "o charakterze społecznym i zawodowym",
        "Data rozpoczęcia udziału we wsparciu": "2016-05-16",
        "Data zakończenia udziału we wsparciu": "2016-12-15",
        "Data założenia działalności gospodarczej": "",
        "Kwota przyznanych środków na założenie działalności gospodarczej": "",
        "PKD założonej działalności gospodarczej": "",
        "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
        "pochodzenia": "Nie",
        "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań": "Tak",
        "Osoba z niepełnosprawnościami": "Odmowa podania informacji",
        "Osoba w innej niekorzystnej sytuacji społecznej (niż wymienione powyżej)": "Nie",
    }


def test_the_age_counts_whole_years_on_the_first_support(world, recorder):
    person(world, recorder, "MOPS Lębork", "A", born=D(1980, 5, 16), start=D(2016, 5, 16))
    person(world, recorder, "MOPS Lębork", "B", born=D(1980, 5, 17), start=D(2016, 5, 16))
    ages = [
        row["Wiek w chwili przystąpienia do projektu"] for row in rows_of(Selection(world.lebork))
    ]
    assert ages == [36, 35]


@pytest.mark.parametrize(
    ("outcomes", "situations"),
    [
        ({}, ("inne", "")),
        ({"seeking_work": True}, ("osoba poszukująca pracy po opuszczeniu programu", "")),
        (
            {"self_employed": True, "qualification_gained": True, "seeking_work": True},
            (
                "osoba prowadząca działalność na własny rachunek",
                "osoba poszukująca pracy po opuszczeniu programu",
            ),
        ),
    ],
)
def test_the_situations_on_leaving_in_the_funders_order(world, recorder, outcomes, situations):
    person(world, recorder, "MOPS Lębork", "A", status=Status.DROPPED_OUT, start=D(2016, 5, 16),
           end=D(2016, 9, 30), exit=outcomes)  # fmt: skip
    (row,) = rows_of(Selection(world.lebork))
    assert (
        row["Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"],
        row["Sytuacja (2) osoby w momencie zakończenia udziału w projekcie"],
    ) == situations
    assert row["Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
               "uczestnictwa"] == "Nie"  # fmt: skip


def test_a_person_in_support_has_no_end_yet(world, recorder):
    enrolment = person(world, recorder, "MOPS Lębork", "A", start=D(2016, 5, 16))
    enrolment.participant.no_pesel, enrolment.participant.pesel = True, ""
    enrolment.participant.other_identifier = "Paszport AB123"
    enrolment.participant.save()
    (row,) = rows_of(Selection(world.lebork))
    assert row["Data zakończenia udziału w projekcie"] == ""
    assert row["Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"] == ""
    assert row["Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
               "uczestnictwa"] == ""  # fmt: skip
    assert row["W tym (wsparcie)"] == "o charakterze społecznym"  # no pathway yet
    assert (row["PESEL"], row["Brak PESEL"]) == ("", "Tak")


# Which rows ------------------------------------------------------------------------------


def names(selection) -> list[str]:
    return [row["Nazwisko"] for row in rows_of(selection)]


def test_only_people_who_received_support_in_the_order_of_names(world, recorder):
    person(world, recorder, "MOPS Lębork", "Candidate", status=Status.CANDIDATE)
    not_yet = person(world, recorder, "MOPS Lębork", "Seated", start=D(2016, 5, 16))
    not_yet.participation_start = None  # taken into support, no support received yet
    not_yet.save()
    someone(world, recorder, "MOPS Lębork", "Zalewska", start=D(2016, 5, 16), first_name="Anna")
    someone(world, recorder, "OPS Wicko", "Adamska", start=D(2016, 6, 1), first_name="Ewa")
    someone(world, recorder, "OPS Wicko", "Adamska", start=D(2016, 6, 1), first_name="Alicja")
    assert names(Selection(world.lebork)) == ["Adamska", "Adamska", "Zalewska"]
    assert [r["Imię"] for r in rows_of(Selection(world.lebork))][:2] == ["Alicja", "Ewa"]


def test_the_period_keeps_those_who_took_part_in_it(world, recorder):
    r = recorder
    person(world, r, "MOPS Lębork", "Before", status=Status.COMPLETED, start=D(2016, 5, 16),
           end=D(2016, 12, 31), exit={})  # fmt: skip
    person(world, r, "MOPS Lębork", "EndsOnFirstDay", status=Status.COMPLETED,
           start=D(2016, 5, 16), end=D(2017, 1, 1), exit={})  # fmt: skip
    person(world, r, "MOPS Lębork", "Open", start=D(2016, 5, 16))
    person(world, r, "MOPS Lębork", "StartsOnLastDay", start=D(2017, 3, 31))
    person(world, r, "MOPS Lębork", "After", start=D(2017, 4, 1))
    period = Selection(world.lebork, start=D(2017, 1, 1), end=D(2017, 3, 31))
    assert names(period) == ["EndsOnFirstDay", "Open", "StartsOnLastDay"]
    assert len(names(Selection(world.lebork))) == 5
    assert names(Selection(world.lebork, end=D(2016, 12, 31))) == [
        "Before",
        "EndsOnFirstDay",
        "Open",
    ]


def test_a_partner_and_the_users_scope_limit_the_rows(world, recorder, sw_lebork):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    person(world, recorder, "OPS Wicko", "Wicko", start=D(2016, 5, 16))
    mops = world.organisations["MOPS Lębork"]
    assert names(Selection(world.lebork, organisation=mops)) == ["Mops"]
    assert names(Selection(world.lebork, user=sw_lebork)) == ["Mops"]


def test_the_number_of_queries_does_not_grow_with_the_rows(world, recorder, manager):
    def queries(count: int) -> int:
        for _ in range(count):
            enrolment = person(world, recorder, "MOPS Lębork", "X", status=Status.COMPLETED,
                               start=D(2016, 5, 16), end=D(2016, 12, 15),
                               exit={"employed": True})  # fmt: skip
            Pathway.objects.create(enrolment=enrolment, needs="Wsparcie.")
        scope_for(manager, refresh=True)
        selection = Selection(world.lebork, user=manager)
        with CaptureQueriesContext(connection) as captured:
            rows = write_participants_csv(selection, io.StringIO())
            write_participants_xlsx(selection, io.BytesIO())
        return rows, len(captured)

    rows_2, queries_2 = queries(2)
    rows_12, queries_12 = queries(10)
    assert (rows_2, rows_12) == (2, 12)
    assert queries_2 == queries_12 == 2  # one per file


# Writers ------------------------------------------------------------------------------------


def test_the_csv_file_is_semicolon_separated_utf8_with_bom(world, recorder):
    person(world, recorder, "MOPS Lębork", 'Żółć; "cytat"', start=D(2016, 5, 16))
    stream = io.StringIO(newline="")
    assert write_participants_csv(Selection(world.lebork), stream) == 1
    rows = read_csv(stream.getvalue().encode("utf-8"))
    assert rows[0] == DESIGN_COLUMNS
    assert rows[1][4] == 'Żółć; "cytat"'
    assert rows[1][8] == "36"


def test_the_xlsx_sheet_can_join_another_workbook(world, recorder):
    person(world, recorder, "MOPS Lębork", "Nowak", start=D(2016, 5, 16))
    workbook = Workbook(write_only=True)
    workbook.create_sheet("Wskaźniki").append(["x"])
    assert write_participants_xlsx(Selection(world.lebork), workbook=workbook) == 1
    workbook.create_sheet("Budżet").append(["y"])
    file = io.BytesIO()
    workbook.save(file)
    loaded = load_workbook(io.BytesIO(file.getvalue()))
    assert loaded.sheetnames == ["Wskaźniki", "Uczestnicy", "Budżet"]
    rows = [[c.value for c in row] for row in loaded["Uczestnicy"].iter_rows()]
    assert rows[0] == DESIGN_COLUMNS
    assert rows[1][4] == "Nowak"
    assert rows[1][8] == 36  # a number
    assert rows[1][21] == "2016-05-16"


def test_xlsx_needs_somewhere_to_go(world):
    with pytest.raises(TypeError):
        write_participants_xlsx(Selection(world.lebork))


# Views --------------------------------------------------------------------------------------


def url(name: str, project, query: str = "") -> str:
    return reverse(f"reporting:{name}", args=[project.pk]) + (f"?{query}" if query else "")


def test_the_manager_downloads_both_files(world, recorder, login, manager):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    person(world, recorder, "OPS Wicko", "Wicko", start=D(2016, 5, 16))
    client = login(manager)
    response = client.get(url("participants_csv", world.lebork))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "lebork" in disposition
    assert disposition.endswith('.csv"')
    rows = read_csv(b"".join(response.streaming_content))
    assert [row[4] for row in rows[1:]] == ["Mops", "Wicko"]

    response = client.get(url("participants_xlsx", world.lebork))
    assert response.status_code == 200
    assert "lebork" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = read_xlsx(b"".join(response.streaming_content))
    assert [row[4] for row in rows[1:]] == ["Mops", "Wicko"]


def test_a_partner_chosen_by_the_manager(world, recorder, login, manager):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    person(world, recorder, "OPS Wicko", "Wicko", start=D(2016, 5, 16))
    wicko = world.organisations["OPS Wicko"].pk
    response = login(manager).get(url("participants_csv", world.lebork, f"organisation={wicko}"))
    assert [row[4] for row in read_csv(b"".join(response.streaming_content))[1:]] == ["Wicko"]


def test_a_social_worker_exports_own_organisations_participants(world, recorder, login, sw_lebork):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    person(world, recorder, "OPS Wicko", "Wicko", start=D(2016, 5, 16))
    client = login(sw_lebork)
    response = client.get(url("participants_csv", world.lebork))
    assert [row[4] for row in read_csv(b"".join(response.streaming_content))[1:]] == ["Mops"]
    response = client.get(url("participants_xlsx", world.lebork))
    assert [row[4] for row in read_xlsx(b"".join(response.streaming_content))[1:]] == ["Mops"]
    page = client.get(url("exports", world.lebork))
    assert page.status_code == 200 and page.context["participants"] == 1


@pytest.mark.parametrize("name", ["exports", "participants_csv", "participants_xlsx", "quality"])
@pytest.mark.parametrize("persona", ["sw_leszno", "nobody"])
def test_outside_the_project_is_404(world, recorder, login, request, name, persona):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    client = login(request.getfixturevalue(persona))
    assert client.get(url(name, world.lebork)).status_code == 404


@pytest.mark.parametrize("name", ["participants_csv", "participants_xlsx"])
def test_nobody_to_export_makes_no_file(world, recorder, login, manager, name):
    person(world, recorder, "MOPS Lębork", "Candidate", status=Status.CANDIDATE)
    response = login(manager).get(url(name, world.lebork, "start=2016-01-01"))
    assert response.status_code == 302
    assert response["Location"] == url("exports", world.lebork, "start=2016-01-01")
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert str(message) == gettext(
        "The file was not made: nobody in this selection has received support in the period."
    )


@pytest.mark.parametrize("name", ["participants_csv", "participants_xlsx"])
def test_a_wrong_period_makes_no_file(world, recorder, login, manager, name):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    query = "start=2017-01-01&end=2016-01-01"
    response = login(manager).get(url(name, world.lebork, query))
    assert response.status_code == 302
    assert response["Location"] == url("exports", world.lebork, query)
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert str(message).endswith(gettext("The period cannot end before it starts."))


def test_a_social_worker_cannot_pick_another_partner(world, recorder, login, sw_lebork):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    person(world, recorder, "OPS Wicko", "Wicko", start=D(2016, 5, 16))
    wicko = world.organisations["OPS Wicko"].pk
    response = login(sw_lebork).get(url("participants_csv", world.lebork, f"organisation={wicko}"))
    assert [row[4] for row in read_csv(b"".join(response.streaming_content))[1:]] == ["Mops"]


def test_the_exports_page_carries_the_selection_to_every_link(world, recorder, login, auditor):
    person(world, recorder, "MOPS Lębork", "Mops", start=D(2016, 5, 16))
    # completed without exit data and without the follow-up due: two problems
    person(world, recorder, "MOPS Lębork", "Bez", status=Status.COMPLETED, start=D(2016, 5, 16),
           end=D(2016, 12, 15))  # fmt: skip
    query = "start=2016-01-01&end=2016-12-31"
    response = login(auditor).get(url("exports", world.lebork, query))
    assert response.status_code == 200
    assert response.context["participants"] == 2
    quality = response.context["quality"]
    assert {row.rule.code: row.count for row in quality.counts if row.count} == {
        "exit_missing": 1,
        "follow_up_missing": 1,
    }
    assert quality.total == 2
    html = response.content.decode()
    for name in ("participants_csv", "participants_xlsx", "quality"):
        assert url(name, world.lebork, query).replace("&", "&amp;") in html


def test_the_exports_page_with_a_wrong_period(world, login, manager):
    response = login(manager).get(url("exports", world.lebork, "start=2017-01-01&end=2016-01-01"))
    assert response.status_code == 200
    assert response.context["selection"] is None
    assert reverse("reporting:participants_csv", args=[world.lebork.pk]) not in (
        response.content.decode()
    )
