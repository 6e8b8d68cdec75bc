"""The demo pathways: the support the demo people received, every rule of it kept."""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.pl import nip as stdnum_nip

from participants.models import Enrolment, SeatBooking
from partners.models import Organisation, PlaceKind, SeatQuota
from pathways.models import (
    Attendance,
    Course,
    CourseParticipation,
    Employer,
    Internship,
    InternshipMonth,
    MedicalExam,
    Pathway,
    PathwayGoal,
    Payment,
    PlannedSupport,
    Referral,
    Session,
    Stage,
)
from pathways.stipends import internship_stipend, month_bounds, training_stipend

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
Kind = Payment.Kind
STAROSTWO = "Starostwo Lębork"
SCHOOL = "PCE-ZSP Lębork"
CENTRES = {
    "PCPR Lębork",
    "MOPS Lębork",
    "MOPS Łeba",
    "OPS Cewice",
    "GOPS Nowa Wieś Lęborska",
    "OPS Wicko",
    "WTZ „Jesteśmy Razem”",
}
YEARS = (2016, 2017, 2018)


def user(username: str):
    return get_user_model().objects.get(username=username)


def pathways(demo):
    return Pathway.objects.filter(enrolment__project=demo).select_related("enrolment")


def in_support(demo):
    return Enrolment.objects.filter(project=demo, status=Status.IN_SUPPORT)


def referral_days(demo) -> dict[tuple[int, int], datetime.date]:
    return {
        (r.enrolment_id, r.to_organisation_id): r.referred_on
        for r in Referral.objects.filter(enrolment__project=demo)
    }


def test_the_people_in_support_have_pathways_in_both_stages(demo):
    stages = Counter(pathways(demo).values_list("stage", flat=True))
    assert stages[Stage.SOCIAL] >= 3
    assert stages[Stage.VOCATIONAL] >= 10
    with_pathway = pathways(demo).filter(enrolment__status=Status.IN_SUPPORT)
    assert set(with_pathway.values_list("enrolment", flat=True)) == set(
        in_support(demo).values_list("pk", flat=True)
    )
    # Those who left can receive nothing; the waiting have just their diagnosis.
    assert not pathways(demo).filter(enrolment__status__in=[Status.COMPLETED, Status.DROPPED_OUT])
    diagnosis_only = pathways(demo).exclude(enrolment__status=Status.IN_SUPPORT)
    assert diagnosis_only.exists()
    assert set(diagnosis_only.values_list("enrolment__status", flat=True)) <= {
        Status.QUALIFIED,
        Status.RESERVE,
    }
    assert not PathwayGoal.objects.filter(pathway__in=diagnosis_only).exists()
    assert all(p.needs and p.potential and p.barriers for p in pathways(demo))
    assert len({p.needs for p in pathways(demo)}) >= 8


def test_the_pathways_have_goals_and_plans(demo):
    today = timezone.localdate()
    for pathway in pathways(demo).filter(enrolment__status=Status.IN_SUPPORT):
        enrolment = pathway.enrolment
        assert enrolment.support_start <= pathway.signed_on <= today
        assert 1 <= pathway.goals.count() <= 3
        assert 2 <= pathway.items.count() <= 4
        # Vocational once referred, and only then.
        assert (pathway.stage == Stage.VOCATIONAL) == enrolment.referrals.exists()
        for item in pathway.items.select_related("support_form", "provider"):
            assert item.support_form.provided_by(item.provider)
            assert demo.partnerships.filter(organisation=item.provider).exists()
            assert item.planned_start.year in YEARS and item.planned_end.year in YEARS
    statuses = Counter(
        PathwayGoal.objects.filter(pathway__enrolment__project=demo).values_list(
            "status", flat=True
        )
    )
    assert statuses[PathwayGoal.Status.ACHIEVED] >= 5
    assert statuses[PathwayGoal.Status.IN_PROGRESS] >= 5
    assert PlannedSupport.objects.filter(provider__short_name=STAROSTWO).exists()


def test_referrals_go_to_both_vocational_partners_after_the_diagnosis(demo):
    referrals = Referral.objects.filter(enrolment__project=demo).select_related(
        "enrolment__pathway", "to_organisation", "referred_by"
    )
    targets = Counter(r.to_organisation.short_name for r in referrals)
    assert targets[STAROSTWO] >= 10
    assert targets[SCHOOL] >= 3
    both = Counter(r.enrolment_id for r in referrals)
    assert 2 in both.values()  # someone referred to both
    for referral in referrals:
        enrolment = referral.enrolment
        assert enrolment.support_start <= referral.referred_on <= datetime.date(2018, 12, 31)
        assert enrolment.pathway.signed_on <= referral.referred_on
        assert referral.referred_by.has_perm("participants.edit_enrolment", enrolment)


@pytest.mark.parametrize(
    ("username", "organisation"), [("koord.starostwo", STAROSTWO), ("koord.pce", SCHOOL)]
)
def test_the_coordinators_see_the_people_referred_to_them_and_no_one_else(
    demo, username, organisation
):
    visible = set(Enrolment.objects.for_user(user(username)).filter(project=demo))
    referred = set(
        Enrolment.objects.filter(project=demo, referrals__to_organisation__short_name=organisation)
    )
    assert referred
    assert visible == referred
    not_referred = in_support(demo).exclude(pk__in=[e.pk for e in referred])
    assert not_referred.exists()
    assert not Enrolment.objects.for_user(user(username)).filter(pk__in=not_referred).exists()


def test_every_attendance_keeps_the_support_rules(demo):
    today = timezone.localdate()
    referred_on = referral_days(demo)
    on_course = set(CourseParticipation.objects.values_list("course_id", "enrolment_id"))
    rows = Attendance.objects.filter(session__project=demo).select_related(
        "session__support_form", "enrolment"
    )
    assert rows.count() >= 300
    assert 0 < rows.filter(present=False).count() < rows.count() / 10
    for row in rows:
        session, enrolment = row.session, row.enrolment
        assert enrolment.status == Status.IN_SUPPORT
        assert enrolment.has_consent
        assert enrolment.support_start <= session.date <= today
        assert session.date.year in YEARS
        assert row.hours <= session.hours
        assert row.present or row.hours == 0
        if session.support_form.stage == Stage.VOCATIONAL:
            assert referred_on[(enrolment.pk, session.provider_id)] <= session.date
        if session.course_id:
            assert (session.course_id, enrolment.pk) in on_course


def test_every_centre_holds_group_sessions(demo):
    sessions = Session.objects.filter(project=demo)
    providers = set(sessions.values_list("provider__short_name", flat=True))
    assert providers == CENTRES | {STAROSTWO, SCHOOL}
    for centre in CENTRES:
        group = sessions.filter(provider__short_name=centre, is_group=True)
        assert group.count() >= 5, centre
        forms = set(group.values_list("support_form__name", flat=True))
        assert "Poradnictwo psychologiczne" in forms
        assert "Integracja społeczna (kino, wioska tematyczna, teatr, rajd, piknik)" in forms
    counselling = sessions.filter(provider__short_name=STAROSTWO, course__isnull=True)
    assert counselling.filter(support_form__name="Doradztwo zawodowe", is_group=True).exists()
    assert counselling.filter(is_group=False).exists()
    assert {s.created_by.username for s in sessions.filter(provider__short_name=STAROSTWO)} == {
        "koord.starostwo"
    }


def test_the_courses_stay_within_their_capacity_and_quota(demo):
    today = timezone.localdate()
    referred_on = referral_days(demo)
    courses = Course.objects.filter(project=demo)
    by_kind = {c.place_kind: c for c in courses}
    assert set(by_kind) == {PlaceKind.SPECIALIST_COURSE, PlaceKind.SCHOOL_COURSE}
    assert 4 <= by_kind[PlaceKind.SPECIALIST_COURSE].participations.count() <= 6
    assert 3 <= by_kind[PlaceKind.SCHOOL_COURSE].participations.count() <= 4
    for course in courses:
        places = course.participations.select_related("seat_booking__quota")
        assert places.count() <= course.capacity
        for place in places:
            quota = place.seat_booking.quota
            assert (quota.organisation_id, quota.place_kind) == (
                course.organiser_id,
                course.place_kind,
            )
            assert place.seat_booking.released_at is None
            assert referred_on[(place.enrolment_id, course.organiser_id)] <= course.start_date
        sessions = course.sessions.all()
        assert sessions.aggregate(h=Sum("hours"))["h"] == course.hours
        assert all(course.start_date <= s.date <= course.end_date for s in sessions)
        certified = places.filter(certificate_date__isnull=False)
        assert certified.count() > places.count() / 2
        for place in certified:
            assert place.exam_passed is True
            assert place.certificate_name and place.certificate_number
            assert course.start_date <= place.certificate_date <= today
        assert places.filter(certificate_date__isnull=True).exists()  # not everyone passes
    for quota in SeatQuota.objects.filter(project=demo):
        assert quota.bookings.active().count() <= quota.seats, quota


def test_every_internship_has_a_medical_examination_valid_on_its_start(demo):
    referred_on = referral_days(demo)
    internships = Internship.objects.filter(enrolment__project=demo).select_related(
        "medical_exam", "seat_booking__quota", "organiser"
    )
    assert 4 <= internships.count() <= 6
    for internship in internships:
        exam = internship.medical_exam
        assert exam.enrolment_id == internship.enrolment_id
        assert exam.result == MedicalExam.Result.FIT
        assert exam.examined_on <= internship.start_date <= exam.valid_until
        assert internship.organiser.short_name == STAROSTWO
        assert internship.seat_booking.quota.place_kind == PlaceKind.INTERNSHIP
        assert referred_on[(internship.enrolment_id, internship.organiser_id)] < (
            internship.start_date
        )
        assert (internship.hours_per_day, internship.hours_per_week) == (8, 40)
        months = list(internship.months.order_by("month"))
        assert 3 <= len(months) <= 6
        assert months[0].month == internship.start_date.replace(day=1)
        assert months[-1].month == internship.end_date.replace(day=1)
        assert internship.end_date <= demo.end_date
    assert all(d.year in YEARS for d in MedicalExam.objects.values_list("valid_until", flat=True))
    employers = Employer.objects.filter(internships__in=internships).distinct()
    assert 3 <= employers.count() <= 4
    assert all(stdnum_nip.is_valid(e.nip) for e in employers)


def test_the_months_show_a_partial_start_excused_days_and_full_months(demo):
    months = InternshipMonth.objects.filter(internship__enrolment__project=demo).select_related(
        "internship"
    )
    assert any(m.month < m.internship.start_date for m in months)  # started mid-month
    assert months.filter(excused_days__gt=0).exists()
    assert months.filter(stipend=demo.internship_stipend).count() >= 10
    assert months.filter(stipend__lt=demo.internship_stipend).exists()
    for month in months:  # attendance only within the internship's dates
        first, last = month_bounds(month.month)
        start = max(first, month.internship.start_date)
        end = min(last, month.internship.end_date)
        assert start <= end
        assert month.hours_worked <= month.internship.hours_per_day * month.days_worked


def test_each_month_s_stipend_is_the_project_s_rule_recomputed(demo):
    assert demo.internship_stipend == Decimal("997.32")
    assert (demo.internship_hours_norm, demo.training_hours_norm) == (160, 150)
    months = InternshipMonth.objects.filter(internship__enrolment__project=demo).select_related(
        "internship"
    )
    assert months.count() >= 15
    for month in months:
        assert month.stipend == internship_stipend(
            monthly_amount=demo.internship_stipend,
            hours_norm=demo.internship_hours_norm,
            hours_worked=month.hours_worked,
            excused_hours=month.internship.hours_per_day * month.excused_days,
        )


def test_stipend_payments_are_the_months_stipends(demo):
    starostwo = Organisation.objects.get(short_name=STAROSTWO)
    payments = Payment.objects.filter(
        enrolment__project=demo, kind=Kind.INTERNSHIP_STIPEND
    ).select_related("internship_month__internship")
    paid_months = InternshipMonth.objects.filter(internship__enrolment__project=demo, stipend__gt=0)
    assert payments.count() == paid_months.count()
    for payment in payments:
        month = payment.internship_month
        assert month is not None
        assert payment.amount == month.stipend
        assert payment.enrolment_id == month.internship.enrolment_id
        assert payment.paid_by == starostwo
        first, last = month_bounds(month.month)
        assert first <= payment.period_start <= payment.period_end <= last
        assert payment.paid_on > payment.period_end


def test_training_stipends_follow_the_hours_of_the_course(demo):
    course = Course.objects.get(project=demo, place_kind=PlaceKind.SPECIALIST_COURSE)
    payments = Payment.objects.filter(enrolment__project=demo, kind=Kind.TRAINING_STIPEND)
    assert payments.count() == course.participations.count()
    for payment in payments:
        hours = Attendance.objects.filter(
            session__course=course, enrolment=payment.enrolment
        ).aggregate(h=Sum("hours"))["h"]
        assert payment.amount == training_stipend(
            monthly_amount=demo.training_stipend,
            hours_norm=demo.training_hours_norm,
            hours=hours,
            floor_percent=demo.training_stipend_floor,
        )


def test_refunds_and_benefits_are_paid_by_the_centres(demo):
    today = timezone.localdate()
    payments = Payment.objects.filter(enrolment__project=demo).select_related(
        "enrolment", "paid_by"
    )
    kinds = Counter(payments.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    benefits = payments.filter(kind=Kind.BENEFIT)
    assert benefits.exists()
    assert set(benefits.values_list("funding", flat=True)) == {Payment.Funding.OWN_CONTRIBUTION}
    assert payments.exclude(kind=Kind.BENEFIT).filter(funding=Payment.Funding.GRANT).exists()
    for kind in (Kind.BENEFIT, Kind.CARE_REFUND):
        assert {p.paid_by.short_name for p in payments.filter(kind=kind)} <= CENTRES
    assert payments.filter(kind=Kind.TRAVEL_REFUND, paid_by__short_name__in=CENTRES).exists()
    assert payments.filter(kind=Kind.TRAVEL_REFUND, paid_by__short_name=STAROSTWO).exists()
    for payment in payments:
        assert payment.amount > 0
        assert payment.paid_on <= today
        assert {payment.paid_on.year, payment.period_start.year, payment.period_end.year} <= set(
            YEARS
        )
        assert payment.period_start >= payment.enrolment.support_start
        assert payment.document_number


def test_participation_starts_with_the_first_support_received(demo):
    for enrolment in in_support(demo):
        firsts = []
        attended = enrolment.attendances.filter(present=True).aggregate(d=Min("session__date"))
        if attended["d"]:
            firsts.append(attended["d"])
        for month in InternshipMonth.objects.filter(
            internship__enrolment=enrolment, days_worked__gt=0
        ).select_related("internship"):
            firsts.append(max(month.month, month.internship.start_date))
        assert firsts, enrolment  # everyone in support has received some support
        assert enrolment.participation_start == min(firsts)


def _snapshot(demo):
    models = [
        Pathway,
        PathwayGoal,
        PlannedSupport,
        Referral,
        Session,
        Attendance,
        Course,
        CourseParticipation,
        Employer,
        MedicalExam,
        Internship,
        InternshipMonth,
        Payment,
        SeatBooking,
        Enrolment,
    ]
    counts = {m.__name__: m.objects.count() for m in models}
    counts |= {f"{m.__name__}.history": m.history.count() for m in models}
    counts["starts"] = tuple(
        Enrolment.objects.order_by("pk").values_list("participation_start", flat=True)
    )
    counts["paid"] = Payment.objects.aggregate(s=Sum("amount"))["s"]
    return counts


def test_running_it_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    before = _snapshot(demo)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot(demo) == before
    assert _("Pathways: the demo's pathways are already there; nothing added.") in out.getvalue()
