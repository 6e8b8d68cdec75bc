"""Fixtures for the pathways tests; the participants fixtures are shared."""

import datetime

import pytest

from participants import services as participation
from pathways import services as pathway_services
from pathways.models import Pathway
from tests.participants.conftest import QUALIFIED, SIGNED, in_support, register  # noqa: F401

# The coordinators' screens ------------------------------------------------------------

REFERRED_ON = datetime.date(2016, 6, 1)


@pytest.fixture
def refer_to(manager, world):
    """Refer an enrolment to a vocational partner, writing its pathway first if needed."""

    def _refer(enrolment, organisation: str = "Starostwo Lębork", note: str = ""):
        if not Pathway.objects.filter(enrolment=enrolment).exists():
            pathway_services.pathway_save(user=manager, enrolment=enrolment, needs="Staż.")
        return pathway_services.referral_create(
            user=manager,
            enrolment=enrolment,
            to_organisation=world.organisations[organisation],
            referred_on=REFERRED_ON,
            note=note,
        )

    return _refer


@pytest.fixture
def referred_to_starostwo(in_support, refer_to):  # noqa: F811
    """A MOPS Lębork participant in support, referred to Starostwo Lębork on 1.06.2016."""
    return refer_to(in_support(last_name="Skierowana").enrolment, note="Kurs wózków.").enrolment


# The social worker's screens ----------------------------------------------------------


@pytest.fixture
def with_pathway(in_support, manager):  # noqa: F811
    """A participant in support since 16.05.2016 (of MOPS Lębork unless told), with a
    pathway written."""

    def _with_pathway(organisation: str = "MOPS Lębork", **participant):
        enrolment = in_support(organisation, **participant).enrolment
        pathway_services.pathway_save(user=manager, enrolment=enrolment, needs="Psycholog.")
        enrolment.refresh_from_db()
        return enrolment

    return _with_pathway


@pytest.fixture
def qualified_candidate(register, manager):  # noqa: F811
    """A qualified candidate of MOPS Lębork with both documents signed: not in support."""

    def _qualified(**participant):
        enrolment = register("MOPS Lębork", **participant)
        participation.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
        return participation.consent_record(
            user=manager,
            enrolment=enrolment,
            declaration_signed_on=SIGNED,
            data_protection_signed_on=SIGNED,
        )

    return _qualified
