"""The pathway's rules: stage gates, referral visibility, seats for courses and
internships through the one booking service, monthly attendance and payments."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participants import services as participation
from participants.models import Enrolment, Participant, SeatBooking
from partners.models import PlaceKind, SeatQuota
from pathways import services
from pathways.models import (
    Attendance,
    Course,
    Employer,
    Internship,
    MedicalExam,
    Payment,
    Session,
    Stage,
    SupportForm,
)
from tests.factories import BudgetLineFactory

STARTED = datetime.date(2016, 5, 16)
REFERRED = datetime.date(2016, 9, 1)


def form(name: str) -> SupportForm:
    return SupportForm.objects.get(name=name)


@pytest.fixture
def supported(in_support, manager):
    """A MOPS Lębork participant in support, with a pathway."""
    enrolment = in_support("MOPS Lębork").enrolment
    services.pathway_save(user=manager, enrolment=enrolment, needs="Wsparcie psychologiczne.")
    return enrolment


@pytest.fixture
def referred(supported, manager, world):
    services.referral_create(
        user=manager,
        enrolment=supported,
        to_organisation=world.organisations["Starostwo Lębork"],
        referred_on=REFERRED,
        note="Chce zdobyć uprawnienia operatora wózka.",
    )
    return supported


def counselling(user, world, enrolments, day=datetime.date(2016, 6, 6), **row):
    return services.session_record(
        user=user,
        project=world.lebork,
        support_form=form("Poradnictwo psychologiczne"),
        provider=world.organisations["MOPS Lębork"],
        date=day,
        hours=Decimal("2"),
        specialist="mgr Ewa Psycholog",
        rows=[services.AttendanceRow(e, **({"present": True} | row)) for e in enrolments],
    )


# Stage gates --------------------------------------------------------------------------


def test_social_support_is_recorded_and_sets_the_participation_start(supported, sw_lebork, world):
    counselling(sw_lebork, world, [supported], day=datetime.date(2016, 6, 6))
    counselling(sw_lebork, world, [supported], day=datetime.date(2016, 5, 30))
    supported.refresh_from_db()
    assert supported.participation_start == datetime.date(2016, 5, 30)  # the earliest
    assert Attendance.objects.get(session__date=datetime.date(2016, 6, 6)).hours == Decimal("2")


def test_no_support_for_a_person_not_in_support(register, manager, sw_lebork, world):
    candidate = register("MOPS Lębork")
    with pytest.raises(ValidationError) as error:
        counselling(sw_lebork, world, [candidate])
    assert "Poradnictwo" not in str(error.value)  # the message names the person, not the form
    assert not Session.objects.exists()


def test_no_support_before_entering_support(supported, sw_lebork, world):
    with pytest.raises(ValidationError):
        counselling(sw_lebork, world, [supported], day=STARTED - datetime.timedelta(days=1))


def test_no_vocational_support_before_a_referral(supported, coordinator, manager, world):
    def career_counselling():
        return services.session_record(
            user=manager,
            project=world.lebork,
            support_form=form("Doradztwo zawodowe"),
            provider=world.organisations["Starostwo Lębork"],
            date=datetime.date(2016, 9, 5),
            hours=Decimal("1"),
            specialist="doradca zawodowy",
            rows=[services.AttendanceRow(supported, present=True)],
        )

    with pytest.raises(ValidationError) as error:
        career_counselling()
    assert "Starostwo Lębork" in error.value.messages[0]
    services.referral_create(
        user=manager,
        enrolment=supported,
        to_organisation=world.organisations["Starostwo Lębork"],
        referred_on=REFERRED,
    )
    assert career_counselling().attendances.count() == 1


def test_the_attendance_list_is_saved_whole_or_not_at_all(
    in_support, register, sw_lebork, world, manager
):
    ok = [in_support("MOPS Lębork").enrolment for _ in range(3)]
    not_yet = register("MOPS Lębork")
    with pytest.raises(ValidationError) as error:
        counselling(sw_lebork, world, [*ok, not_yet])
    assert len(error.value.messages) == 1
    assert str(not_yet.participant) in error.value.messages[0]
    assert not Session.objects.exists()
    assert not Attendance.objects.exists()
    assert not Enrolment.objects.filter(participation_start__isnull=False).exists()


def test_more_hours_than_the_session_are_refused(supported, sw_lebork, world):
    with pytest.raises(ValidationError):
        counselling(sw_lebork, world, [supported], hours=Decimal("3"))
    assert not Session.objects.exists()


def test_an_absent_person_gets_no_hours_and_no_start(supported, sw_lebork, world):
    counselling(sw_lebork, world, [supported], present=False)
    assert Attendance.objects.get().hours == 0
    supported.refresh_from_db()
    assert supported.participation_start is None


def test_a_provider_outside_the_project_is_refused(supported, manager, world):
    with pytest.raises(ValidationError):
        services.session_record(
            user=manager,
            project=world.lebork,
            support_form=form("Poradnictwo psychologiczne"),
            provider=world.organisations["OPS Leszno"],
            date=datetime.date(2016, 6, 6),
            hours=Decimal("1"),
            specialist="x",
            rows=[services.AttendanceRow(supported, present=True)],
        )


def test_only_staff_of_the_provider_record_its_sessions(supported, sw_wicko, auditor, world):
    for user in (sw_wicko, auditor):
        with pytest.raises(PermissionDenied):
            counselling(user, world, [supported])


def test_a_worker_cannot_list_someone_outside_their_scope(in_support, sw_wicko, world):
    stranger = in_support("MOPS Lębork").enrolment  # MOPS Lębork's, not OPS Wicko's
    with pytest.raises(ValidationError):
        services.session_record(
            user=sw_wicko,
            project=world.lebork,
            support_form=form("Poradnictwo psychologiczne"),
            provider=world.organisations["OPS Wicko"],
            date=datetime.date(2016, 6, 6),
            hours=Decimal("1"),
            specialist="x",
            rows=[services.AttendanceRow(stranger, present=True)],
        )


def test_a_resignation_is_refused_once_support_was_received(supported, sw_lebork, world):
    counselling(sw_lebork, world, [supported])
    with pytest.raises(ValidationError) as error:
        participation.enrolment_resign(
            user=sw_lebork, enrolment=supported, on_date=datetime.date(2016, 7, 1), reason="x"
        )
    assert error.value.code == "support_received"


# Referral -----------------------------------------------------------------------------


def test_a_referral_shows_the_person_to_the_receiving_coordinators(
    supported, coordinator, manager, world
):
    assert not Enrolment.objects.for_user(coordinator).filter(pk=supported.pk).exists()
    assert not Participant.objects.for_user(coordinator).exists()
    services.referral_create(
        user=manager,
        enrolment=supported,
        to_organisation=world.organisations["Starostwo Lębork"],
        referred_on=REFERRED,
    )
    assert Enrolment.objects.for_user(coordinator).filter(pk=supported.pk).exists()
    assert list(Participant.objects.for_user(coordinator)) == [supported.participant]
    supported.pathway.refresh_from_db()
    assert supported.pathway.stage == Stage.VOCATIONAL


def test_a_referral_shows_nothing_to_other_partners(referred, sw_wicko, sw_leszno):
    for user in (sw_wicko, sw_leszno):
        assert not Enrolment.objects.for_user(user).filter(pk=referred.pk).exists()


def test_only_a_vocational_partner_receives_referrals(supported, manager, world):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            user=manager,
            enrolment=supported,
            to_organisation=world.organisations["OPS Wicko"],
            referred_on=REFERRED,
        )
    assert "to_organisation" in error.value.message_dict


def test_a_referral_needs_a_pathway(in_support, manager, world):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            user=manager,
            enrolment=in_support().enrolment,
            to_organisation=world.organisations["Starostwo Lębork"],
            referred_on=REFERRED,
        )
    assert error.value.code == "no_pathway"


def test_the_receiving_coordinator_cannot_refer(supported, coordinator, world):
    with pytest.raises(PermissionDenied):
        services.referral_create(
            user=coordinator,
            enrolment=supported,
            to_organisation=world.organisations["Starostwo Lębork"],
            referred_on=REFERRED,
        )


# Courses ------------------------------------------------------------------------------


@pytest.fixture
def course(coordinator, world):
    return services.course_create(
        user=coordinator,
        course=Course(
            project=world.lebork,
            organiser=world.organisations["Starostwo Lębork"],
            place_kind=PlaceKind.SPECIALIST_COURSE,
            title="Operator wózków widłowych z egzaminem UDT",
            hours=60,
            start_date=datetime.date(2016, 10, 3),
            end_date=datetime.date(2016, 10, 28),
            capacity=2,
        ),
    )


def specialist_quota(world):
    return SeatQuota.objects.get(
        project=world.lebork,
        organisation=world.organisations["Starostwo Lębork"],
        place_kind="SPECIALIST_COURSE",
    )


def test_assigning_to_a_course_takes_a_seat_of_the_quota(referred, course, coordinator, world):
    place = services.course_assign(user=coordinator, course=course, enrolment=referred)
    assert place.seat_booking.quota == specialist_quota(world)
    assert SeatBooking.objects.active().filter(quota=specialist_quota(world)).count() == 1


def test_a_course_for_someone_not_referred_is_refused(supported, course, manager):
    with pytest.raises(ValidationError) as error:
        services.course_assign(user=manager, course=course, enrolment=supported)
    assert error.value.code == "no_referral"


def test_a_full_course_is_refused(in_support, course, manager, world):
    people = []
    for _ in range(3):
        enrolment = in_support().enrolment
        services.pathway_save(user=manager, enrolment=enrolment, needs="x")
        services.referral_create(
            user=manager,
            enrolment=enrolment,
            to_organisation=world.organisations["Starostwo Lębork"],
            referred_on=REFERRED,
        )
        people.append(enrolment)
    services.course_assign(user=manager, course=course, enrolment=people[0])
    services.course_assign(user=manager, course=course, enrolment=people[1])
    with pytest.raises(ValidationError) as error:
        services.course_assign(user=manager, course=course, enrolment=people[2])
    assert error.value.code == "course_full"


def test_a_used_up_quota_is_refused(referred, course, manager, world):
    quota = specialist_quota(world)
    quota.seats = 1
    quota.save()
    other = Course.objects.get(pk=course.pk)
    other.pk = None
    other.title = "Inny kurs"
    other.save()
    services.course_assign(user=manager, course=course, enrolment=referred)
    with pytest.raises(ValidationError):
        services.course_assign(user=manager, course=other, enrolment=referred)


def test_a_certificate_counts_as_a_qualification(referred, course, coordinator):
    place = services.course_assign(user=coordinator, course=course, enrolment=referred)
    services.certificate_record(
        user=coordinator,
        participation_record=place,
        exam_passed=True,
        certificate_name="Zaświadczenie UDT",
        certificate_number="UDT/2016/123",
        certificate_date=datetime.date(2016, 10, 28),
    )
    assert place.qualification_gained


# Internships --------------------------------------------------------------------------


@pytest.fixture
def employer(coordinator):
    return services.employer_save(
        user=coordinator,
        employer=Employer(
            name="Piekarnia „Kłos” s.c.",
            nip="5252248481",
            street="Kościuszki 5",
            postcode="84-300",
            town="Lębork",
        ),
    )


def new_internship(referred, coordinator, world, employer, start=datetime.date(2016, 6, 15)):
    return services.internship_assign(
        user=coordinator,
        internship=Internship(
            enrolment=referred,
            organiser=world.organisations["Starostwo Lębork"],
            employer=employer,
            position="pomoc piekarza",
            mentor="Jan Kłos",
            start_date=start,
            end_date=start + datetime.timedelta(days=90),
            hours_per_day=Decimal("8"),
            hours_per_week=Decimal("40"),
        ),
    )


def exam(referred, coordinator, result="FIT", on=datetime.date(2016, 9, 5), valid=365):
    return services.medical_exam_record(
        user=coordinator,
        enrolment=referred,
        exam=MedicalExam(
            examined_on=on,
            valid_until=on + datetime.timedelta(days=valid),
            result=result,
            purpose="pomoc piekarza",
        ),
    )


def test_no_internship_without_a_valid_medical_exam(referred, coordinator, world, employer):
    start = datetime.date(2016, 9, 12)
    with pytest.raises(ValidationError) as error:
        new_internship(referred, coordinator, world, employer, start)
    assert error.value.code == "no_medical_exam"
    exam(referred, coordinator, result="UNFIT")
    with pytest.raises(ValidationError):
        new_internship(referred, coordinator, world, employer, start)
    exam(referred, coordinator, on=datetime.date(2016, 9, 6), valid=2)  # expires before the start
    with pytest.raises(ValidationError):
        new_internship(referred, coordinator, world, employer, start)
    assert not Internship.objects.exists()
    exam(referred, coordinator)
    internship = new_internship(referred, coordinator, world, employer, start)
    assert internship.seat_booking.quota.place_kind == PlaceKind.INTERNSHIP


@pytest.fixture
def running(referred, coordinator, world, employer):
    world.lebork.internship_stipend = Decimal("997.32")
    world.lebork.save()
    exam(referred, coordinator)
    return new_internship(referred, coordinator, world, employer, datetime.date(2016, 9, 14))


def test_a_month_of_attendance_gives_its_stipend(running, coordinator):
    # Starting Wednesday 14.09.2016: 13 working days to 30.09; 12 worked, 1 excused, 8 h/day
    # (96 + 8) h of 160 → 997,32 × 104 / 160 = 648,258 → 648,26
    month = services.internship_month_record(
        user=coordinator,
        internship=running,
        month=datetime.date(2016, 9, 1),
        days_worked=12,
        hours_worked=Decimal("96"),
        excused_days=1,
    )
    assert month.stipend == Decimal("648.26")
    running.refresh_from_db()
    assert running.status == Internship.Status.RUNNING
    running.enrolment.refresh_from_db()
    assert running.enrolment.participation_start == datetime.date(2016, 9, 14)


@pytest.mark.parametrize(
    ("month", "days", "hours", "excused", "field"),
    [
        (datetime.date(2016, 8, 1), 5, "40", 0, "month"),  # before the internship
        (datetime.date(2017, 1, 1), 5, "40", 0, "month"),  # after it
        (datetime.date(2016, 9, 1), 14, "112", 0, "days_worked"),  # only 13 working days
        (datetime.date(2016, 9, 1), 12, "100", 0, "hours_worked"),  # 12 × 8 = 96 at most
        (datetime.date(2016, 9, 1), 12, "96", 2, "days_worked"),  # 14 days with the excused
    ],
)
def test_impossible_attendance_is_refused(running, coordinator, month, days, hours, excused, field):
    with pytest.raises(ValidationError) as error:
        services.internship_month_record(
            user=coordinator,
            internship=running,
            month=month,
            days_worked=days,
            hours_worked=Decimal(hours),
            excused_days=excused,
        )
    assert field in error.value.message_dict
    assert not running.months.exists()


def test_a_social_worker_does_not_record_internship_months(running, sw_lebork):
    with pytest.raises(PermissionDenied):
        services.internship_month_record(
            user=sw_lebork,
            internship=running,
            month=datetime.date(2016, 9, 1),
            days_worked=1,
            hours_worked=Decimal("8"),
        )


# Payments -----------------------------------------------------------------------------


def payment(enrolment, world, **changes):
    values = {
        "enrolment": enrolment,
        "kind": Payment.Kind.TRAVEL_REFUND,
        "amount": Decimal("48.60"),
        "paid_on": datetime.date(2016, 7, 5),
        "period_start": datetime.date(2016, 6, 1),
        "period_end": datetime.date(2016, 6, 30),
        "document_number": "LP/2016/06/17",
        "budget_line": BudgetLineFactory(
            project=enrolment.project, organisation=world.organisations["MOPS Lębork"]
        ),
    }
    return Payment(**(values | changes))


def test_a_refund_is_recorded(supported, sw_lebork, world):
    recorded = services.payment_record(user=sw_lebork, payment=payment(supported, world))
    assert recorded.funding == Payment.Funding.GRANT
    assert recorded.recorded_by == sw_lebork


def test_a_benefit_counts_as_own_contribution(supported, sw_lebork, world):
    line = BudgetLineFactory(
        project=supported.project,
        organisation=world.organisations["MOPS Lębork"],
        category="Zasiłki",
        funding=Payment.Funding.OWN_CONTRIBUTION,
    )
    recorded = services.payment_record(
        user=sw_lebork,
        payment=payment(supported, world, kind=Payment.Kind.BENEFIT, budget_line=line),
    )
    assert recorded.funding == Payment.Funding.OWN_CONTRIBUTION


def test_a_benefit_on_a_grant_line_is_refused(supported, sw_lebork, world):
    with pytest.raises(ValidationError) as refused:
        services.payment_record(
            user=sw_lebork, payment=payment(supported, world, kind=Payment.Kind.BENEFIT)
        )
    assert refused.value.error_dict["budget_line"][0].code == "benefit_line"
    assert not Payment.objects.exists()


def test_a_line_of_another_project_is_refused(supported, sw_lebork, world):
    line = BudgetLineFactory(project=world.leszno, organisation=world.organisations["MOPS Lębork"])
    with pytest.raises(ValidationError) as refused:
        services.payment_record(user=sw_lebork, payment=payment(supported, world, budget_line=line))
    assert "budget_line" in refused.value.error_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": Decimal("0")},
        {"amount": Decimal("-10")},
        {"amount": Decimal("75000")},
        {"period_end": datetime.date(2016, 5, 1)},
        {"paid_on": datetime.date.today() + datetime.timedelta(days=2)},
    ],
)
def test_bad_payments_are_refused(supported, sw_lebork, world, changes):
    with pytest.raises(ValidationError):
        services.payment_record(user=sw_lebork, payment=payment(supported, world, **changes))
    assert not Payment.objects.exists()


def test_another_partner_cannot_pay_for_someone_it_does_not_see(supported, sw_wicko, world):
    with pytest.raises(PermissionDenied):
        services.payment_record(
            user=sw_wicko,
            payment=payment(
                supported,
                world,
                budget_line=BudgetLineFactory(
                    project=supported.project, organisation=world.organisations["OPS Wicko"]
                ),
            ),
        )


def test_a_course_class_outside_the_course_dates_is_refused(referred, course, coordinator, world):
    services.course_assign(user=coordinator, course=course, enrolment=referred)

    def course_class(day):
        return services.session_record(
            user=coordinator,
            project=world.lebork,
            support_form=form("Kursy i szkolenia specjalistyczne"),
            provider=world.organisations["Starostwo Lębork"],
            date=day,
            hours=Decimal("6"),
            specialist="instruktor UDT",
            rows=[services.AttendanceRow(referred, present=True)],
            course=course,
        )

    with pytest.raises(ValidationError) as error:
        course_class(datetime.date(2016, 11, 2))  # the course ended on 28.10
    assert "date" in error.value.message_dict
    assert course_class(datetime.date(2016, 10, 4)).attendances.count() == 1


def test_a_course_form_of_support_goes_with_a_course(referred, coordinator, world):
    with pytest.raises(ValidationError) as error:
        services.session_record(
            user=coordinator,
            project=world.lebork,
            support_form=form("Kursy i szkolenia specjalistyczne"),
            provider=world.organisations["Starostwo Lębork"],
            date=datetime.date(2016, 10, 4),
            hours=Decimal("6"),
            specialist="instruktor",
            rows=[services.AttendanceRow(referred, present=True)],
        )
    assert error.value.message_dict["support_form"]
    assert not Session.objects.exists()
