"""Employers: the list, a new one, an edit; the NIP is checked at its field."""

import pytest
from django.urls import reverse

from aktywizacja.lists import records
from pathways.models import Employer

from .coordination import new_employer

LIST = reverse("pathways:employers")
NEW = reverse("pathways:employer_new")


def edit(employer) -> str:
    return reverse("pathways:employer_edit", args=[employer.pk])


def employer_data(**changes) -> dict:
    return {
        "name": "Sklep „Pod Lipą”",
        "nip": "123-456-32-18",
        "street": "Okrzei 3",
        "postcode": "84-300",
        "town": "Lębork",
        "contact_person": "Anna Lipa",
        "phone": "59 862 00 00",
        "email": "sklep@example.com",
    } | changes


@pytest.mark.parametrize("persona", ["coordinator", "manager", "auditor", "sw_lebork"])
def test_the_list_opens_for_who_has_a_role(request, login, coordinator, persona):
    new_employer(coordinator)
    response = login(request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 200
    assert [e.name for e in records(response.context["table"])] == ["Piekarnia „Kłos” s.c."]


def test_the_list_searches_by_name_or_nip(login, coordinator):
    new_employer(coordinator)
    new_employer(coordinator, name="Sklep „Pod Lipą”", nip="1234563218")
    client = login(coordinator)
    assert [e.nip for e in records(client.get(LIST, {"q": "lipą"}).context["table"])] == [
        "1234563218"
    ]
    assert [e.name for e in records(client.get(LIST, {"q": "52522"}).context["table"])] == [
        "Piekarnia „Kłos” s.c."
    ]


def test_who_has_no_role_gets_403(login, nobody):
    assert login(nobody).get(LIST).status_code == 403


def test_the_coordinator_adds_an_employer_with_a_printed_nip(login, coordinator):
    response = login(coordinator).post(NEW, employer_data())
    assert response.status_code == 302
    assert response["Location"] == LIST
    employer = Employer.objects.get()
    assert employer.nip == "1234563218"  # kept compact
    assert employer.history.get().history_user == coordinator


@pytest.mark.parametrize("nip", ["5252248482", "12345", "abcdefghij"])
def test_a_bad_nip_is_refused_at_its_field(login, coordinator, nip):
    response = login(coordinator).post(NEW, employer_data(nip=nip))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["nip"]
    assert not Employer.objects.exists()


def test_a_bad_nip_says_what_is_wrong_in_polish(login, coordinator):
    response = login(coordinator).post(NEW, employer_data(nip="525-224-84-82"))
    # the model's message (partners.validators), not the form library's English one
    assert response.context["form"].errors["nip"] == [
        "NIP 5252248482 ma nieprawidłową cyfrę kontrolną. Porównaj numer z dokumentem."
    ]


def test_a_nip_already_recorded_is_refused(login, coordinator):
    new_employer(coordinator, nip="1234563218")
    response = login(coordinator).post(NEW, employer_data(name="Inna firma"))
    assert "nip" in response.context["form"].errors
    assert Employer.objects.count() == 1


def test_the_manager_edits_an_employer(login, coordinator, manager):
    employer = new_employer(coordinator)
    data = employer_data(name="Piekarnia „Kłos” sp. z o.o.", nip=employer.nip)
    assert login(manager).get(edit(employer)).context["form"].instance == employer
    response = login(manager).post(edit(employer), data)
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.name == "Piekarnia „Kłos” sp. z o.o."


@pytest.mark.parametrize("persona", ["auditor", "sw_lebork", "sw_wicko", "sw_leszno", "nobody"])
def test_who_does_not_coordinate_may_not_add_or_edit(request, login, coordinator, persona):
    employer = new_employer(coordinator)
    client = login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, employer_data()).status_code == 403
    assert client.get(edit(employer)).status_code == 403
    assert client.post(edit(employer), employer_data(name="Zmieniona")).status_code == 403
    assert list(Employer.objects.values_list("name", flat=True)) == ["Piekarnia „Kłos” s.c."]


def test_the_edit_page_of_a_missing_employer_is_404(login, coordinator):
    assert login(coordinator).get(reverse("pathways:employer_edit", args=[999])).status_code == 404
