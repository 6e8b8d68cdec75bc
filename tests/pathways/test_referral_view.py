"""Referring a participant to a vocational partner, and what the partner then sees."""

import datetime

import pytest
from django.urls import reverse

from aktywizacja.lists import records
from pathways.models import Referral, Stage

from .screens import (
    OTHERS,
    error_codes,
    messages_of,
    pathway_of,
    url,
)


def referral(world, organisation: str = "Starostwo Lębork", **changes) -> dict:
    return {
        "to_organisation": world.organisations[organisation].pk,
        "referred_on": "01.06.2016",
        "note": "Kurs operatora wózka widłowego.",
        **changes,
    }


def listed(client, enrolment) -> bool:
    table = client.get(reverse("participants:list")).context["table"]
    return enrolment.participant_id in {participant.pk for participant in records(table)}


def test_the_referral_hands_the_person_to_the_coordinators(
    login, sw_lebork, coordinator, with_pathway, world
):
    enrolment = with_pathway(last_name="Skierowana")
    coordinators = login(coordinator)
    assert coordinators.get(url("detail", enrolment)).status_code == 404
    assert not listed(coordinators, enrolment)

    client = login(sw_lebork)
    assert client.get(url("refer", enrolment)).status_code == 200
    response = client.post(url("refer", enrolment), referral(world), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", enrolment)
    assert len(messages_of(response)) == 1
    made = Referral.objects.get()
    assert (made.to_organisation.short_name, made.referred_by) == ("Starostwo Lębork", sw_lebork)
    assert made.note == "Kurs operatora wózka widłowego."
    assert pathway_of(enrolment).stage == Stage.VOCATIONAL

    coordinators = login(coordinator)
    assert coordinators.get(url("detail", enrolment)).status_code == 200
    assert listed(coordinators, enrolment)


def test_only_the_vocational_partners_are_offered(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    offered = client.get(url("refer", enrolment)).context["form"].fields["to_organisation"]
    assert [o.short_name for o in offered.queryset] == ["Starostwo Lębork"]
    response = client.post(url("refer", enrolment), referral(world, "OPS Wicko"))
    assert error_codes(response, "to_organisation") == ["invalid_choice"]
    assert not Referral.objects.exists()


def test_a_referral_needs_the_pathway_and_support(
    login, sw_lebork, in_support, qualified_candidate, world
):
    client = login(sw_lebork)
    without_pathway = in_support(last_name="Bez").enrolment
    response = client.post(url("refer", without_pathway), referral(world))
    assert error_codes(response) == ["no_pathway"]
    candidate = qualified_candidate()
    response = client.post(url("refer", candidate), referral(world))
    assert error_codes(response) == ["not_in_support"]
    assert not Referral.objects.exists()


def test_a_referral_cannot_be_dated_in_the_future(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    future = datetime.date.today() + datetime.timedelta(days=3)
    data = referral(world, referred_on=f"{future:%d.%m.%Y}")
    response = login(sw_lebork).post(url("refer", enrolment), data)
    assert error_codes(response, "referred_on") == ["future"]
    assert not Referral.objects.exists()


def test_a_referral_is_made_once(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    assert client.post(url("refer", enrolment), referral(world)).status_code == 302
    response = client.post(url("refer", enrolment), referral(world))
    assert response.status_code == 200 and response.context["form"].errors
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("persona", [*OTHERS, "coordinator"])
def test_a_worker_of_another_partner_gets_404_and_nothing_changes(
    request, login, with_pathway, world, persona
):
    enrolment = with_pathway()
    client = login(request.getfixturevalue(persona))
    assert client.get(url("refer", enrolment)).status_code == 404
    assert client.post(url("refer", enrolment), referral(world)).status_code == 404
    assert not Referral.objects.exists()
    assert pathway_of(enrolment).stage == Stage.SOCIAL


def test_the_auditor_reads_but_gets_403(login, auditor, with_pathway, world):
    enrolment = with_pathway()
    client = login(auditor)
    assert client.get(url("detail", enrolment)).status_code == 200
    assert client.get(url("refer", enrolment)).status_code == 403
    assert client.post(url("refer", enrolment), referral(world)).status_code == 403
    assert not Referral.objects.exists()
