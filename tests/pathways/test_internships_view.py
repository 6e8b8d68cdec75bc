"""Internships: the medical examination first, then a placement on the internship
quota; the board by status and the internship's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aktywizacja.lists import records
from partners.models import PlaceKind
from pathways.models import Internship, MedicalExam

from .coordination import error_codes, new_employer, new_exam, new_internship, seats_taken

INTERNSHIP = PlaceKind.INTERNSHIP
START = datetime.date(2016, 9, 12)


def exam_url(enrolment) -> str:
    return reverse("pathways:medical_exam_add", args=[enrolment.pk])


def new_url(enrolment) -> str:
    return reverse("pathways:internship_new", args=[enrolment.pk])


def detail(internship) -> str:
    return reverse("pathways:internship_detail", args=[internship.pk])


EXAM = {
    "examined_on": "05.09.2016",
    "valid_until": "05.09.2017",
    "result": "FIT",
    "purpose": "pomoc piekarza",
}


@pytest.fixture
def employer(coordinator):
    return new_employer(coordinator)


def internship_data(world, employer, **changes) -> dict:
    return {
        "organiser": world.organisations["Starostwo Lębork"].pk,
        "employer": employer.pk,
        "position": "pomoc piekarza",
        "mentor": "Jan Kłos",
        "start_date": START.strftime("%d.%m.%Y"),
        "end_date": "09.12.2016",
        "hours_per_day": "8",
        "hours_per_week": "40",
    } | changes


# Who may open the pages -------------------------------------------------------------------


def test_the_coordinator_sees_a_person_only_once_referred(login, coordinator, in_support, refer_to):
    enrolment = in_support(last_name="Później").enrolment
    client = login(coordinator)
    assert client.get(exam_url(enrolment)).status_code == 404
    assert client.get(new_url(enrolment)).status_code == 404
    refer_to(enrolment)
    assert client.get(exam_url(enrolment)).status_code == 200
    assert client.get(new_url(enrolment)).status_code == 200


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "nobody"])
def test_other_partners_get_404(request, login, world, employer, referred_to_starostwo, persona):
    client = login(request.getfixturevalue(persona))
    for url, data in [
        (exam_url(referred_to_starostwo), EXAM),
        (new_url(referred_to_starostwo), internship_data(world, employer)),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert not MedicalExam.objects.exists()
    assert not Internship.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "sw_lebork"])
def test_who_sees_the_person_but_does_not_coordinate_gets_403(
    request, login, world, employer, referred_to_starostwo, persona
):
    client = login(request.getfixturevalue(persona))
    for url, data in [
        (exam_url(referred_to_starostwo), EXAM),
        (new_url(referred_to_starostwo), internship_data(world, employer)),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert not MedicalExam.objects.exists()
    assert not Internship.objects.exists()


# The medical examination ----------------------------------------------------------------------


def test_the_coordinator_records_an_examination(login, coordinator, referred_to_starostwo):
    response = login(coordinator).post(exam_url(referred_to_starostwo), EXAM)
    assert response.status_code == 302
    assert response["Location"] == referred_to_starostwo.get_absolute_url()
    exam = referred_to_starostwo.medical_exams.get()
    assert (exam.result, exam.valid_until) == ("FIT", datetime.date(2017, 9, 5))


def test_after_the_examination_it_goes_back_to_the_internship(
    login, coordinator, referred_to_starostwo
):
    back = new_url(referred_to_starostwo)
    response = login(coordinator).post(f"{exam_url(referred_to_starostwo)}?next={back}", EXAM)
    assert response["Location"] == back
    response = login(coordinator).post(
        f"{exam_url(referred_to_starostwo)}?next=https://example.com/", EXAM
    )
    assert response["Location"] == referred_to_starostwo.get_absolute_url()


def test_an_examination_in_the_future_is_refused(login, coordinator, referred_to_starostwo):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = EXAM | {
        "examined_on": tomorrow.strftime("%d.%m.%Y"),
        "valid_until": (tomorrow + datetime.timedelta(days=30)).strftime("%d.%m.%Y"),
    }
    response = login(coordinator).post(exam_url(referred_to_starostwo), data)
    assert "examined_on" in response.context["form"].errors
    assert not MedicalExam.objects.exists()


# Placing in an internship ------------------------------------------------------------------------


def test_the_form_shows_the_seats_left(login, coordinator, world, referred_to_starostwo):
    response = login(coordinator).get(new_url(referred_to_starostwo))
    ((organisation, seats),) = response.context["quotas"]
    assert organisation == world.organisations["Starostwo Lębork"]
    assert (seats.seats, seats.free) == (93, 93)


def test_before_typing_the_form_says_when_no_examination_is_on_record(
    login, coordinator, referred_to_starostwo
):
    client = login(coordinator)
    response = client.get(new_url(referred_to_starostwo))
    assert response.context["no_exam_yet"]
    assert f"{exam_url(referred_to_starostwo)}?next=" in response.content.decode()
    new_exam(coordinator, referred_to_starostwo)
    response = client.get(new_url(referred_to_starostwo))
    assert not response.context["no_exam_yet"]
    assert exam_url(referred_to_starostwo) not in response.content.decode()


@pytest.mark.parametrize(
    "exam",
    [
        None,
        {"result": "UNFIT"},
        {"on": datetime.date(2016, 9, 6), "valid_days": 2},  # expires before the start
        {"on": datetime.date(2016, 9, 13)},  # done after the start
    ],
    ids=["none", "unfit", "expired", "too-late"],
)
def test_no_internship_without_a_valid_medical_exam(
    login, coordinator, world, employer, referred_to_starostwo, exam
):
    if exam is not None:
        new_exam(coordinator, referred_to_starostwo, **exam)
    response = login(coordinator).post(
        new_url(referred_to_starostwo), internship_data(world, employer)
    )
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == ["no_medical_exam"]
    assert response.context["needs_exam"]
    assert exam_url(referred_to_starostwo) in response.content.decode()  # the way to record one
    assert not Internship.objects.exists()
    assert seats_taken(world, INTERNSHIP) == 0


def test_with_a_valid_exam_the_internship_takes_a_seat(
    login, coordinator, world, employer, referred_to_starostwo
):
    exam = new_exam(coordinator, referred_to_starostwo)
    response = login(coordinator).post(
        new_url(referred_to_starostwo), internship_data(world, employer)
    )
    internship = Internship.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(internship)
    assert internship.medical_exam == exam
    assert internship.seat_booking.quota.place_kind == INTERNSHIP
    assert seats_taken(world, INTERNSHIP) == 1


def test_an_internship_ending_before_it_starts_is_refused(
    login, coordinator, world, employer, referred_to_starostwo
):
    new_exam(coordinator, referred_to_starostwo)
    data = internship_data(world, employer, end_date="01.09.2016")
    response = login(coordinator).post(new_url(referred_to_starostwo), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert seats_taken(world, INTERNSHIP) == 0


# The board and the internship's page -------------------------------------------------------


@pytest.fixture
def board(coordinator, world, employer, in_support, refer_to):
    """One internship in each tab of the board, dated around today (in a project that
    runs until next year: support is recorded only within the project's period)."""
    today = timezone.localdate()
    world.lebork.end_date = today + datetime.timedelta(days=365)
    world.lebork.save()
    plans = {
        "completed": (datetime.date(2016, 9, 12), 90),
        "running": (today - datetime.timedelta(days=30), 90),
        "ending": (today - datetime.timedelta(days=60), 70),
        "upcoming": (today + datetime.timedelta(days=10), 90),
    }
    made = {}
    for tab, (start, days) in plans.items():
        enrolment = refer_to(in_support(last_name=f"Staż-{tab}").enrolment).enrolment
        new_exam(coordinator, enrolment, on=min(start, datetime.date(2016, 9, 5)), valid_days=9999)
        made[tab] = new_internship(coordinator, world, enrolment, employer, start, days)
    return made


def test_the_board_sorts_internships_by_status(login, coordinator, board):
    client = login(coordinator)
    response = client.get(reverse("pathways:internships"))
    assert {name: count for name, _label, count in response.context["tabs"]} == dict.fromkeys(
        board, 1
    )
    for tab, internship in board.items():
        table = client.get(reverse("pathways:internships"), {"tab": tab}).context["table"]
        assert records(table) == [internship]


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "sw_lebork"])
def test_the_board_shows_other_partners_nothing(request, login, board, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("pathways:internships"))
    assert response.status_code == 200
    assert all(count == 0 for _name, _label, count in response.context["tabs"])


@pytest.mark.parametrize("persona", ["coordinator", "manager", "auditor"])
def test_the_internship_page_opens_for_who_sees_it(request, login, board, persona):
    internship = board["completed"]
    response = login(request.getfixturevalue(persona)).get(detail(internship))
    assert response.status_code == 200
    assert response.context["internship"] == internship


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "sw_lebork", "nobody"])
def test_the_internship_page_is_404_for_other_partners(request, login, board, persona):
    response = login(request.getfixturevalue(persona)).get(detail(board["completed"]))
    assert response.status_code == 404


# Closing an internship ----------------------------------------------------------------


@pytest.fixture
def internship(coordinator, world, employer, referred_to_starostwo):
    new_exam(coordinator, referred_to_starostwo, on=datetime.date(2016, 9, 5))
    return new_internship(coordinator, world, referred_to_starostwo, employer)


def test_closing_an_internship_early_records_the_real_end(login, coordinator, internship):
    url = reverse("pathways:internship_finish", args=[internship.pk])
    early = internship.start_date + datetime.timedelta(days=20)
    response = login(coordinator).post(
        url, {"status": "INTERRUPTED", "end_date": early.strftime("%d.%m.%Y")}
    )
    assert response.status_code == 302
    internship.refresh_from_db()
    assert (internship.status, internship.end_date) == ("INTERRUPTED", early)
    assert internship.seat_booking.released_at is None  # the seat was used


def test_a_completed_internship_ends_on_its_planned_day(login, coordinator, internship):
    url = reverse("pathways:internship_finish", args=[internship.pk])
    early = internship.start_date + datetime.timedelta(days=20)
    response = login(coordinator).post(
        url, {"status": "COMPLETED", "end_date": early.strftime("%d.%m.%Y")}
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    internship.refresh_from_db()
    assert internship.status != "COMPLETED"


def test_only_the_organisers_staff_close_an_internship(login, internship, sw_wicko, auditor):
    url = reverse("pathways:internship_finish", args=[internship.pk])
    data = {"status": "INTERRUPTED", "end_date": internship.start_date.strftime("%d.%m.%Y")}
    assert login(sw_wicko).post(url, data).status_code == 404
    assert login(auditor).post(url, data).status_code == 403
    internship.refresh_from_db()
    assert internship.status not in ("INTERRUPTED", "COMPLETED")
