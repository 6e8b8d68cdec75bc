import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from partners.models import (
    BudgetLine,
    Commune,
    Funding,
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


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        django_get_or_create = ("project", "organisation", "category")

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    category = "Koszty dojazdu"
    funding = Funding.GRANT
    planned_amount = Decimal("10000.00")


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


# Participants ------------------------------------------------------------------

from stdnum.pl import pesel as stdnum_pesel  # noqa: E402

from participants.models import (  # noqa: E402
    Degurba,
    Education,
    Enrolment,
    LabourMarketStatus,
    Participant,
    Sex,
)


def make_pesel(birth_date: datetime.date, sex: str, serial: int = 123) -> str:
    """A valid PESEL for a birth date and sex ("K"/"M"), with the century offset."""
    month = birth_date.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth_date.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex == "M" else 0)
    body = (
        f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial % 1000:03d}{sex_digit}"
    )
    return body + stdnum_pesel.calc_check_digit(body)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    class Params:
        born = factory.Sequence(lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=n))

    first_name = factory.Faker("first_name_female")
    last_name = factory.Faker("last_name_female")
    sex = Sex.FEMALE
    birth_date = factory.SelfAttribute("born")
    pesel = factory.LazyAttributeSequence(lambda o, n: make_pesel(o.born, o.sex, n))
    education = Education.ISCED_2
    commune = factory.SubFactory(CommuneFactory)
    town = "Lębork"
    street = "Krótka"
    building_number = "1"
    postcode = "84-300"
    degurba = Degurba.TOWNS_SUBURBS
    labour_market_status = LabourMarketStatus.INACTIVE
    social_assistance_client = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    participant = factory.SubFactory(ParticipantFactory)
    project = factory.SubFactory(ProjectFactory)
    recruiting_organisation = factory.SubFactory(OrganisationFactory)
    registered_on = datetime.date(2016, 5, 2)
