"""Enrolling a person registered in an earlier project, by PESEL and surname."""

import pytest
from django.urls import reverse

from participants import services
from participants.models import Enrolment
from tests.factories import ParticipantFactory

ENROL = reverse("participants:enrol_existing")


@pytest.fixture
def from_leszno(world, superuser):
    """A person registered in the Leszno project, living in Lębork now."""
    return services.participant_register(
        user=superuser,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        participant=ParticipantFactory.build(
            last_name="Wiśniewska", commune=world.communes["Leszno"]
        ),
    ).participant


def data(world, participant, **overrides) -> dict:
    return {
        "project": world.lebork.pk,
        "organisation": world.organisations["MOPS Lębork"].pk,
        "pesel": participant.pesel,
        "last_name": participant.last_name,
        "registered_on": "02.05.2016",
    } | overrides


def test_it_enrols_a_registered_person_as_a_candidate(login, sw_lebork, world, from_leszno):
    response = login(sw_lebork).post(ENROL, data(world, from_leszno, last_name="wiśniewska "))
    enrolment = Enrolment.objects.get(participant=from_leszno, project=world.lebork)
    assert response.status_code == 302
    assert response.url == enrolment.get_absolute_url()
    assert enrolment.status == Enrolment.Status.CANDIDATE
    assert enrolment.recruiting_organisation.short_name == "MOPS Lębork"
    # now the worker sees the person, and only the Lębork enrolment
    page = login(sw_lebork).get(reverse("participants:detail", args=[from_leszno.pk]))
    assert [card.enrolment for card in page.context["cards"]] == [enrolment]


def test_a_wrong_surname_reveals_nothing(login, sw_lebork, world, from_leszno):
    response = login(sw_lebork).post(ENROL, data(world, from_leszno, last_name="Kowalska"))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["no_match"]
    assert from_leszno.first_name not in response.content.decode()
    assert Enrolment.objects.filter(project=world.lebork).count() == 0


def test_a_person_already_in_the_project_is_refused_at_the_pesel(login, sw_lebork, register, world):
    enrolment = register("OPS Wicko")
    response = login(sw_lebork).post(ENROL, data(world, enrolment.participant))
    errors = response.context["form"].errors.as_data()["pesel"]
    assert [e.code for e in errors] == ["enrolled"]
    assert "OPS Wicko" in errors[0].message
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("persona", ["auditor", "coordinator", "nobody"])
def test_who_may_register_nowhere_gets_403(request, login, world, from_leszno, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(ENROL).status_code == 403
    assert client.post(ENROL, data(world, from_leszno)).status_code == 403
    assert not Enrolment.objects.filter(project=world.lebork).exists()


def test_another_partners_worker_cannot_enrol_for_it(login, sw_wicko, world, from_leszno):
    response = login(sw_wicko).post(ENROL, data(world, from_leszno))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Enrolment.objects.filter(project=world.lebork).exists()
