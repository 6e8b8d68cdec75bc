"""The list of people referred to a vocational partner and not yet placed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aktywizacja.lists import records
from pathways import services

from .conftest import REFERRED_ON
from .coordination import new_course, new_employer, new_exam, new_internship

URL = reverse("pathways:referred")


def listed(response) -> list:
    return [referral.enrolment for referral in records(response.context["table"])]


def test_the_coordinator_sees_who_waits_and_for_how_long(login, coordinator, referred_to_starostwo):
    response = login(coordinator).get(URL)
    assert response.status_code == 200
    assert listed(response) == [referred_to_starostwo]
    row = records(response.context["table"])[0]
    assert row.waiting_days == (timezone.localdate() - REFERRED_ON).days
    assert row.may_place
    body = response.content.decode()
    assert "Skierowana" in body
    assert "Kurs wózków." in body  # the referral's note
    assert "MOPS Lębork" in body  # the recruiting partner
    assert reverse("pathways:internship_new", args=[referred_to_starostwo.pk]) in body
    assert f"{reverse('pathways:courses')}?enrolment={referred_to_starostwo.pk}" in body


def test_people_not_referred_are_not_listed(login, coordinator, in_support, referred_to_starostwo):
    in_support(last_name="Nieskierowana")
    response = login(coordinator).get(URL)
    assert listed(response) == [referred_to_starostwo]
    assert "Nieskierowana" not in response.content.decode()


def test_a_person_placed_on_a_course_leaves_the_list(
    login, coordinator, world, referred_to_starostwo
):
    services.course_assign(
        user=coordinator, course=new_course(coordinator, world), enrolment=referred_to_starostwo
    )
    assert listed(login(coordinator).get(URL)) == []


def test_a_person_placed_in_an_internship_leaves_the_list(
    login, coordinator, world, referred_to_starostwo
):
    new_exam(coordinator, referred_to_starostwo)
    new_internship(coordinator, world, referred_to_starostwo, new_employer(coordinator))
    assert listed(login(coordinator).get(URL)) == []


def test_the_manager_sees_the_referrals_to_every_partner(login, manager, referred_to_starostwo):
    response = login(manager).get(URL)
    assert listed(response) == [referred_to_starostwo]
    assert records(response.context["table"])[0].may_place


def test_the_auditor_reads_the_list_without_the_buttons(login, auditor, referred_to_starostwo):
    response = login(auditor).get(URL)
    assert response.status_code == 200
    assert listed(response) == [referred_to_starostwo]
    assert not records(response.context["table"])[0].may_place
    assert reverse("pathways:internship_new", args=[referred_to_starostwo.pk]) not in (
        response.content.decode()
    )


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "nobody"])
def test_other_partners_see_nobody(request, login, referred_to_starostwo, persona):
    response = login(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert listed(response) == []
    assert "Skierowana" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("coordinator", True),
        ("manager", True),
        ("superuser", True),
        ("auditor", False),
        ("sw_lebork", False),
        ("nobody", False),
    ],
)
def test_the_navbar_offers_coordination_to_coordinators_and_managers(
    request, login, persona, shown
):
    body = login(request.getfixturevalue(persona)).get(reverse("home")).content.decode()
    assert (reverse("pathways:employers") in body) is shown
