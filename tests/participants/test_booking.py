"""Seat booking: the cap holds, the reserve list keeps its order, a resignation frees a seat."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from participants import services
from participants.models import Enrolment, SeatBooking
from partners.models import PlaceKind, SeatQuota
from partners.selectors import quota_table

from .conftest import QUALIFIED, SIGNED, STARTED

Status = Enrolment.Status


@pytest.fixture
def small_quota(world):
    """OPS Wicko with two seats only."""
    quota = SeatQuota.objects.get(
        project=world.lebork, organisation=world.organisations["OPS Wicko"]
    )
    quota.seats = 2
    quota.save()
    return quota


def active_bookings(quota) -> int:
    return SeatBooking.objects.active().filter(quota=quota).count()


def test_starting_support_takes_a_seat(in_support, world):
    started = in_support()
    assert started.booked
    assert started.enrolment.status == Status.IN_SUPPORT
    assert started.enrolment.support_start == STARTED
    booking = started.enrolment.seat_bookings.get()
    assert booking.quota.organisation == world.organisations["MOPS Lębork"]
    assert booking.quota.place_kind == PlaceKind.SOCIAL_ACTIVATION


def test_the_cap_holds_and_the_rest_go_to_the_reserve_list_in_order(in_support, small_quota):
    results = [in_support("OPS Wicko") for _ in range(5)]
    assert [r.booked for r in results] == [True, True, False, False, False]
    assert [r.reserve_position for r in results[2:]] == [1, 2, 3]
    assert active_bookings(small_quota) == 2
    waiting = Enrolment.objects.reserve_list(
        project=small_quota.project, organisation=small_quota.organisation
    )
    assert list(waiting) == [r.enrolment for r in results[2:]]


def test_a_resignation_frees_the_seat_and_offers_it_to_the_first_in_line(
    in_support, small_quota, manager
):
    first, _second, third, _fourth = (in_support("OPS Wicko") for _ in range(4))
    offered = services.enrolment_resign(
        user=manager,
        enrolment=first.enrolment,
        on_date=datetime.date(2016, 5, 20),
        reason="Podjęła opiekę nad chorą matką.",
    )
    assert offered == third.enrolment
    assert active_bookings(small_quota) == 1
    first.enrolment.refresh_from_db()
    assert first.enrolment.status == Status.DROPPED_OUT
    assert first.enrolment.seat_bookings.get().released_at is not None


def test_the_freed_seat_goes_to_the_first_in_line_not_to_a_newcomer(
    in_support, small_quota, manager
):
    first, _, third, fourth = (in_support("OPS Wicko") for _ in range(4))
    services.enrolment_resign(
        user=manager, enrolment=first.enrolment, on_date=STARTED, reason="Wyjazd za granicę."
    )
    # The fourth person (second in line) and a newcomer must wait for the third.
    later = services.enrolment_start_support(user=manager, enrolment=fourth.enrolment)
    assert not later.booked and later.reserve_position == 2
    newcomer = in_support("OPS Wicko")
    assert not newcomer.booked and newcomer.reserve_position == 3
    taken = services.enrolment_start_support(
        user=manager, enrolment=third.enrolment, on_date=datetime.date(2016, 6, 1)
    )
    assert taken.booked
    assert active_bookings(small_quota) == 2


def test_a_second_request_books_no_second_seat(in_support, manager):
    started = in_support()
    with pytest.raises(ValidationError) as error:
        services.enrolment_start_support(user=manager, enrolment=started.enrolment)
    assert error.value.code == "wrong_status"
    assert started.enrolment.seat_bookings.count() == 1


def test_the_database_refuses_two_active_bookings_of_one_quota(in_support, manager):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    booking = in_support().enrolment.seat_bookings.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatBooking.objects.create(
            quota=booking.quota,
            enrolment=booking.enrolment,
            booked_at=timezone.now(),
            booked_by=manager,
        )


def test_no_support_without_consent(register, manager):
    enrolment = register()
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    with pytest.raises(ValidationError) as error:
        services.enrolment_start_support(user=manager, enrolment=enrolment, on_date=STARTED)
    assert error.value.code == "no_consent"
    enrolment.refresh_from_db()
    assert enrolment.status == Status.QUALIFIED
    assert not enrolment.seat_bookings.exists()
    services.consent_record(
        user=manager,
        enrolment=enrolment,
        declaration_signed_on=SIGNED,
        data_protection_signed_on=None,
    )
    with pytest.raises(ValidationError):
        services.enrolment_start_support(user=manager, enrolment=enrolment, on_date=STARTED)


def test_a_candidate_not_yet_qualified_cannot_take_a_seat(register, manager):
    enrolment = register()
    with pytest.raises(ValidationError):
        services.enrolment_start_support(user=manager, enrolment=enrolment)
    assert not SeatBooking.objects.exists()


def test_a_partner_without_such_places_cannot_book(in_support, manager, world):
    enrolment = in_support().enrolment
    with pytest.raises(services.NoQuota):
        services.seat_book(
            user=manager,
            enrolment=enrolment,
            organisation=world.organisations["MOPS Lębork"],
            place_kind=PlaceKind.INTERNSHIP,
        )


def test_courses_and_internships_book_through_the_same_service(in_support, manager, world):
    enrolment = in_support().enrolment
    booking = services.seat_book(
        user=manager,
        enrolment=enrolment,
        organisation=world.organisations["Starostwo Lębork"],
        place_kind=PlaceKind.INTERNSHIP,
    )
    assert booking.quota.seats == 93


def test_the_quota_table_counts_taken_free_and_waiting(in_support, small_quota, world):
    for _ in range(3):
        in_support("OPS Wicko")
    in_support("MOPS Lębork")
    groups = {g.place_kind: g for g in quota_table(world.lebork)}
    rows = {row.organisation: row for row in groups["SOCIAL_ACTIVATION"].rows}
    assert (rows["OPS Wicko"].taken, rows["OPS Wicko"].free, rows["OPS Wicko"].reserve) == (2, 0, 1)
    assert (rows["MOPS Lębork"].taken, rows["MOPS Lębork"].free) == (1, 35)
    assert groups["SOCIAL_ACTIVATION"].taken == 3
    assert groups["INTERNSHIP"].taken == 0


def test_the_quota_table_issues_a_fixed_number_of_queries(
    in_support, world, django_assert_num_queries
):
    in_support("OPS Wicko")
    with django_assert_num_queries(1):
        quota_table(world.lebork)
