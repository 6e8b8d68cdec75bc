"""Courses: the list, a new course, its page, placing people on it within the quota,
and the exam and certificate of each participant."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from aktywizacja.lists import records
from partners.models import PlaceKind
from pathways import services
from pathways.models import Course, CourseParticipation

from .coordination import COURSE_START, error_codes, new_course, seats_taken, starostwo_quota

SPECIALIST = PlaceKind.SPECIALIST_COURSE


def detail(course) -> str:
    return reverse("pathways:course_detail", args=[course.pk])


def assign(course) -> str:
    return reverse("pathways:course_assign", args=[course.pk])


def certificate(place) -> str:
    return reverse("pathways:certificate", args=[place.pk])


@pytest.fixture
def course(coordinator, world):
    return new_course(coordinator, world, capacity=2)


@pytest.fixture
def referred_people(in_support, refer_to):
    def _make(count: int) -> list:
        return [
            refer_to(in_support(last_name=f"Osoba{n}").enrolment).enrolment for n in range(count)
        ]

    return _make


def course_data(world, **changes) -> dict:
    return {
        "project": world.lebork.pk,
        "organiser": world.organisations["Starostwo Lębork"].pk,
        "place_kind": SPECIALIST,
        "title": "Kasjer-sprzedawca z certyfikatem MEN",
        "provider_name": "Centrum Szkoleń",
        "hours": "80",
        "start_date": "03.10.2016",
        "end_date": "28.10.2016",
        "capacity": "12",
        "exam": "egzamin MEN",
    } | changes


# The list and a new course ------------------------------------------------------------


def test_the_list_shows_places_left_on_the_course_and_in_the_quota(
    login, coordinator, course, referred_to_starostwo
):
    services.course_assign(user=coordinator, course=course, enrolment=referred_to_starostwo)
    response = login(coordinator).get(reverse("pathways:courses"))
    assert response.status_code == 200
    (row,) = records(response.context["table"])
    assert row == course
    assert row.places_left == 1
    assert (row.quota.seats, row.quota.free) == (28, 27)
    assert response.context["may_create"]


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "sw_lebork"])
def test_other_partners_see_no_course(request, login, course, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("pathways:courses"))
    assert records(response.context["table"]) == []
    assert course.title not in response.content.decode()


def test_the_coordinator_creates_a_course(login, coordinator, world):
    page = login(coordinator).get(reverse("pathways:course_new"))
    assert page.status_code == 200
    assert page.context["form"].initial["organiser"] == world.organisations["Starostwo Lębork"].pk
    response = login(coordinator).post(reverse("pathways:course_new"), course_data(world))
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(course)
    assert (course.title, course.capacity, course.start_date) == (
        "Kasjer-sprzedawca z certyfikatem MEN",
        12,
        datetime.date(2016, 10, 3),
    )


def test_a_course_ending_before_it_starts_is_refused(login, coordinator, world):
    data = course_data(world, end_date="01.10.2016")
    response = login(coordinator).post(reverse("pathways:course_new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Course.objects.exists()


def test_a_course_on_a_quota_the_organiser_lacks_is_refused(login, coordinator, world):
    data = course_data(world, place_kind=PlaceKind.SCHOOL_COURSE)
    response = login(coordinator).post(reverse("pathways:course_new"), data)
    assert error_codes(response.context["form"], "organiser") == ["no_quota"]
    assert not Course.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "sw_lebork", "sw_wicko", "nobody"])
def test_who_organises_no_course_may_not_create_one(request, login, world, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("pathways:course_new")).status_code == 403
    assert client.post(reverse("pathways:course_new"), course_data(world)).status_code == 403
    assert not Course.objects.exists()


# The course's page ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "manager", "auditor"])
def test_the_course_page_opens_for_who_sees_it(request, login, course, persona):
    response = login(request.getfixturevalue(persona)).get(detail(course))
    assert response.status_code == 200
    assert response.context["places_left"] == 2
    assert response.context["quota"].free == 28


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "sw_lebork", "nobody"])
def test_the_course_pages_are_404_for_other_partners(request, login, course, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(detail(course)).status_code == 404
    assert client.get(assign(course)).status_code == 404


def test_the_page_lists_participants_and_links_the_attendance_grid(
    login, coordinator, course, referred_to_starostwo
):
    services.course_assign(user=coordinator, course=course, enrolment=referred_to_starostwo)
    response = login(coordinator).get(detail(course))
    assert [row["place"].enrolment for row in response.context["rows"]] == [referred_to_starostwo]
    try:
        session_new = reverse("pathways:session_new")
    except NoReverseMatch:  # the session grid is built separately
        return
    assert f"{session_new}?course={course.pk}" in response.content.decode()


# Placing people on the course ------------------------------------------------------------


def test_the_form_offers_only_people_referred_and_not_on_the_course(
    login, coordinator, course, in_support, referred_people
):
    on_course, waiting = referred_people(2)
    not_referred = in_support(last_name="Nieskierowana").enrolment
    services.course_assign(user=coordinator, course=course, enrolment=on_course)
    response = login(coordinator).get(assign(course))
    offered = list(response.context["form"].fields["enrolment"].queryset)
    assert offered == [waiting]
    assert not_referred not in offered
    assert response.context["places_left"] == 1
    assert response.context["quota"].free == 27


def test_placing_takes_a_seat_of_the_quota(
    login, coordinator, world, course, referred_to_starostwo
):
    before = seats_taken(world, SPECIALIST)
    response = login(coordinator).post(assign(course), {"enrolment": referred_to_starostwo.pk})
    assert response.status_code == 302
    assert response["Location"] == detail(course)
    assert seats_taken(world, SPECIALIST) == before + 1
    place = CourseParticipation.objects.get(course=course)
    assert place.enrolment == referred_to_starostwo
    assert place.seat_booking.quota == starostwo_quota(world, SPECIALIST)


def test_a_full_course_is_refused(login, coordinator, world, referred_people):
    course = new_course(coordinator, world, capacity=1)
    first, second = referred_people(2)
    services.course_assign(user=coordinator, course=course, enrolment=first)
    before = seats_taken(world, SPECIALIST)
    response = login(coordinator).post(assign(course), {"enrolment": second.pk})
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == ["course_full"]
    assert course.participations.count() == 1
    assert seats_taken(world, SPECIALIST) == before


def test_a_full_quota_is_refused(login, coordinator, world, course, referred_people):
    first, second = referred_people(2)
    services.course_assign(user=coordinator, course=course, enrolment=first)
    quota = starostwo_quota(world, SPECIALIST)
    quota.seats = seats_taken(world, SPECIALIST)
    quota.save()
    response = login(coordinator).post(assign(course), {"enrolment": second.pk})
    assert response.status_code == 200
    assert error_codes(response.context["form"]) == ["quota_full"]
    assert response.context["quota"].free == 0
    assert course.participations.count() == 1


def test_someone_not_referred_is_refused(login, coordinator, manager, course, in_support):
    not_referred = in_support(last_name="Nieskierowana").enrolment
    for user in (coordinator, manager):
        response = login(user).post(assign(course), {"enrolment": not_referred.pk})
        assert response.status_code == 200
        assert error_codes(response.context["form"], "enrolment") == ["invalid_choice"]
    assert not course.participations.exists()


def test_the_auditor_may_not_place_anyone(login, auditor, world, course, referred_to_starostwo):
    client = login(auditor)
    assert client.get(assign(course)).status_code == 403
    response = client.post(assign(course), {"enrolment": referred_to_starostwo.pk})
    assert response.status_code == 403
    assert not course.participations.exists()
    assert seats_taken(world, SPECIALIST) == 0


def test_another_partner_cannot_place_anyone(login, sw_wicko, course, referred_to_starostwo):
    response = login(sw_wicko).post(assign(course), {"enrolment": referred_to_starostwo.pk})
    assert response.status_code == 404
    assert not course.participations.exists()


# Exam and certificate ----------------------------------------------------------------------


@pytest.fixture
def place(coordinator, course, referred_to_starostwo):
    return services.course_assign(user=coordinator, course=course, enrolment=referred_to_starostwo)


CERTIFICATE = {
    "exam_passed": "true",
    "certificate_name": "Zaświadczenie UDT",
    "certificate_number": "UDT/2016/123",
    "certificate_date": "28.10.2016",
}


def test_the_coordinator_records_the_certificate(login, coordinator, course, place):
    assert login(coordinator).get(certificate(place)).status_code == 200
    response = login(coordinator).post(certificate(place), CERTIFICATE)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.exam_passed is True
    assert place.qualification_gained
    assert place.certificate_date == datetime.date(2016, 10, 28)


def test_a_certificate_before_the_course_is_refused(login, coordinator, place):
    before = (COURSE_START - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    response = login(coordinator).post(
        certificate(place), CERTIFICATE | {"certificate_date": before}
    )
    assert error_codes(response.context["form"], "certificate_date") == ["certificate_date"]
    place.refresh_from_db()
    assert place.certificate_date is None


def test_a_certificate_without_its_number_is_refused(login, coordinator, place):
    response = login(coordinator).post(certificate(place), CERTIFICATE | {"certificate_number": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    place.refresh_from_db()
    assert place.certificate_date is None


def test_the_auditor_reads_but_does_not_record_certificates(login, auditor, course, place):
    client = login(auditor)
    assert client.get(detail(course)).status_code == 200
    assert client.post(certificate(place), CERTIFICATE).status_code == 403
    place.refresh_from_db()
    assert place.exam_passed is None


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno"])
def test_certificates_are_404_for_other_partners(request, login, place, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(certificate(place)).status_code == 404
    assert client.post(certificate(place), CERTIFICATE).status_code == 404
    place.refresh_from_db()
    assert place.exam_passed is None


def test_the_referred_list_sends_a_person_to_choose_a_course(
    login, coordinator, sw_wicko, course, referred_to_starostwo
):
    url = reverse("pathways:courses")
    response = login(coordinator).get(url, {"enrolment": referred_to_starostwo.pk})
    assert response.context["placing"] == referred_to_starostwo
    assert f"{assign(course)}?enrolment={referred_to_starostwo.pk}" in response.content.decode()
    form = login(coordinator).get(f"{assign(course)}?enrolment={referred_to_starostwo.pk}")
    assert str(form.context["form"]["enrolment"].value()) == str(referred_to_starostwo.pk)
    other = login(sw_wicko).get(url, {"enrolment": referred_to_starostwo.pk})
    assert other.context["placing"] is None


def test_the_course_page_shows_the_training_stipend_due_per_month(
    login, coordinator, world, referred_to_starostwo
):
    from decimal import Decimal

    from pathways import services
    from pathways.models import SupportForm

    world.lebork.training_stipend = Decimal("997.32")
    world.lebork.save()
    course = new_course(coordinator, world)
    services.course_assign(user=coordinator, course=course, enrolment=referred_to_starostwo)
    for day in (course.start_date, course.start_date + datetime.timedelta(days=1)):
        services.session_record(
            user=coordinator,
            project=world.lebork,
            support_form=SupportForm.objects.get(name="Kursy i szkolenia specjalistyczne"),
            provider=world.organisations["Starostwo Lębork"],
            date=day,
            hours=Decimal("6"),
            specialist="instruktor",
            rows=[services.AttendanceRow(referred_to_starostwo, present=True)],
            course=course,
        )
    response = login(coordinator).get(reverse("pathways:course_detail", args=[course.pk]))
    [row] = response.context["stipends"]
    # 12 h of 150 is 8%, below the 20% floor: 997,32 × 20% = 199,464 → 199,46 zł
    assert (row.hours, row.amount, row.paid) == (Decimal("12"), Decimal("199.46"), Decimal("0"))
    assert "199,46\xa0zł" in response.content.decode()
