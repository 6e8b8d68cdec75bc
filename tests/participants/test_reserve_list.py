"""The reserve list of a partner, and the project page's quota table that links to it."""

import pytest
from django.urls import reverse

from participants import services
from partners.models import SeatQuota

from .conftest import SIGNED


def reserve_url(world, organisation: str = "MOPS Lębork", project=None) -> str:
    project = project or world.lebork
    return reverse(
        "participants:reserve_list", args=[project.pk, world.organisations[organisation].pk]
    )


def start(enrolment) -> str:
    return reverse("participants:start_support", args=[enrolment.pk])


@pytest.fixture
def queue(world, in_support):
    """MOPS Lębork with one seat: the first person takes it, three wait in order."""
    SeatQuota.objects.filter(organisation=world.organisations["MOPS Lębork"]).update(seats=1)
    holder = in_support(last_name="Zajmująca").enrolment
    waiting = [in_support(last_name=name).enrolment for name in ("Pierwsza", "Druga", "Trzecia")]
    return holder, waiting


def test_it_lists_the_waiting_in_order_with_the_quota(login, sw_lebork, world, queue):
    _holder, waiting = queue
    response = login(sw_lebork).get(reserve_url(world))
    assert response.status_code == 200
    assert response.context["queue"] == waiting
    quota = response.context["quota"]
    assert (quota.seats, quota.taken, quota.free) == (1, 1, 0)
    body = response.content.decode()
    positions = [body.index(name) for name in ("Pierwsza", "Druga", "Trzecia")]
    assert positions == sorted(positions)
    assert "Zajmująca" not in body
    assert response.context["next_in_line"] is None


def test_a_free_seat_is_offered_to_the_first_person_only(login, sw_lebork, manager, world, queue):
    holder, waiting = queue
    services.enrolment_resign(
        user=manager, enrolment=holder, on_date=SIGNED.replace(day=20), reason="Praca."
    )
    response = login(sw_lebork).get(reserve_url(world))
    assert response.context["next_in_line"] == waiting[0]
    assert response.context["quota"].free == 1
    body = response.content.decode()
    assert start(waiting[0]) in body
    assert start(waiting[1]) not in body
    assert start(waiting[2]) not in body


def test_the_auditor_reads_the_list_without_the_button(login, auditor, manager, world, queue):
    holder, waiting = queue
    services.enrolment_resign(
        user=manager, enrolment=holder, on_date=SIGNED.replace(day=20), reason="Praca."
    )
    response = login(auditor).get(reserve_url(world))
    assert response.status_code == 200
    assert response.context["next_in_line"] == waiting[0]
    assert start(waiting[0]) not in response.content.decode()


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "nobody"])
def test_a_worker_of_another_partner_gets_404(request, login, world, queue, persona):
    response = login(request.getfixturevalue(persona)).get(reserve_url(world))
    assert response.status_code == 404
    assert "Pierwsza" not in response.content.decode()


def test_own_organisations_list_opens_for_its_worker(login, sw_wicko, world):
    assert login(sw_wicko).get(reserve_url(world, "OPS Wicko")).status_code == 200


@pytest.mark.parametrize(
    ("organisation", "why"),
    [("OPS Leszno", "not a partner of the project"), ("Starostwo Lębork", "recruits nobody")],
)
def test_an_organisation_without_a_list_in_the_project_is_404(
    login, manager, world, organisation, why
):
    assert login(manager).get(reserve_url(world, organisation)).status_code == 404, why


def test_a_project_out_of_sight_is_404(login, manager, world):
    response = login(manager).get(reserve_url(world, "OPS Leszno", project=world.leszno))
    assert response.status_code == 404


# The project page ---------------------------------------------------------------


def project_page(client, world):
    return client.get(reverse("partners:project_detail", args=[world.lebork.pk]))


def test_the_project_page_counts_seats_taken_free_and_waiting(login, manager, world, queue):
    response = project_page(login(manager), world)
    groups = {group.place_kind: group for group in response.context["quota_groups"]}
    mops = next(r for r in groups["SOCIAL_ACTIVATION"].rows if r.organisation == "MOPS Lębork")
    assert (mops.seats, mops.taken, mops.free, mops.reserve) == (1, 1, 0, 3)
    assert groups["SOCIAL_ACTIVATION"].free == 1 + 32 + 30 - 1
    assert "default_if_none" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "linked"),
    [("manager", True), ("auditor", True), ("sw_lebork", True), ("sw_wicko", False)],
)
def test_the_reserve_list_is_linked_only_for_who_may_open_it(
    request, login, world, queue, persona, linked
):
    body = project_page(login(request.getfixturevalue(persona)), world).content.decode()
    assert (f'href="{reserve_url(world)}"' in body) is linked
