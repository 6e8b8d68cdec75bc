"""Workflows of the pathway: plan, refer, record support, place on courses and internships, pay.

The stage rules live here once: no support at all before consent and entering
support (`participants.services.support_gate`), no vocational support before a
referral to the organisation that gives it. Course and internship seats are taken
through `participants.services.seat_book`, the one booking service. The first support
recorded sets the participation start date (`participants.services.support_received`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aktywizacja.services import require, save
from participants import services as participation
from participants.models import Enrolment
from partners.models import BudgetLine, Organisation, PlaceKind, Project, SeatQuota

from .models import (
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
    SupportForm,
)
from .stipends import internship_stipend, month_bounds, working_days

VOCATIONAL_PLACES = (PlaceKind.SPECIALIST_COURSE, PlaceKind.INTERNSHIP, PlaceKind.SCHOOL_COURSE)
Status = Enrolment.Status


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _partner_of(project: Project, organisation: Organisation, field: str) -> None:
    if not project.partnerships.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(organisation)s is not a partner of this project.")
                    % {"organisation": organisation.short_name},
                    code="not_a_partner",
                )
            }
        )


def _provides(provider: Organisation, support_form: SupportForm) -> None:
    if not support_form.provided_by(provider):
        message = _("%(organisation)s does not provide “%(form)s”.") % {
            "organisation": provider.short_name,
            "form": support_form.name,
        }
        raise ValidationError({"provider": ValidationError(message, code="not_a_provider")})


# The gates ---------------------------------------------------------------------


def vocational_gate(*, enrolment: Enrolment, organisation: Organisation) -> None:
    """Vocational support needs a referral to the organisation that gives it."""
    if not enrolment.referrals.filter(to_organisation=organisation).exists():
        raise ValidationError(
            _(
                "%(name)s has not been referred to %(organisation)s: vocational support "
                "comes after a referral."
            )
            % {"name": enrolment.participant, "organisation": organisation.short_name},
            code="no_referral",
        )


def support_gate(
    *, enrolment: Enrolment, support_form: SupportForm, provider: Organisation, day: datetime.date
) -> None:
    """May this support be recorded? Raises ValidationError saying why not."""
    participation.support_gate(enrolment=enrolment, day=day)
    if support_form.stage == Stage.VOCATIONAL:
        vocational_gate(enrolment=enrolment, organisation=provider)


# The plan ------------------------------------------------------------------------


def pathway_save(
    *,
    user,
    enrolment: Enrolment,
    needs: str,
    potential: str = "",
    barriers: str = "",
    signed_on: datetime.date | None = None,
) -> Pathway:
    """Write (or revise) the diagnosis; every revision is kept in the history."""
    require(user, "participants.edit_enrolment", enrolment)
    if enrolment.status not in (Status.QUALIFIED, Status.RESERVE, Status.IN_SUPPORT):
        raise ValidationError(
            _("A pathway is written for a qualified person or one in support."),
            code="wrong_status",
        )
    if signed_on and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        pathway = Pathway.objects.select_for_update().filter(enrolment=enrolment).first()
        pathway = pathway or Pathway(enrolment=enrolment)
        pathway.needs, pathway.potential, pathway.barriers = needs, potential, barriers
        pathway.signed_on = signed_on
        save(pathway, user)
    return pathway


def goal_add(*, user, pathway: Pathway, description: str) -> PathwayGoal:
    require(user, "participants.edit_enrolment", pathway.enrolment)
    goal = PathwayGoal(pathway=pathway, description=(description or "").strip())
    save(goal, user)
    return goal


def goal_set_status(*, user, goal: PathwayGoal, status: str) -> PathwayGoal:
    require(user, "participants.edit_enrolment", goal.pathway.enrolment)
    goal.status = status
    save(goal, user)
    return goal


def planned_support_add(
    *,
    user,
    pathway: Pathway,
    support_form: SupportForm,
    provider: Organisation,
    planned_start: datetime.date,
    planned_end: datetime.date,
    planned_hours: Decimal | None = None,
) -> PlannedSupport:
    enrolment = pathway.enrolment
    require(user, "participants.edit_enrolment", enrolment)
    _partner_of(enrolment.project, provider, "provider")
    _provides(provider, support_form)
    item = PlannedSupport(
        pathway=pathway,
        support_form=support_form,
        provider=provider,
        planned_start=planned_start,
        planned_end=planned_end,
        planned_hours=planned_hours,
    )
    save(item, user)
    return item


# Referral ------------------------------------------------------------------------


def referral_targets(project: Project):
    """The partners that give vocational activation: those with vocational places."""
    return Organisation.objects.filter(
        quotas__project=project, quotas__place_kind__in=VOCATIONAL_PLACES
    ).distinct()


def referral_create(
    *,
    user,
    enrolment: Enrolment,
    to_organisation: Organisation,
    referred_on: datetime.date,
    note: str = "",
) -> Referral:
    """Refer a participant to Starostwo or PCE-ZSP: the receiving coordinators now see
    them, and the pathway moves to the vocational stage."""
    require(user, "participants.edit_enrolment", enrolment)
    if not referral_targets(enrolment.project).filter(pk=to_organisation.pk).exists():
        raise ValidationError(
            {
                "to_organisation": ValidationError(
                    _("%(organisation)s gives no vocational activation in this project.")
                    % {"organisation": to_organisation.short_name},
                    code="not_vocational",
                )
            }
        )
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        participation.support_gate(enrolment=enrolment, day=referred_on)
        pathway = Pathway.objects.select_for_update().filter(enrolment=enrolment).first()
        if pathway is None:
            raise ValidationError(
                _("Write the pathway (the diagnosis) before referring the participant."),
                code="no_pathway",
            )
        referral = Referral(
            enrolment=enrolment,
            to_organisation=to_organisation,
            referred_on=referred_on,
            note=note,
            referred_by=user,
        )
        save(referral, user)
        if pathway.stage != Stage.VOCATIONAL:
            pathway.stage = Stage.VOCATIONAL
            save(pathway, user)
    return referral


# Sessions and attendance -------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    enrolment: Enrolment
    present: bool
    hours: Decimal | None = None  # None: the whole session when present


def session_record(
    *,
    user,
    project: Project,
    support_form: SupportForm,
    provider: Organisation,
    date: datetime.date,
    hours: Decimal,
    specialist: str,
    rows: list[AttendanceRow],
    place: str = "",
    is_group: bool = True,
    course: Course | None = None,
) -> Session:
    """A session with its attendance list: every row is saved, or none.

    Errors name the row's participant; the form shows them all at once.
    """
    require(user, "pathways.record_support", (project, provider))
    _partner_of(project, provider, "provider")
    _provides(provider, support_form)
    if not rows:
        raise ValidationError(_("The attendance list is empty."), code="no_rows")
    is_course_form = support_form.unit == SupportForm.Unit.COURSE
    if is_course_form != (course is not None):
        message = (
            _("A course's classes are recorded from the course's page.")
            if is_course_form
            else _("A course's classes are recorded under a course form of support.")
        )
        raise ValidationError({"support_form": ValidationError(message, code="course_form")})
    if course is not None:
        if not course.start_date <= date <= course.end_date:
            message = _("The course runs from %(start)s to %(end)s; its classes too.") % {
                "start": _day(course.start_date),
                "end": _day(course.end_date),
            }
            raise ValidationError({"date": ValidationError(message, code="outside_course")})
        if provider != course.organiser or project != course.project:
            raise ValidationError(
                {"provider": ValidationError(_("A course's classes are given by its organiser."))}
            )
    visible = set(
        Enrolment.objects.for_user(user).filter(project=project).values_list("pk", flat=True)
    )
    with transaction.atomic():
        session = Session(
            project=project,
            support_form=support_form,
            provider=provider,
            date=date,
            hours=hours,
            specialist=specialist,
            place=place,
            is_group=is_group,
            course=course,
            created_by=user,
        )
        save(session, user)
        if course is not None:
            on_course = set(course.participations.values_list("enrolment_id", flat=True))
            outsiders = [
                row.enrolment.participant for row in rows if row.enrolment.pk not in on_course
            ]
            if outsiders:
                names = ", ".join(str(name) for name in outsiders)
                raise ValidationError(
                    _("Not on the course: %(names)s.") % {"names": names}, code="not_on_course"
                )
        errors = []
        for row in rows:
            try:
                _attendance_add(user, session, row, visible)
            except ValidationError as error:
                errors.extend(f"{row.enrolment.participant}: {m}" for m in error.messages)
        if errors:
            raise ValidationError(errors, code="attendance")  # rolls back the whole list
    return session


def _attendance_add(user, session: Session, row: AttendanceRow, visible: set[int]) -> None:
    enrolment = row.enrolment
    if enrolment.pk not in visible:
        raise ValidationError(_("not a participant of this project you may see"), code="scope")
    support_gate(
        enrolment=enrolment,
        support_form=session.support_form,
        provider=session.provider,
        day=session.date,
    )
    hours = (session.hours if row.hours is None else row.hours) if row.present else Decimal("0")
    save(Attendance(session=session, enrolment=enrolment, present=row.present, hours=hours), user)
    if row.present:
        participation.support_received(user=user, enrolment=enrolment, day=session.date)


# Courses -------------------------------------------------------------------------


def course_create(*, user, course: Course) -> Course:
    """A new course on the organiser's quota of course places (the instance carries it)."""
    require(user, "pathways.record_support", (course.project, course.organiser))
    if not SeatQuota.objects.filter(
        project=course.project, organisation=course.organiser, place_kind=course.place_kind
    ).exists():
        raise ValidationError(
            {
                "organiser": ValidationError(
                    _("%(organisation)s has no places of this kind in the project.")
                    % {"organisation": course.organiser.short_name},
                    code="no_quota",
                )
            }
        )
    save(course, user)
    return course


def course_assign(*, user, course: Course, enrolment: Enrolment) -> CourseParticipation:
    """Place a referred participant on a course: one seat of the organiser's quota and
    one place of the course's capacity."""
    require(user, "pathways.record_support", (course.project, course.organiser))
    if enrolment.project_id != course.project_id:
        raise ValidationError(_("The participant belongs to another project."), code="project")
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        participation.support_gate(
            enrolment=enrolment, day=min(course.start_date, timezone.localdate())
        )
        vocational_gate(enrolment=enrolment, organisation=course.organiser)
        if course.participations.filter(enrolment=enrolment).exists():
            raise ValidationError(_("The participant is already on this course."), code="twice")
        if course.participations.count() >= course.capacity:
            raise ValidationError(
                _("The course is full (%(capacity)d places).") % {"capacity": course.capacity},
                code="course_full",
            )
        booking = participation.seat_book(
            user=user,
            enrolment=enrolment,
            organisation=course.organiser,
            place_kind=course.place_kind,
        )
        if booking is None:
            raise ValidationError(
                _("The quota of %(kind)s of %(organisation)s is used up.")
                % {
                    "kind": PlaceKind(course.place_kind).label,
                    "organisation": course.organiser.short_name,
                },
                code="quota_full",
            )
        place = CourseParticipation(course=course, enrolment=enrolment, seat_booking=booking)
        save(place, user)
    return place


def certificate_record(
    *,
    user,
    participation_record: CourseParticipation,
    exam_passed: bool | None,
    certificate_name: str = "",
    certificate_number: str = "",
    certificate_date: datetime.date | None = None,
) -> CourseParticipation:
    course = participation_record.course
    require(user, "pathways.record_support", (course.project, course.organiser))
    if certificate_date and not (course.start_date <= certificate_date <= timezone.localdate()):
        raise ValidationError(
            {
                "certificate_date": ValidationError(
                    _("A certificate is dated between the course start (%(start)s) and today.")
                    % {"start": _day(course.start_date)},
                    code="certificate_date",
                )
            }
        )
    participation_record.exam_passed = exam_passed
    participation_record.certificate_name = certificate_name
    participation_record.certificate_number = certificate_number
    participation_record.certificate_date = certificate_date
    save(participation_record, user)
    return participation_record


# Internships -----------------------------------------------------------------------


def employer_save(*, user, employer: Employer) -> Employer:
    require(user, "pathways.manage_employers")
    save(employer, user)
    return employer


def medical_exam_record(*, user, enrolment: Enrolment, exam: MedicalExam) -> MedicalExam:
    require(user, "pathways.act_vocational", enrolment)
    if exam.examined_on and exam.examined_on > timezone.localdate():
        raise ValidationError({"examined_on": _("The date cannot be in the future.")})
    exam.enrolment = enrolment
    save(exam, user)
    return exam


def internship_assign(*, user, internship: Internship) -> Internship:
    """Place a referred participant at an employer: a valid medical examination first,
    then a seat of the organiser's internship quota."""
    enrolment = internship.enrolment
    require(user, "pathways.record_support", (enrolment.project, internship.organiser))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        participation.support_gate(
            enrolment=enrolment, day=min(internship.start_date, timezone.localdate())
        )
        vocational_gate(enrolment=enrolment, organisation=internship.organiser)
        exam = next(
            (
                e
                for e in enrolment.medical_exams.all()
                if e.covers(internship.start_date, internship.start_date)
            ),
            None,
        )
        if exam is None:
            raise ValidationError(
                _(
                    "No internship may start without a valid medical examination: record an "
                    "examination without contraindications, valid on %(day)s."
                )
                % {"day": _day(internship.start_date)},
                code="no_medical_exam",
            )
        booking = participation.seat_book(
            user=user,
            enrolment=enrolment,
            organisation=internship.organiser,
            place_kind=PlaceKind.INTERNSHIP,
        )
        if booking is None:
            raise ValidationError(
                _("The internship quota of %(organisation)s is used up.")
                % {"organisation": internship.organiser.short_name},
                code="quota_full",
            )
        internship.enrolment = enrolment
        internship.medical_exam = exam
        internship.seat_booking = booking
        save(internship, user)
    return internship


def internship_month_record(
    *,
    user,
    internship: Internship,
    month: datetime.date,
    days_worked: int,
    hours_worked: Decimal,
    excused_days: int = 0,
) -> InternshipMonth:
    """A month of attendance, checked against the internship's dates and hours, and
    its stipend by the project's rule."""
    enrolment = internship.enrolment
    require(user, "pathways.record_support", (enrolment.project, internship.organiser))
    first, last = month_bounds(month)
    start, end = max(first, internship.start_date), min(last, internship.end_date)
    if start > end:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("The internship runs from %(start)s to %(end)s, not in this month.")
                    % {"start": _day(internship.start_date), "end": _day(internship.end_date)},
                    code="outside_internship",
                )
            }
        )
    today = timezone.localdate()
    if start > today:
        raise ValidationError(
            {
                "month": ValidationError(
                    _("This month of the internship has not begun yet."), code="future"
                )
            }
        )
    end = min(end, today)  # the current month counts the days gone by
    available = working_days(start, end)
    if days_worked + excused_days > available:
        raise ValidationError(
            {
                "days_worked": ValidationError(
                    _(
                        "From %(start)s to %(end)s there are %(available)d working days; "
                        "days worked and excused absence add up to more."
                    )
                    % {"start": _day(start), "end": _day(end), "available": available},
                    code="too_many_days",
                )
            }
        )
    possible = internship.hours_per_day * days_worked
    if Decimal(hours_worked) > possible:
        raise ValidationError(
            {
                "hours_worked": ValidationError(
                    _("%(days)d days of %(per_day)s hours give at most %(possible)s hours.")
                    % {
                        "days": days_worked,
                        "per_day": internship.hours_per_day,
                        "possible": possible,
                    },
                    code="too_many_hours",
                )
            }
        )
    project = enrolment.project
    with transaction.atomic():
        participation.support_gate(enrolment=enrolment, day=start)
        record = InternshipMonth(
            internship=internship,
            month=first,
            days_worked=days_worked,
            hours_worked=hours_worked,
            excused_days=excused_days,
            stipend=internship_stipend(
                monthly_amount=project.internship_stipend,
                hours_norm=project.internship_hours_norm,
                hours_worked=Decimal(hours_worked),
                excused_hours=internship.hours_per_day * excused_days,
            ),
            recorded_by=user,
        )
        save(record, user)
        if days_worked:
            participation.support_received(user=user, enrolment=enrolment, day=start)
        if internship.status == Internship.Status.PLANNED:
            internship.status = Internship.Status.RUNNING
            save(internship, user)
    return record


def internship_finish(
    *, user, internship: Internship, status: str, end_date: datetime.date
) -> Internship:
    """Close an internship: completed on its planned end, or interrupted earlier (the
    real end date replaces the planned one). The seat stays taken: it was used."""
    enrolment = internship.enrolment
    require(user, "pathways.record_support", (enrolment.project, internship.organiser))
    if status not in (Internship.Status.COMPLETED, Internship.Status.INTERRUPTED):
        raise ValidationError({"status": _("Choose completed or interrupted.")}, code="status")
    with transaction.atomic():
        internship = Internship.objects.select_for_update().get(pk=internship.pk)
        if internship.status not in (Internship.Status.PLANNED, Internship.Status.RUNNING):
            raise ValidationError(_("This internship is already closed."), code="closed")
        last_month = internship.months.order_by("-month").values_list("month", flat=True).first()
        if status == Internship.Status.COMPLETED and end_date != internship.end_date:
            message = _("A completed internship ends on its planned day, %(day)s.")
            raise ValidationError(
                {
                    "end_date": ValidationError(
                        message % {"day": _day(internship.end_date)}, code="end"
                    )
                }
            )
        earliest = max(internship.start_date, last_month or internship.start_date)
        if not (earliest <= end_date <= internship.end_date) or end_date > timezone.localdate():
            message = _("The end date lies between %(start)s and %(end)s, and not after today.")
            days = {"start": _day(earliest), "end": _day(internship.end_date)}
            raise ValidationError({"end_date": ValidationError(message % days, code="end")})
        internship.status = status
        internship.end_date = end_date
        save(internship, user)
    return internship


# Payments --------------------------------------------------------------------------


def payment_record(*, user, payment: Payment) -> Payment:
    """A payment to or for a participant, against a budget line of the partner that
    pays it: the line says who pays and whether the grant or the own contribution."""
    enrolment = payment.enrolment
    line = payment.budget_line
    payment.paid_by = line.organisation
    payment.funding = line.funding
    require(user, "pathways.record_support", (enrolment.project, payment.paid_by))
    _partner_of(enrolment.project, payment.paid_by, "budget_line")
    if not Enrolment.objects.for_user(user).filter(pk=enrolment.pk).exists():
        raise PermissionDenied(_("Your role does not allow this action."))
    if payment.paid_on and payment.paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date cannot be in the future.")})
    payment.recorded_by = user
    with transaction.atomic():
        # Under the line's lock, as `partners.services.budget_line_save` reads what
        # was paid: a plan cut and a payment never pass each other.
        BudgetLine.objects.select_for_update().get(pk=line.pk)
        save(payment, user)
    return payment


# Catalogue ---------------------------------------------------------------------------


def support_form_save(*, user, support_form: SupportForm) -> SupportForm:
    """Add or change a form of support of the catalogue. A form is retired by
    setting `is_active` to False, never deleted: support recorded under it stays."""
    require(user, "pathways.manage_catalogue")
    save(support_form, user)
    return support_form
