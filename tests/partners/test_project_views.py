"""The home page and the project page: what each persona sees, and 404 outside."""

import re

import pytest
from django.urls import reverse


def project_url(project) -> str:
    return reverse("partners:project_detail", args=[project.pk])


def test_home_lists_the_users_projects(login, sw_lebork, world):
    response = login(sw_lebork).get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["projects"]) == [world.lebork]
    body = response.content.decode()
    assert world.lebork.title in body
    assert world.leszno.title not in body


def test_home_tells_a_user_without_a_role_what_to_do(login, nobody):
    response = login(nobody).get(reverse("home"))
    assert response.status_code == 200
    assert "Nie masz jeszcze roli w żadnym projekcie" in response.content.decode()


def test_the_header_shows_name_organisation_and_role(login, sw_lebork):
    sw_lebork.first_name, sw_lebork.last_name = "Agnieszka", "Nowicka"
    sw_lebork.save()
    body = login(sw_lebork).get(reverse("home")).content.decode()
    assert "Agnieszka Nowicka" in body
    assert "pracownik socjalny, MOPS Lębork" in body


def test_home_issues_a_fixed_number_of_queries(login, superuser, django_assert_max_num_queries):
    client = login(superuser)
    with django_assert_max_num_queries(9):  # one is django-otp's: the session's device
        client.get(reverse("home"))


@pytest.mark.parametrize("persona", ["sw_lebork", "sw_wicko", "coordinator", "manager", "auditor"])
def test_every_lebork_role_sees_the_project_page(request, login, persona, world):
    response = login(request.getfixturevalue(persona)).get(project_url(world.lebork))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["sw_leszno", "nobody"])
def test_outsiders_get_404_for_the_project_page(request, login, persona, world):
    response = login(request.getfixturevalue(persona)).get(project_url(world.lebork))
    assert response.status_code == 404


def test_a_missing_project_is_404_too(login, manager):
    assert login(manager).get(reverse("partners:project_detail", args=[999999])).status_code == 404


def test_the_quota_table_sums_seats_per_kind(login, manager, world):
    response = login(manager).get(project_url(world.lebork))
    groups = {group.place_kind: group for group in response.context["quota_groups"]}
    assert groups["SOCIAL_ACTIVATION"].seats == 32 + 36 + 30
    assert groups["SPECIALIST_COURSE"].seats == 28
    assert groups["INTERNSHIP"].seats == 93
    assert "SCHOOL_COURSE" not in groups  # no quota of that kind in this project
    body = response.content.decode()
    assert re.search(r'data-total="SOCIAL_ACTIVATION">98<', body)
    assert "Aktywizacja społeczna" in body


def test_the_project_page_shows_the_budget_in_polish_format(login, sw_leszno, world):
    from decimal import Decimal

    world.leszno.budget_total = Decimal("100555.00")
    world.leszno.grant_share = Decimal("89.50")
    world.leszno.own_contribution_share = Decimal("10.50")
    world.leszno.save()
    body = login(sw_leszno).get(project_url(world.leszno)).content.decode()
    assert "100\xa0555,00\xa0zł" in body
    assert "89\xa0996,73\xa0zł (89,5%)" in body
    assert "10\xa0558,27\xa0zł (10,5%)" in body
    assert "01.04.2016 – 31.10.2018" in body


@pytest.mark.parametrize("persona", ["sw_lebork", "manager", "coordinator"])
def test_home_queries_do_not_grow_with_the_partners(request, login, world, persona):
    """The navbar asks who may register and record support on every page: the rules
    read prefetched quotas and partnerships, not one query per partner."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationFactory, PartnershipFactory, SeatQuotaFactory

    client = login(request.getfixturevalue(persona))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured.captured_queries)

    before = queries()
    for _ in range(6):
        organisation = OrganisationFactory()
        PartnershipFactory(project=world.lebork, organisation=organisation)
        SeatQuotaFactory(project=world.lebork, organisation=organisation)
    assert queries() == before
