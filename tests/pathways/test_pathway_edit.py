"""Writing and revising the diagnosis; goals and plan items added from the pathway page."""

import datetime

import pytest

from pathways.models import Pathway, PathwayGoal, PlannedSupport

from .screens import (
    OTHERS,
    PSYCHOLOGY,
    error_codes,
    pathway_of,
    support_form,
    url,
)

DIAGNOSIS = {
    "needs": "Wsparcie psychologa, uzupełnienie wykształcenia.",
    "potential": "Doświadczenie w handlu.",
    "barriers": "Opieka nad dzieckiem.",
    "signed_on": "20.05.2016",
}


def snapshot() -> tuple:
    return (
        Pathway.objects.count(),
        Pathway.history.count(),
        PathwayGoal.objects.count(),
        PlannedSupport.objects.count(),
    )


# The diagnosis ---------------------------------------------------------------------


def test_the_first_save_writes_the_pathway(login, sw_lebork, in_support):
    enrolment = in_support().enrolment
    client = login(sw_lebork)
    assert client.get(url("edit", enrolment)).status_code == 200
    response = client.post(url("edit", enrolment), DIAGNOSIS)
    assert response.status_code == 302
    assert response["Location"] == url("detail", enrolment)
    pathway = pathway_of(enrolment)
    assert pathway.needs == DIAGNOSIS["needs"]
    assert pathway.signed_on == datetime.date(2016, 5, 20)
    assert pathway.history.get().history_user == sw_lebork


def test_a_revision_keeps_the_earlier_one_and_says_who_changed_it(login, sw_lebork, with_pathway):
    enrolment = with_pathway()
    client = login(sw_lebork)
    response = client.post(url("edit", enrolment), {**DIAGNOSIS, "needs": "Poprawione potrzeby."})
    assert response.status_code == 302
    pathway = pathway_of(enrolment)
    assert pathway.needs == "Poprawione potrzeby."
    assert [record.needs for record in pathway.history.all()] == [
        "Poprawione potrzeby.",
        "Psycholog.",
    ]
    response = client.get(url("edit", enrolment))
    assert response.context["form"].initial["needs"] == "Poprawione potrzeby."
    assert response.context["last_change"].user == sw_lebork
    assert "data-last-change" in response.content.decode()


def test_a_candidate_gets_no_pathway_yet(login, sw_lebork, register):
    enrolment = register()
    response = login(sw_lebork).post(url("edit", enrolment), DIAGNOSIS)
    assert error_codes(response) == ["wrong_status"]
    assert pathway_of(enrolment) is None


def test_the_needs_are_required_and_the_signature_not_in_the_future(login, sw_lebork, in_support):
    enrolment = in_support().enrolment
    client = login(sw_lebork)
    assert error_codes(client.post(url("edit", enrolment), {}), "needs") == ["required"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(
        url("edit", enrolment), {**DIAGNOSIS, "signed_on": f"{tomorrow:%d.%m.%Y}"}
    )
    assert error_codes(response, "signed_on")
    assert pathway_of(enrolment) is None


@pytest.mark.parametrize("persona", [*OTHERS, "coordinator"])
def test_a_worker_of_another_partner_gets_404_and_nothing_changes(
    request, login, with_pathway, persona
):
    enrolment = with_pathway()
    before = snapshot()
    client = login(request.getfixturevalue(persona))
    assert client.get(url("edit", enrolment)).status_code == 404
    assert client.post(url("edit", enrolment), DIAGNOSIS).status_code == 404
    assert snapshot() == before


def test_the_auditor_and_the_referred_coordinator_get_403(
    login, auditor, coordinator, with_pathway, refer_to
):
    enrolment = with_pathway()
    refer_to(enrolment)
    before = snapshot()
    for persona in (auditor, coordinator):
        client = login(persona)
        assert client.get(url("detail", enrolment)).status_code == 200
        assert client.get(url("edit", enrolment)).status_code == 403
        assert client.post(url("edit", enrolment), DIAGNOSIS).status_code == 403
    assert snapshot() == before


# Goals -------------------------------------------------------------------------------


def test_goals_are_added_and_their_status_changed(login, sw_lebork, with_pathway):
    enrolment = with_pathway()
    client = login(sw_lebork)
    response = client.post(url("goal_add", enrolment), {"description": "Podjęcie pracy."})
    assert response.status_code == 302
    goal = PathwayGoal.objects.get()
    assert (goal.description, goal.status) == ("Podjęcie pracy.", "PLANNED")
    response = client.post(url("goal_status", goal), {"status": "ACHIEVED"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "ACHIEVED"


def test_a_goal_needs_a_pathway_a_description_and_a_known_status(
    login, sw_lebork, with_pathway, in_support
):
    client = login(sw_lebork)
    without = in_support(last_name="Bez").enrolment
    response = client.post(url("goal_add", without), {"description": "Cel."})
    assert error_codes(response) == ["no_pathway"]
    enrolment = with_pathway()
    assert error_codes(client.post(url("goal_add", enrolment), {}), "description") == ["required"]
    client.post(url("goal_add", enrolment), {"description": "Cel."})
    goal = PathwayGoal.objects.get()
    response = client.post(url("goal_status", goal), {"status": "FORGOTTEN"})
    assert error_codes(response, "status") == ["invalid_choice"]
    assert client.get(url("goal_add", enrolment)).status_code == 405


@pytest.mark.parametrize("persona", OTHERS)
def test_goals_of_another_partner_are_404(request, login, manager, with_pathway, persona):
    enrolment = with_pathway()
    login(manager).post(url("goal_add", enrolment), {"description": "Cel."})
    goal = PathwayGoal.objects.get()
    client = login(request.getfixturevalue(persona))
    assert client.post(url("goal_add", enrolment), {"description": "Obcy."}).status_code == 404
    assert client.post(url("goal_status", goal), {"status": "ABANDONED"}).status_code == 404
    goal.refresh_from_db()
    assert (PathwayGoal.objects.count(), goal.status) == (1, "PLANNED")


def test_the_auditor_cannot_touch_the_goals(login, manager, auditor, with_pathway):
    enrolment = with_pathway()
    login(manager).post(url("goal_add", enrolment), {"description": "Cel."})
    goal = PathwayGoal.objects.get()
    client = login(auditor)
    assert client.post(url("goal_add", enrolment), {"description": "Audyt."}).status_code == 403
    assert client.post(url("goal_status", goal), {"status": "ABANDONED"}).status_code == 403
    goal.refresh_from_db()
    assert (PathwayGoal.objects.count(), goal.status) == (1, "PLANNED")


# The plan ----------------------------------------------------------------------------


def plan_item(world, **changes) -> dict:
    return {
        "support_form": support_form(PSYCHOLOGY).pk,
        "provider": world.organisations["MOPS Lębork"].pk,
        "planned_start": "01.06.2016",
        "planned_end": "31.08.2016",
        "planned_hours": "10,5",
        **changes,
    }


def test_an_item_is_added_to_the_plan(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    assert client.get(url("plan_add", enrolment)).status_code == 200
    response = client.post(url("plan_add", enrolment), plan_item(world))
    assert response.status_code == 302
    item = PlannedSupport.objects.get()
    assert (item.pathway, str(item.planned_hours)) == (enrolment.pathway, "10.5")


def test_the_plan_refuses_what_cannot_be(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    leszno = world.organisations["OPS Leszno"].pk
    response = client.post(url("plan_add", enrolment), plan_item(world, provider=leszno))
    assert error_codes(response, "provider") == ["invalid_choice"]  # not a partner here
    starostwo = world.organisations["Starostwo Lębork"].pk
    response = client.post(url("plan_add", enrolment), plan_item(world, provider=starostwo))
    assert error_codes(response, "provider") == ["not_a_provider"]  # no counselling there
    response = client.post(url("plan_add", enrolment), plan_item(world, planned_end="31.05.2016"))
    assert error_codes(response, "planned_end") == ["dates_order"]
    assert PlannedSupport.objects.count() == 0


def test_the_plan_is_the_recruiting_centres(request, login, with_pathway, world, auditor):
    enrolment = with_pathway()
    for persona in OTHERS:
        client = login(request.getfixturevalue(persona))
        assert client.get(url("plan_add", enrolment)).status_code == 404
        assert client.post(url("plan_add", enrolment), plan_item(world)).status_code == 404
    client = login(auditor)
    assert client.get(url("plan_add", enrolment)).status_code == 403
    assert client.post(url("plan_add", enrolment), plan_item(world)).status_code == 403
    assert PlannedSupport.objects.count() == 0
