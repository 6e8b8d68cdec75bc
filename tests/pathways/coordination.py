"""Builders for the coordinators' screens tests: courses, employers, medical exams and
internships, all made through the services."""

import datetime
from decimal import Decimal

from participants.models import SeatBooking
from partners.models import PlaceKind, SeatQuota
from pathways import services
from pathways.models import Course, Employer, Internship, MedicalExam

COURSE_START = datetime.date(2016, 10, 3)
INTERNSHIP_START = datetime.date(2016, 9, 14)  # a Wednesday: 13 working days to 30.09


def starostwo_quota(world, kind: str) -> SeatQuota:
    return SeatQuota.objects.get(
        project=world.lebork, organisation=world.organisations["Starostwo Lębork"], place_kind=kind
    )


def seats_taken(world, kind: str) -> int:
    return SeatBooking.objects.active().filter(quota=starostwo_quota(world, kind)).count()


def new_course(user, world, capacity: int = 10, title: str = "Operator wózków widłowych"):
    return services.course_create(
        user=user,
        course=Course(
            project=world.lebork,
            organiser=world.organisations["Starostwo Lębork"],
            place_kind=PlaceKind.SPECIALIST_COURSE,
            title=title,
            hours=60,
            start_date=COURSE_START,
            end_date=COURSE_START + datetime.timedelta(days=25),
            capacity=capacity,
        ),
    )


def new_employer(user, name: str = "Piekarnia „Kłos” s.c.", nip: str = "5252248481") -> Employer:
    return services.employer_save(
        user=user,
        employer=Employer(
            name=name, nip=nip, street="Kościuszki 5", postcode="84-300", town="Lębork"
        ),
    )


def new_exam(user, enrolment, *, result="FIT", on=datetime.date(2016, 9, 5), valid_days=365):
    return services.medical_exam_record(
        user=user,
        enrolment=enrolment,
        exam=MedicalExam(
            examined_on=on,
            valid_until=on + datetime.timedelta(days=valid_days),
            result=result,
            purpose="pomoc piekarza",
        ),
    )


def new_internship(user, world, enrolment, employer, start=INTERNSHIP_START, days=90):
    return services.internship_assign(
        user=user,
        internship=Internship(
            enrolment=enrolment,
            organiser=world.organisations["Starostwo Lębork"],
            employer=employer,
            position="pomoc piekarza",
            mentor="Jan Kłos",
            start_date=start,
            end_date=start + datetime.timedelta(days=days),
            hours_per_day=Decimal("8"),
            hours_per_week=Decimal("40"),
        ),
    )


def error_codes(form, field: str | None = None) -> list[str]:
    """The codes of a form's errors at `field` (None: above the form)."""
    errors = form.non_field_errors().as_data() if field is None else form.errors.as_data()[field]
    return [error.code for error in errors]
