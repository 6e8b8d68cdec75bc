"""Correcting a person's data: through the service, by those who may edit them."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from participants.models import Enrolment, Participant


def edit_url(participant) -> str:
    return reverse("participants:edit", args=[participant.pk])


def posted(participant, **overrides) -> dict:
    data = model_to_dict(participant, exclude=["id"])
    data["birth_date"] = participant.birth_date.strftime("%d.%m.%Y")
    data = {key: ("on" if value is True else value) for key, value in data.items()}
    data = {key: value for key, value in data.items() if value is not False and value is not None}
    return data | overrides


@pytest.mark.parametrize("persona", ["sw_lebork", "manager"])
def test_it_saves_the_corrections(request, login, register, persona):
    participant = register(town="Lębork").participant
    client = login(request.getfixturevalue(persona))
    page = client.get(edit_url(participant))
    assert page.status_code == 200
    assert f'value="{participant.birth_date.strftime("%d.%m.%Y")}"' in page.content.decode()
    response = client.post(edit_url(participant), posted(participant, town="Nowa Wieś Lęborska"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.town == "Nowa Wieś Lęborska"
    assert participant.history.first().history_user == request.getfixturevalue(persona)


def test_bad_input_is_refused_at_its_field(login, register, sw_lebork):
    participant = register().participant
    response = login(sw_lebork).post(edit_url(participant), posted(participant, postcode="84 300"))
    assert response.context["form"].errors["postcode"]
    participant.refresh_from_db()
    assert participant.postcode == "84-300"


def test_another_persons_pesel_is_refused(login, register, sw_lebork):
    first, second = register().participant, register().participant
    data = posted(second, pesel=first.pesel, birth_date="", sex="")  # read from the PESEL
    response = login(sw_lebork).post(edit_url(second), data)
    assert [e.code for e in response.context["form"].errors.as_data()["pesel"]] == [
        "pesel_registered"
    ]
    second.refresh_from_db()
    assert second.pesel != first.pesel


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "nobody"])
def test_a_worker_of_another_partner_gets_404(request, login, register, persona):
    participant = register("MOPS Lębork", town="Lębork").participant
    client = login(request.getfixturevalue(persona))
    assert client.get(edit_url(participant)).status_code == 404
    assert client.post(edit_url(participant), posted(participant, town="X")).status_code == 404
    assert Participant.objects.get(pk=participant.pk).town == "Lębork"


def test_the_auditor_gets_403(login, register, auditor):
    participant = register(town="Lębork").participant
    client = login(auditor)
    assert client.get(edit_url(participant)).status_code == 403
    assert client.post(edit_url(participant), posted(participant, town="X")).status_code == 403
    assert Participant.objects.get(pk=participant.pk).town == "Lębork"


def test_posted_fields_a_form_does_not_take_are_ignored(login, sw_lebork, register, world):
    enrolment = register(town="Lębork")
    participant = enrolment.participant
    data = posted(participant, town="Nowa Wieś Lęborska") | {
        "is_staff": "on",
        "is_superuser": "on",
        "status": Enrolment.Status.COMPLETED,
        "recruiting_organisation": world.organisations["OPS Wicko"].pk,
        "organisation": world.organisations["OPS Wicko"].pk,
        "created_at": "2000-01-01 00:00",
    }
    response = login(sw_lebork).post(reverse("participants:edit", args=[participant.pk]), data)
    assert response.status_code == 302
    participant = Participant.objects.get(pk=participant.pk)
    enrolment.refresh_from_db()
    sw_lebork.refresh_from_db()
    assert participant.town == "Nowa Wieś Lęborska"  # what the form takes is saved
    assert enrolment.status == Enrolment.Status.CANDIDATE
    assert enrolment.recruiting_organisation.short_name == "MOPS Lębork"
    assert participant.created_at.year != 2000
    assert not sw_lebork.is_staff and not sw_lebork.is_superuser


@pytest.mark.parametrize("persona", ["sw_lebork", "manager"])
def test_an_anonymised_person_cannot_be_edited(request, login, register, persona):
    participant = register(town="Lębork").participant
    Participant.objects.filter(pk=participant.pk).update(anonymised_at=timezone.now())
    client = login(request.getfixturevalue(persona))
    assert client.get(edit_url(participant)).status_code == 403
    assert client.post(edit_url(participant), posted(participant, town="X")).status_code == 403
    assert Participant.objects.get(pk=participant.pk).town == "Lębork"


def test_not_even_a_superuser_edits_an_anonymised_person(register, superuser):
    from django.core.exceptions import ValidationError

    from participants import services

    participant = register(town="Lębork").participant
    Participant.objects.filter(pk=participant.pk).update(anonymised_at=timezone.now())
    participant.town = "X"
    with pytest.raises(ValidationError, match="zanonimizowane"):
        services.participant_update(user=superuser, participant=participant)
    assert Participant.objects.get(pk=participant.pk).town == "Lębork"
