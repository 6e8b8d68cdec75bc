import datetime

import pytest

from participants import services
from participants.models import Enrolment
from tests.factories import ParticipantFactory

REGISTERED = datetime.date(2016, 5, 2)
QUALIFIED = datetime.date(2016, 5, 9)
SIGNED = datetime.date(2016, 5, 9)
STARTED = datetime.date(2016, 5, 16)


@pytest.fixture
def register(world, manager):
    """Register a candidate of the Lębork project at a partner, through the service."""

    def _register(organisation: str = "MOPS Lębork", project=None, **participant) -> Enrolment:
        project = project or world.lebork
        participant.setdefault("commune", project.communes.first())
        return services.participant_register(
            user=manager,
            project=project,
            organisation=world.organisations[organisation],
            participant=ParticipantFactory.build(**participant),
            registered_on=REGISTERED,
        )

    return _register


@pytest.fixture
def in_support(register, manager):
    """A candidate taken all the way into support (or onto the reserve list)."""

    def _in_support(organisation: str = "MOPS Lębork", **participant) -> services.SupportStart:
        enrolment = register(organisation, **participant)
        services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
        services.consent_record(
            user=manager,
            enrolment=enrolment,
            declaration_signed_on=SIGNED,
            data_protection_signed_on=SIGNED,
        )
        return services.enrolment_start_support(user=manager, enrolment=enrolment, on_date=STARTED)

    return _in_support
