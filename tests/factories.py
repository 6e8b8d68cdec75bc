import datetime

import factory
from django.contrib.auth import get_user_model

from partners.models import (
    Commune,
    LocalGovernmentUnit,
    Organisation,
    OrganisationMembership,
    Partnership,
    PlaceKind,
    Project,
    ProjectRole,
    SeatQuota,
    Voivodeship,
)

factory.Faker._DEFAULT_LOCALE = "pl_PL"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("test-password-123")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    name = factory.Sequence(lambda n: f"Gmina {n}")
    kind = Commune.Kind.RURAL
    county = "testowy"
    voivodeship = Voivodeship.POMORSKIE


class LocalGovernmentUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGovernmentUnit

    name = factory.Sequence(lambda n: f"Gmina Testowa {n}")
    kind = LocalGovernmentUnit.Kind.MUNICIPALITY


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ośrodek Pomocy Społecznej nr {n}")
    short_name = factory.Sequence(lambda n: f"OPS {n}")
    kind = Organisation.Kind.OPS
    local_government_unit = factory.SubFactory(LocalGovernmentUnitFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt aktywizacji nr {n}")
    short_name = factory.Sequence(lambda n: f"projekt-{n}")
    programme = "RPO WP 2014–2020"
    measure = "Działanie 6.1"
    start_date = datetime.date(2016, 4, 1)
    end_date = datetime.date(2018, 10, 31)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_leader = False


class SeatQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatQuota

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    place_kind = PlaceKind.SOCIAL_ACTIVATION
    seats = 10


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = OrganisationMembership.Role.SOCIAL_WORKER


class ProjectRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRole

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = ProjectRole.Role.PROJECT_MANAGER
