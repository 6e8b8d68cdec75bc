"""Every rule of the partners models, at the model (full_clean) and at the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import Organisation, PlaceKind, Project, SeatQuota
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SeatQuotaFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def test_it_refuses_a_project_ending_before_it_starts():
    project = ProjectFactory.build(
        start_date=datetime.date(2018, 10, 31), end_date=datetime.date(2016, 4, 1)
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "Data zakończenia musi być późniejsza niż data rozpoczęcia." in messages_of(error.value)


def test_the_database_refuses_a_project_ending_on_its_start_day():
    day = datetime.date(2016, 4, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(start_date=day, end_date=day)


def test_shares_must_add_up_to_100():
    project = ProjectFactory.build(
        grant_share=Decimal("89.50"), own_contribution_share=Decimal("9")
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert any("100%" in m for m in messages_of(error.value))
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_grant_and_own_contribution_of_the_leszno_seed():
    project = ProjectFactory(
        budget_total=Decimal("100555.00"),
        grant_share=Decimal("89.50"),
        own_contribution_share=Decimal("10.50"),
    )
    # 100 555,00 × 89,5% = 89 996,725 → rounded half up to 89 996,73 zł.
    assert project.grant_amount == Decimal("89996.73")
    assert project.own_contribution_amount == Decimal("10558.27")


def test_amounts_are_absent_without_a_budget():
    project = ProjectFactory()
    assert project.grant_amount is None
    assert project.own_contribution_amount is None


@pytest.mark.parametrize("seats", [0, -3])
def test_it_refuses_seats_not_above_zero(seats):
    partnership = PartnershipFactory()
    quota = SeatQuota(
        project=partnership.project, organisation=partnership.organisation, seats=seats
    )
    quota.place_kind = PlaceKind.SOCIAL_ACTIVATION
    with pytest.raises(ValidationError):
        quota.full_clean()


def test_the_database_refuses_zero_seats():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatQuota.objects.create(
            project=partnership.project,
            organisation=partnership.organisation,
            place_kind=PlaceKind.INTERNSHIP,
            seats=0,
        )


def test_it_refuses_a_duplicate_quota():
    quota = SeatQuotaFactory()
    PartnershipFactory(project=quota.project, organisation=quota.organisation)
    duplicate = SeatQuota(
        project=quota.project, organisation=quota.organisation, place_kind=quota.place_kind, seats=5
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Ta organizacja ma już w projekcie limit miejsc tego rodzaju." in messages_of(
        error.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_quota_of_another_kind_is_fine():
    quota = SeatQuotaFactory(place_kind=PlaceKind.SPECIALIST_COURSE)
    PartnershipFactory(project=quota.project, organisation=quota.organisation)
    other = SeatQuota(
        project=quota.project,
        organisation=quota.organisation,
        place_kind=PlaceKind.INTERNSHIP,
        seats=93,
    )
    other.full_clean()


def test_only_a_partner_gets_seats():
    project = ProjectFactory()
    quota = SeatQuota(
        project=project,
        organisation=OrganisationFactory(),
        place_kind=PlaceKind.SOCIAL_ACTIVATION,
        seats=3,
    )
    with pytest.raises(ValidationError) as error:
        quota.full_clean()
    assert error.value.message_dict["organisation"] == [
        "Miejsca w projekcie może mieć tylko partner tego projektu."
    ]


def test_a_project_has_one_leader():
    leader = PartnershipFactory(is_leader=True)
    second = PartnershipFactory.build(project=leader.project, is_leader=True)
    second.organisation.local_government_unit.save()
    second.organisation.save()
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Projekt ma już lidera; projekt może mieć tylko jednego lidera." in messages_of(
        error.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_an_organisation_is_a_partner_once():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipFactory(project=partnership.project, organisation=partnership.organisation)


@pytest.mark.parametrize(
    "nip, valid",
    [
        ("5252248481", True),
        ("525-224-84-81", True),
        ("5252248482", False),  # wrong check digit
        ("52522484", False),  # too short
        ("52522484AB", False),
    ],
)
def test_nip_is_validated_and_stored_compact(nip, valid):
    organisation = OrganisationFactory.build(nip=nip)
    organisation.local_government_unit.save()
    if valid:
        organisation.full_clean()
        organisation.save()
        assert Organisation.objects.get(pk=organisation.pk).nip == "5252248481"
    else:
        with pytest.raises(ValidationError) as error:
            organisation.full_clean()
        assert "nip" in error.value.message_dict


def test_a_bad_nip_says_what_is_wrong_in_polish():
    organisation = OrganisationFactory.build(nip="5252248482")
    organisation.local_government_unit.save()
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["nip"] == [
        "NIP 5252248482 ma nieprawidłową cyfrę kontrolną. Porównaj numer z dokumentem."
    ]


@pytest.mark.parametrize("regon, valid", [("192598184", True), ("192598185", False)])
def test_regon_is_validated(regon, valid):
    organisation = OrganisationFactory.build(regon=regon)
    organisation.local_government_unit.save()
    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError):
            organisation.full_clean()


def test_postcode_must_look_like_00_000():
    organisation = OrganisationFactory.build(postcode="84300")
    organisation.local_government_unit.save()
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["postcode"] == ["Wpisz kod pocztowy w formacie 00-000."]


def test_the_project_leader_is_read_from_partnerships():
    leader = PartnershipFactory(is_leader=True)
    PartnershipFactory(project=leader.project)
    project = Project.objects.prefetch_related("partnerships__organisation").get()
    assert project.leader == leader.organisation
