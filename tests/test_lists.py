"""The lists' one mechanism (aktywizacja/lists.py): sorting, filters, pages, the memory of
what a user left a list with, scope whatever the filters, bounded queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktywizacja import lists
from aktywizacja.lists import records
from participants.models import Enrolment, SeatBooking
from partners.models import PlaceKind, SeatQuota
from pathways.models import Course, Employer, Internship, MedicalExam, Referral

from .factories import EnrolmentFactory, ParticipantFactory

PARTICIPANTS = reverse("participants:list")
EMPLOYERS = reverse("pathways:employers")
REFERRED = reverse("pathways:referred")
COURSES = reverse("pathways:courses")
INTERNSHIPS = reverse("pathways:internships")


def _enrol(world, organisation="MOPS Lębork", project=None, **participant) -> Enrolment:
    project = project or world.lebork
    participant.setdefault("commune", project.communes.first())
    return EnrolmentFactory(
        project=project,
        recruiting_organisation=world.organisations[organisation],
        participant=ParticipantFactory(**participant),
    )


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [p.last_name for p in records(response.context["table"])]


def _memory(client) -> dict[str, str]:
    return client.session.get(lists.SESSION_KEY, {})


# Sorting ----------------------------------------------------------------------------


def test_it_sorts_by_a_column_each_way(login, sw_lebork, world):
    for name in ("Bąk", "Adamczyk", "Cieślak"):
        _enrol(world, last_name=name)
    client = login(sw_lebork)
    assert _names(client.get(PARTICIPANTS)) == ["Adamczyk", "Bąk", "Cieślak"]
    assert _names(client.get(PARTICIPANTS, {"sort": "name"})) == ["Adamczyk", "Bąk", "Cieślak"]
    assert _names(client.get(PARTICIPANTS, {"sort": "-name"})) == ["Cieślak", "Bąk", "Adamczyk"]


def test_the_sorted_header_says_so_and_its_link_says_what_it_does(login, sw_lebork, world):
    _enrol(world, last_name="Adamczyk")
    body = login(sw_lebork).get(PARTICIPANTS, {"sort": "name"}).content.decode()
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>(.*?)</th>', body, re.S)
    assert header and 'data-sort="name"' in header.group(1)
    assert 'aria-label="Sortuj według: Nazwisko i imię, malejąco"' in header.group(1)
    assert 'aria-label="Sortuj według: PESEL, rosnąco"' in body
    assert re.search(r'<th[^>]*scope="col"', body)
    assert "<caption>Znaleziono 1 osobę</caption>" in body


def test_an_unknown_sort_is_ignored(login, sw_lebork, world):
    for name in ("Bąk", "Adamczyk"):
        _enrol(world, last_name=name)
    response = login(sw_lebork).get(PARTICIPANTS, {"sort": "pesel__gt,<b>,-password"})
    assert _names(response) == ["Adamczyk", "Bąk"]


def test_the_employers_sort_by_their_number_of_internships(login, coordinator):
    for name, nip in (("Apteka", "5252248481"), ("Bar", "1234563218")):
        Employer.objects.create(name=name, nip=nip, street="A 1", postcode="84-300", town="X")
    client = login(coordinator)
    rows = records(client.get(EMPLOYERS, {"sort": "-name"}).context["table"])
    assert [e.name for e in rows] == ["Bar", "Apteka"]


# Filters ------------------------------------------------------------------------------


def test_filters_narrow_the_list(login, sw_lebork, world):
    _enrol(world, last_name="Adamczyk", first_name="Anna")
    _enrol(world, last_name="Bąk", first_name="Beata", commune=world.communes["Wicko"])
    client = login(sw_lebork)
    assert _names(client.get(PARTICIPANTS, {"q": "adam"})) == ["Adamczyk"]
    wicko = world.communes["Wicko"].pk
    assert _names(client.get(PARTICIPANTS, {"commune": wicko})) == ["Bąk"]


def test_employers_filter_by_town(login, coordinator):
    Employer.objects.create(
        name="Apteka", nip="5252248481", street="A 1", postcode="84-300", town="Lębork"
    )
    Employer.objects.create(
        name="Bar", nip="1234563218", street="B 2", postcode="84-352", town="Łeba"
    )
    # (not "łeb": SQLite folds the case of ASCII letters only; PostgreSQL of all)
    rows = records(login(coordinator).get(EMPLOYERS, {"town": "Łeb"}).context["table"])
    assert [e.name for e in rows] == ["Bar"]


@pytest.mark.parametrize(
    "query",
    [
        {"project": "999999"},
        {"status": "NOPE"},
        {"commune": "x"},
        {"page": "abc", "sort": "name", "project": "-1"},
    ],
)
def test_an_invalid_filter_value_gives_a_message_not_an_error(login, sw_lebork, world, query):
    _enrol(world, last_name="Adamczyk")
    response = login(sw_lebork).get(PARTICIPANTS, query)
    assert response.status_code == 200
    assert "Niektórych wartości filtrów nie można użyć" in response.content.decode()
    assert _names(response) == ["Adamczyk"]  # the bad value is ignored, never widened


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (INTERNSHIPS, {"date": "2016-13"}),
        (INTERNSHIPS, {"employer": "abc"}),
        (COURSES, {"start": "31.02.2016"}),
        (COURSES, {"status": "forever"}),
        (REFERRED, {"organisation": "999999"}),
        (reverse("participants:import_list"), {"start": "yesterday"}),
    ],
)
def test_the_coordinator_lists_refuse_bad_values_with_a_message(login, coordinator, url, query):
    response = login(coordinator).get(url, query)
    assert response.status_code == 200
    assert "Niektórych wartości filtrów nie można użyć" in response.content.decode()


# Scope --------------------------------------------------------------------------------


def test_foreign_ids_in_the_filters_never_show_foreign_rows(login, sw_wicko, world):
    _enrol(world, "MOPS Lębork", last_name="Mopsowa")
    _enrol(world, "OPS Wicko", last_name="Wickowa")
    client = login(sw_wicko)
    mops = world.organisations["MOPS Lębork"].pk
    for query in (
        {"organisation": mops},
        {"project": world.leszno.pk},
        {"project": world.lebork.pk, "status": "CANDIDATE"},
        {"q": "Mopsowa"},
    ):
        assert "Mopsowa" not in _names(client.get(PARTICIPANTS, query))
    assert _names(client.get(PARTICIPANTS, {"project": world.lebork.pk})) == ["Wickowa"]


def test_a_course_of_another_organiser_stays_hidden_whatever_the_filters(
    login, sw_wicko, coordinator, world
):
    _course(world, "Kurs Starostwa")
    client = login(sw_wicko)
    starostwo = world.organisations["Starostwo Lębork"].pk
    for query in ({"provider": starostwo}, {"project": world.lebork.pk}, {"status": "upcoming"}):
        response = client.get(COURSES, query)
        assert records(response.context["table"]) == []


# Pages -----------------------------------------------------------------------------


def test_the_pages_keep_the_filters_and_the_sort(login, coordinator):
    for i in range(30):
        Employer.objects.create(
            name=f"Firma {i:02}", nip=_nip(i), street="A 1", postcode="84-300", town="Lębork"
        )
    response = login(coordinator).get(EMPLOYERS, {"town": "lęb", "sort": "-name"})
    assert len(records(response.context["table"])) == 25
    body = response.content.decode()
    assert "?town=l%C4%99b&amp;sort=-name&amp;page=2" in body
    second = login(coordinator).get(EMPLOYERS, {"town": "lęb", "sort": "-name", "page": "2"})
    assert [e.name for e in records(second.context["table"])][-1] == "Firma 00"


def test_a_page_out_of_range_shows_the_last_page(login, coordinator):
    Employer.objects.create(
        name="Apteka", nip="5252248481", street="A", postcode="84-300", town="X"
    )
    response = login(coordinator).get(EMPLOYERS, {"page": "999"})
    assert [e.name for e in records(response.context["table"])] == ["Apteka"]


def _nip(i: int) -> str:
    """A valid NIP: 9 digits and their check digit."""
    digits = [int(d) for d in f"{123456000 + i * 7:09d}"]
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if check == 10:
        return _nip(i + 1000)
    return "".join(map(str, digits)) + str(check)


# The memory: coming back bare, reset, separation --------------------------------------


def test_coming_back_bare_restores_the_filters_sort_and_page(login, sw_lebork, world):
    for i in range(30):
        _enrol(world, last_name=f"Nazwisko{i:02}")
    client = login(sw_lebork)
    client.get(PARTICIPANTS, {"status": "CANDIDATE", "sort": "-name", "page": "2"})
    back = client.get(PARTICIPANTS)
    assert back.status_code == 302
    assert back["Location"] == f"{PARTICIPANTS}?status=CANDIDATE&sort=-name&page=2"
    assert len(_names(client.get(back["Location"]))) == 5


def test_reset_forgets_the_filters(login, sw_lebork, world):
    _enrol(world, last_name="Adamczyk")
    client = login(sw_lebork)
    client.get(PARTICIPANTS, {"q": "adam"})
    reset = client.get(PARTICIPANTS, {"reset": "1"})
    assert (reset.status_code, reset["Location"]) == (302, PARTICIPANTS)
    assert client.get(PARTICIPANTS).status_code == 200
    assert PARTICIPANTS not in _memory(client)


def test_clearing_every_filter_forgets_them_too(login, sw_lebork, world):
    client = login(sw_lebork)
    client.get(PARTICIPANTS, {"q": "adam"})
    client.get(PARTICIPANTS, {"q": "", "project": ""})
    assert client.get(PARTICIPANTS).status_code == 200


def test_each_list_and_each_user_remembers_its_own(login, sw_lebork, coordinator):
    client = login(sw_lebork)
    client.get(PARTICIPANTS, {"status": "CANDIDATE"})
    assert _memory(client) == {PARTICIPANTS: "status=CANDIDATE"}
    assert client.get(reverse("participants:import_list")).status_code == 200  # not restored
    other = login(coordinator)  # another user logs in: a new session, nothing remembered
    assert other.get(PARTICIPANTS).status_code == 200
    other.get(INTERNSHIPS, {"tab": "completed"})
    assert _memory(other) == {INTERNSHIPS: "tab=completed"}


def test_the_memory_holds_only_known_validated_parameters(login, sw_lebork, world):
    client = login(sw_lebork)
    client.get(
        PARTICIPANTS,
        {
            "q": "85010112345",  # a PESEL: never remembered
            "status": "<script>",  # refused by the form
            "sort": "-name,evil",
            "next": "https://example.com/",
            "per_page": "100000",
            "page": "1",
        },
    )
    assert _memory(client) == {PARTICIPANTS: "sort=-name"}
    leszno = world.organisations["OPS Leszno"].pk  # outside the worker's projects
    client.get(PARTICIPANTS, {"q": "Nowak", "organisation": leszno})
    assert _memory(client) == {PARTICIPANTS: "q=Nowak"}


def test_list_url_gives_the_remembered_list_for_links_back(login, sw_lebork, world):
    client = login(sw_lebork)
    client.get(PARTICIPANTS, {"status": "IN_SUPPORT", "sort": "-name"})
    request = RequestFactory().get("/")
    request.session = client.session
    rendered = Template('{% load lists %}{% list_url "participants:list" %}').render(
        Context({"request": request})
    )
    assert rendered == f"{PARTICIPANTS}?status=IN_SUPPORT&amp;sort=-name"
    empty = Template('{% load lists %}{% list_url "pathways:employers" %}').render(
        Context({"request": request})
    )
    assert empty == EMPLOYERS


def test_a_list_with_arguments_remembers_per_arguments():
    request = RequestFactory().get("/")
    first, second = (reverse("participants:reserve_list", args=[1, n]) for n in (2, 3))
    request.session = {lists.SESSION_KEY: {first: "page=2"}}
    assert lists.list_url(request, "participants:reserve_list", 1, 2) == f"{first}?page=2"
    assert lists.list_url(request, "participants:reserve_list", 1, 3) == second


# The access log -------------------------------------------------------------------------


def test_a_list_records_the_people_of_its_current_page(login, sw_lebork, world):
    from participants.models import AccessEvent, AccessEventParticipant

    for i in range(30):
        _enrol(world, last_name=f"Osoba{i:02}")
    client = login(sw_lebork)
    response = client.get(PARTICIPANTS, {"sort": "-name", "page": "2"})
    shown = {p.pk for p in records(response.context["table"])}
    event = AccessEvent.objects.order_by("-pk").first()
    recorded = set(
        AccessEventParticipant.objects.filter(event=event).values_list("participant_id", flat=True)
    )
    assert len(shown) == 5
    assert recorded == shown


# Bounded queries ---------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_participant_list_asks_as_many_queries_for_10_as_for_50(login, manager, world):
    client = login(manager)
    for i in range(10):
        _enrol(world, ("MOPS Lębork", "OPS Wicko")[i % 2])
    with_10 = _count(client, PARTICIPANTS + "?sort=commune")
    for i in range(40):
        _enrol(world, ("MOPS Lębork", "OPS Wicko")[i % 2])
    assert _count(client, PARTICIPANTS + "?sort=commune&page=2") == with_10


def _referral(world, manager, organisation="MOPS Lębork") -> Referral:
    enrolment = _enrol(world, organisation)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.IN_SUPPORT, support_start=datetime.date(2016, 5, 16)
    )
    return Referral.objects.create(
        enrolment=enrolment,
        to_organisation=world.organisations["Starostwo Lębork"],
        referred_on=datetime.date(2016, 6, 1),
        referred_by=manager,
    )


def test_the_referred_list_asks_as_many_queries_for_10_as_for_50(
    login, coordinator, manager, world
):
    client = login(coordinator)
    for i in range(10):
        _referral(world, manager, ("MOPS Lębork", "OPS Wicko")[i % 2])
    with_10 = _count(client, REFERRED)
    assert len(records(client.get(REFERRED).context["table"])) == 10
    for i in range(40):
        _referral(world, manager, ("MOPS Lębork", "OPS Wicko")[i % 2])
    assert _count(client, REFERRED + "?sort=name&page=2") == with_10


def _course(world, title: str) -> Course:
    start = timezone.localdate() + datetime.timedelta(days=10)
    return Course.objects.create(
        project=world.lebork,
        organiser=world.organisations["Starostwo Lębork"],
        place_kind=PlaceKind.SPECIALIST_COURSE,
        title=title,
        hours=60,
        start_date=start,
        end_date=start + datetime.timedelta(days=20),
        capacity=10,
    )


def test_the_course_list_asks_as_many_queries_for_10_as_for_50(login, coordinator, world):
    client = login(coordinator)
    for i in range(10):
        _course(world, f"Kurs {i:02}")
    with_10 = _count(client, COURSES)
    for i in range(10, 50):
        _course(world, f"Kurs {i:02}")
    assert _count(client, COURSES + "?sort=-title&page=2") == with_10


def _internship(world, manager, employer) -> Internship:
    enrolment = _enrol(world)
    quota = SeatQuota.objects.get(
        project=world.lebork,
        organisation=world.organisations["Starostwo Lębork"],
        place_kind=PlaceKind.INTERNSHIP,
    )
    booking = SeatBooking.objects.create(
        quota=quota, enrolment=enrolment, booked_at=timezone.now(), booked_by=manager
    )
    today = timezone.localdate()
    exam = MedicalExam.objects.create(
        enrolment=enrolment,
        examined_on=today - datetime.timedelta(days=40),
        valid_until=today + datetime.timedelta(days=300),
        result="FIT",
        purpose="staż",
    )
    return Internship.objects.create(
        enrolment=enrolment,
        organiser=world.organisations["Starostwo Lębork"],
        employer=employer,
        position="pomoc",
        mentor="Jan",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
        hours_per_day=Decimal("8"),
        hours_per_week=Decimal("40"),
        medical_exam=exam,
        seat_booking=booking,
    )


def test_the_internship_board_asks_as_many_queries_for_10_as_for_50(
    login, coordinator, manager, world
):
    employer = Employer.objects.create(
        name="Apteka", nip="5252248481", street="A 1", postcode="84-300", town="Lębork"
    )
    client = login(coordinator)
    for _ in range(10):
        _internship(world, manager, employer)
    with_10 = _count(client, INTERNSHIPS)
    assert len(records(client.get(INTERNSHIPS).context["table"])) == 10
    for _ in range(40):
        _internship(world, manager, employer)
    assert _count(client, INTERNSHIPS + "?tab=running&sort=employer&page=2") == with_10


def test_saving_an_employer_goes_back_to_the_list_as_it_was_left(login, coordinator):
    client = login(coordinator)
    client.get(EMPLOYERS, {"town": "Łeb", "sort": "-name"})
    response = client.post(
        reverse("pathways:employer_new"),
        {"name": "Bar", "nip": "1234563218", "street": "B 2", "postcode": "84-352", "town": "Łeba"},
    )
    assert response["Location"] == f"{EMPLOYERS}?town=%C5%81eb&sort=-name"


def test_the_catalogue_filters_by_stage_and_use(login, coordinator):
    from pathways.models import Stage, SupportForm

    retired = SupportForm.objects.filter(stage=Stage.VOCATIONAL).first()
    SupportForm.objects.filter(pk=retired.pk).update(is_active=False)
    client = login(coordinator)
    rows = records(client.get(reverse("pathways:catalogue"), {"status": "false"}).context["table"])
    assert rows == [retired]
    rows = records(
        client.get(reverse("pathways:catalogue"), {"stage": Stage.SOCIAL}).context["table"]
    )
    assert rows and {row.stage for row in rows} == {Stage.SOCIAL}


def test_the_referred_list_filters_by_who_recruited(login, coordinator, manager, world):
    mine = _referral(world, manager, "MOPS Lębork")
    _referral(world, manager, "OPS Wicko")
    mops = world.organisations["MOPS Lębork"].pk
    client = login(coordinator)
    rows = records(client.get(REFERRED, {"recruiting_organisation": mops}).context["table"])
    assert rows == [mine]
    assert len(records(client.get(REFERRED, {"sort": "-waiting"}).context["table"])) == 2


def test_the_internships_filter_by_the_month_they_run_in(login, coordinator, manager, world):
    employer = Employer.objects.create(
        name="Apteka", nip="5252248481", street="A 1", postcode="84-300", town="Lębork"
    )
    internship = _internship(world, manager, employer)
    client = login(coordinator)
    month = internship.start_date.strftime("%Y-%m")
    assert records(client.get(INTERNSHIPS, {"date": month}).context["table"]) == [internship]
    assert records(client.get(INTERNSHIPS, {"date": "2001-01"}).context["table"]) == []
    assert records(client.get(INTERNSHIPS, {"status": "COMPLETED"}).context["table"]) == []


def test_the_courses_filter_by_whether_they_have_started(login, coordinator, world):
    course = _course(world, "Kurs przyszły")
    client = login(coordinator)
    assert records(client.get(COURSES, {"status": "upcoming"}).context["table"]) == [course]
    assert records(client.get(COURSES, {"status": "finished"}).context["table"]) == []


def test_an_empty_filter_select_reads_all(login, sw_lebork):
    page = login(sw_lebork).get(reverse("participants:list")).content.decode()
    assert '<option value="" selected>wszystkie</option>' in page
    assert "---------" not in page
