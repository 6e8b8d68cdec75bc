"""Who sees which projects and organisations: every role, and a user with none."""

from django.contrib.auth.models import AnonymousUser

from partners.models import Organisation, Project
from partners.scoping import scope_for
from tests.factories import MembershipFactory, UserFactory


def project_names(user) -> set[str]:
    return set(Project.objects.for_user(user).values_list("short_name", flat=True))


def organisation_names(user) -> set[str]:
    return set(Organisation.objects.for_user(user).values_list("short_name", flat=True))


LEBORK_PARTNERS = {"PCPR Lębork", "MOPS Lębork", "OPS Wicko", "Starostwo Lębork"}


def test_a_social_worker_sees_the_projects_of_their_organisation(sw_lebork):
    assert project_names(sw_lebork) == {"lebork"}
    assert organisation_names(sw_lebork) == LEBORK_PARTNERS


def test_a_social_worker_of_another_project_sees_only_that_one(sw_leszno):
    assert project_names(sw_leszno) == {"leszno"}
    assert organisation_names(sw_leszno) == {"OPS Leszno"}


def test_a_coordinator_sees_the_projects_of_their_organisation(coordinator):
    assert project_names(coordinator) == {"lebork"}


def test_a_manager_sees_the_projects_they_manage(manager):
    assert project_names(manager) == {"lebork"}
    assert organisation_names(manager) == LEBORK_PARTNERS
    assert scope_for(manager).can_manage(Project.objects.get(short_name="lebork").pk)


def test_an_auditor_sees_the_project_but_may_not_manage_it(auditor):
    assert project_names(auditor) == {"lebork"}
    assert not scope_for(auditor).can_manage(Project.objects.get(short_name="lebork").pk)


def test_a_user_without_a_role_sees_nothing(nobody):
    assert project_names(nobody) == set()
    assert organisation_names(nobody) == set()
    assert scope_for(nobody).is_empty


def test_an_anonymous_user_sees_nothing(world):
    assert project_names(AnonymousUser()) == set()
    assert organisation_names(AnonymousUser()) == set()


def test_an_inactive_user_sees_nothing(world):
    user = UserFactory(is_active=False)
    MembershipFactory(user=user, organisation=world.organisations["MOPS Lębork"])
    assert project_names(user) == set()


def test_the_superuser_sees_everything(superuser, world):
    assert project_names(superuser) == {"lebork", "leszno"}


def test_a_member_of_two_organisations_sees_both_projects(world):
    user = UserFactory()
    MembershipFactory(user=user, organisation=world.organisations["OPS Wicko"])
    MembershipFactory(user=user, organisation=world.organisations["OPS Leszno"])
    assert project_names(user) == {"lebork", "leszno"}


def test_an_organisation_without_projects_still_sees_itself(world):
    from tests.factories import OrganisationFactory

    lonely = OrganisationFactory(short_name="OPS Samotny")
    user = UserFactory()
    MembershipFactory(user=user, organisation=lonely)
    assert project_names(user) == set()
    assert organisation_names(user) == {"OPS Samotny"}


def test_the_scope_is_read_once_per_user_object(sw_lebork, django_assert_num_queries):
    scope_for(sw_lebork, refresh=True)
    with django_assert_num_queries(0):
        scope_for(sw_lebork)
