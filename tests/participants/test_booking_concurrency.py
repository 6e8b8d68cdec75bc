"""The quota is a hard cap under concurrent requests (PostgreSQL: real row locks).

Twenty requests to start support arrive at the same moment for a partner with
three free seats. Each runs in its own thread, on its own database connection,
through `services.enrolment_start_support`. The row lock on the quota in
`services.seat_book` makes them count the seats one after another: three get a
seat, seventeen go on the reserve list, each with a place of their own.

SQLite has no row locks (the IMMEDIATE transaction serialises writers instead, and
one in-memory test database cannot be shared by threads), so this runs on
PostgreSQL only: `DATABASE_URL=postgres://… pytest tests/participants/…`.
"""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from participants import services
from participants.models import Enrolment, SeatBooking
from partners.models import PlaceKind, ProjectRole
from partners.scoping import scope_for
from tests.factories import (
    CommuneFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    SeatQuotaFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL: row locks under concurrent connections "
            "(SQLite has none, and threads cannot share its in-memory test database)"
        ),
    ),
    pytest.mark.django_db(transaction=True),
]

SEATS = 5
ALREADY_BOOKED = 2
REQUESTS = 20
FREE = SEATS - ALREADY_BOOKED

REGISTERED = datetime.date(2016, 5, 2)
QUALIFIED = datetime.date(2016, 5, 9)
STARTED = datetime.date(2016, 5, 16)


@pytest.fixture
def setting():
    """A partner with a quota of 5, 2 seats taken; 20 people qualified, consent signed."""
    project = ProjectFactory()
    commune = CommuneFactory(name="Cewice")
    project.communes.set([commune])
    partner = OrganisationFactory(short_name="OPS Cewice")
    PartnershipFactory(project=project, organisation=partner, is_leader=True)
    quota = SeatQuotaFactory(
        project=project, organisation=partner, place_kind=PlaceKind.SOCIAL_ACTIVATION, seats=SEATS
    )
    manager = UserFactory(username="kierownik")
    ProjectRoleFactory(user=manager, project=project, role=ProjectRole.Role.PROJECT_MANAGER)

    def qualified() -> Enrolment:
        enrolment = services.participant_register(
            user=manager,
            project=project,
            organisation=partner,
            participant=ParticipantFactory.build(commune=commune),
            registered_on=REGISTERED,
        )
        services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
        return services.consent_record(
            user=manager,
            enrolment=enrolment,
            declaration_signed_on=QUALIFIED,
            data_protection_signed_on=QUALIFIED,
        )

    for _ in range(ALREADY_BOOKED):
        start = services.enrolment_start_support(
            user=manager, enrolment=qualified(), on_date=STARTED
        )
        assert start.booked
    waiting = [qualified() for _ in range(REQUESTS)]
    assert quota.bookings.active().count() == ALREADY_BOOKED
    assert all(e.status == Enrolment.Status.QUALIFIED and e.has_consent for e in waiting)
    return quota, manager, waiting


def start_all_at_once(manager_pk: int, enrolments: list[Enrolment]) -> tuple[list, list]:
    """Each enrolment's start of support in its own thread, all released together."""
    barrier = threading.Barrier(len(enrolments), timeout=20)
    results: list = []
    errors: list = []
    lock = threading.Lock()

    def request(enrolment: Enrolment) -> None:
        try:
            # Everything but the booking before the barrier: the thread's own
            # connection is open and the user's scope read.
            user = get_user_model().objects.get(pk=manager_pk)
            scope_for(user)
            barrier.wait()
            start = services.enrolment_start_support(
                user=user, enrolment=enrolment, on_date=STARTED
            )
            with lock:
                results.append(start)
        except Exception as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results, errors


def test_twenty_requests_for_three_free_seats_book_exactly_three(setting):
    quota, manager, waiting = setting

    results, errors = start_all_at_once(manager.pk, waiting)

    assert errors == []
    assert len(results) == REQUESTS
    booked = [r for r in results if r.booked]
    reserve = [r for r in results if not r.booked]
    assert len(booked) == FREE
    assert len(reserve) == REQUESTS - FREE
    assert sorted(r.reserve_position for r in reserve) == list(range(1, REQUESTS - FREE + 1))

    # What was committed agrees with what the requests were told.
    assert SeatBooking.objects.filter(quota=quota).active().count() == quota.seats
    statuses = Enrolment.objects.filter(pk__in=[e.pk for e in waiting]).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == sorted(
        [Enrolment.Status.IN_SUPPORT] * FREE + [Enrolment.Status.RESERVE] * (REQUESTS - FREE)
    )
    queue = Enrolment.objects.reserve_list(project=quota.project, organisation=quota.organisation)
    told = {r.enrolment.pk: r.reserve_position for r in reserve}
    assert {e.pk: position for position, e in enumerate(queue, start=1)} == told
