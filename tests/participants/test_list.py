"""The participant list: who sees whom, search, filters, pagination, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aktywizacja.lists import records
from participants import services
from participants.models import Enrolment

LIST = reverse("participants:list")


def listed(response) -> list:
    assert response.status_code == 200
    return records(response.context["table"])


def test_a_social_worker_sees_only_the_people_their_organisation_recruited(
    login, sw_lebork, register
):
    mine = register("MOPS Lębork", last_name="Kowalska")
    register("OPS Wicko", last_name="Nowak")
    assert listed(login(sw_lebork).get(LIST)) == [mine.participant]


def test_the_manager_sees_everyone_in_the_project(login, manager, register):
    people = {register(org).participant for org in ("MOPS Lębork", "OPS Wicko", "PCPR Lębork")}
    assert set(listed(login(manager).get(LIST))) == people


def test_the_auditor_reads_the_list_too(login, auditor, register):
    enrolment = register()
    assert listed(login(auditor).get(LIST)) == [enrolment.participant]


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "nobody"])
def test_another_partners_worker_finds_nobody_by_surname_or_pesel(
    request, login, register, persona
):
    enrolment = register("MOPS Lębork", last_name="Zielińska", first_name="Halina")
    pesel = enrolment.participant.pesel
    client = login(request.getfixturevalue(persona))
    for query in ("Zielińska", "Halina", pesel, pesel[:6]):
        response = client.get(LIST, {"q": query})
        assert listed(response) == []
        # the query is echoed in the search box; the person's page is not linked
        assert enrolment.participant.get_absolute_url() not in response.content.decode()


def test_the_list_shows_only_the_masked_pesel(login, sw_lebork, register):
    participant = register().participant
    body = login(sw_lebork).get(LIST).content.decode()
    assert participant.masked_pesel in body
    assert participant.pesel not in body
    assert participant.pesel[:7] not in body


def test_it_searches_by_surname_first_name_and_pesel(login, sw_lebork, register):
    kowalska = register(last_name="Kowalska", first_name="Anna").participant
    nowak = register(last_name="Nowak", first_name="Barbara").participant
    client = login(sw_lebork)
    assert listed(client.get(LIST, {"q": "kowal"})) == [kowalska]
    assert listed(client.get(LIST, {"q": "barb"})) == [nowak]
    assert listed(client.get(LIST, {"q": "Anna Kowalska"})) == [kowalska]
    assert listed(client.get(LIST, {"q": nowak.pesel})) == [nowak]
    assert listed(client.get(LIST, {"q": nowak.pesel[:8]})) == [nowak]
    assert listed(client.get(LIST, {"q": "Nikt Taki"})) == []


def test_it_shows_each_visible_enrolment_with_its_status(login, sw_lebork, register):
    register(last_name="Kowalska")
    body = login(sw_lebork).get(LIST).content.decode()
    assert "lebork" in body
    assert 'class="badge' in body


def test_it_filters_by_status_organisation_and_project(login, manager, register, in_support):
    candidate = register("MOPS Lębork").participant
    supported = in_support("MOPS Lębork").enrolment.participant
    at_wicko = register("OPS Wicko").participant
    client = login(manager)
    assert listed(client.get(LIST, {"status": "IN_SUPPORT"})) == [supported]
    mops = Enrolment.objects.get(participant=candidate).recruiting_organisation
    assert set(listed(client.get(LIST, {"organisation": mops.pk}))) == {candidate, supported}
    project = Enrolment.objects.get(participant=at_wicko).project
    assert len(listed(client.get(LIST, {"project": project.pk}))) == 3


def test_the_filters_apply_to_one_and_the_same_enrolment(login, superuser, register, world):
    """A candidate in Lębork rejected in Leszno is not "rejected in Lębork"."""
    enrolment = register("MOPS Lębork")
    in_leszno = services.enrol_registered_person(
        user=superuser,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        pesel=enrolment.participant.pesel,
        last_name=enrolment.participant.last_name,
    )
    services.enrolment_reject(user=superuser, enrolment=in_leszno, reason="Nie przyszła.")
    client = login(superuser)
    filters = {"project": world.lebork.pk, "status": "REJECTED"}
    assert listed(client.get(LIST, filters)) == []
    filters = {"project": world.leszno.pk, "status": "REJECTED"}
    assert listed(client.get(LIST, filters)) == [enrolment.participant]


def test_the_filter_choices_are_only_what_the_user_sees(login, sw_leszno, world):
    form = login(sw_leszno).get(LIST).context["filter"].form
    assert list(form.fields["project"].queryset) == [world.leszno]
    assert list(form.fields["organisation"].queryset) == [world.organisations["OPS Leszno"]]


def test_a_project_the_user_cannot_see_is_not_a_valid_filter(login, sw_leszno, world, register):
    register("MOPS Lębork")
    response = login(sw_leszno).get(LIST, {"project": world.lebork.pk})
    assert response.status_code == 200
    assert "project" in response.context["filter"].form.errors


def test_pages_have_25_people_and_keep_the_filters(login, sw_lebork, register, world):
    for _ in range(30):
        register("MOPS Lębork")
    mops = world.organisations["MOPS Lębork"].pk
    client = login(sw_lebork)
    first = client.get(LIST, {"organisation": mops, "status": "CANDIDATE"})
    assert len(listed(first)) == 25
    body = first.content.decode()
    assert f"?organisation={mops}&amp;status=CANDIDATE&amp;page=2" in body
    second = client.get(LIST, {"organisation": mops, "status": "CANDIDATE", "page": 2})
    assert len(listed(second)) == 5
    assert second.context["table"].page.number == 2


def test_the_number_of_queries_does_not_grow_with_the_list(login, manager, register):
    client = login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for organisation in ("MOPS Lębork", "OPS Wicko", "PCPR Lębork"):
        register(organisation)
    with_3 = queries()
    for i in range(12):
        register(("MOPS Lębork", "OPS Wicko")[i % 2])
    assert len(listed(client.get(LIST))) == 15
    assert queries() == with_3
