"""Reads of pathways that the screens need: who may record where, the attendance grid,
and everything the pathway page shows, in a number of queries that does not grow
with the support received."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from participants.models import Enrolment
from partners.models import Organisation, Partnership, Project
from partners.scoping import scope_for

from .models import (
    Attendance,
    Course,
    CourseParticipation,
    Internship,
    Pathway,
    PathwayGoal,
    Payment,
    PlannedSupport,
    Referral,
    Stage,
    SupportForm,
)

RECORD = "pathways.record_support"
ZERO = Decimal("0")


# Who records support where --------------------------------------------------------


def recording_pairs(user, project: Project | None = None) -> list[tuple[Project, Organisation]]:
    """The (project, provider) pairs of visible projects the user may record support
    for (`pathways.record_support`): their own organisations, or any partner of a
    project they manage."""
    if scope_for(user).is_empty:
        return []
    partnerships = Partnership.objects.select_related("organisation").order_by(
        "organisation__short_name"
    )
    projects = Project.objects.for_user(user).order_by("short_name")
    if project is not None:
        projects = projects.filter(pk=project.pk)
    projects = projects.prefetch_related(Prefetch("partnerships", queryset=partnerships))
    # The rule reads the prefetched partnerships: two queries, however many partners.
    return [
        (visible, p.organisation)
        for visible in projects
        for p in visible.partnerships.all()
        if user.has_perm(RECORD, (visible, p.organisation))
    ]


def recording_providers(user, project: Project) -> list[Organisation]:
    """The partners of `project` the user may record support (and payments) for."""
    return [organisation for _project, organisation in recording_pairs(user, project)]


def may_record_support(user) -> bool:
    """Whether the user records support anywhere (the navbar's link)."""
    scope = scope_for(user)
    if scope.sees_everything or scope.managed_project_ids:
        return True
    return bool(recording_pairs(user))


def session_candidates(
    user,
    *,
    project: Project,
    provider: Organisation,
    support_form: SupportForm,
    day: datetime.date,
    course: Course | None = None,
) -> QuerySet[Enrolment]:
    """The rows of an attendance grid: people in support of the project (since `day`
    at the latest) whom the user sees. A course's class lists its participants;
    vocational support goes to those referred to the provider; a centre's own social
    support to the people it recruited."""
    enrolments = Enrolment.objects.for_user(user).filter(
        project=project, status=Enrolment.Status.IN_SUPPORT, support_start__lte=day
    )
    if course is not None:
        enrolments = enrolments.filter(course_participations__course=course)
    elif support_form.stage == Stage.VOCATIONAL:
        enrolments = enrolments.filter(referrals__to_organisation=provider)
    elif provider.pk in scope_for(user).organisation_ids:
        enrolments = enrolments.filter(recruiting_organisation=provider)
    return (
        enrolments.select_related("participant")
        .distinct()
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


# The pathway page ----------------------------------------------------------------


@dataclass(frozen=True)
class LastChange:
    at: datetime.datetime
    user: object


@dataclass(frozen=True)
class Progress:
    """Hours attended of one form of support against the hours planned."""

    support_form: SupportForm
    planned: Decimal | None
    attended: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.planned:
            return None
        return (self.attended * 100 / self.planned).quantize(Decimal("1"))


@dataclass(frozen=True)
class TimelineEntry:
    """One support received: `kind` is session, course, internship or payment."""

    day: datetime.date
    kind: str
    item: object


@dataclass(frozen=True)
class PaymentTotals:
    total: Decimal = ZERO
    grant: Decimal = ZERO
    own_contribution: Decimal = ZERO


@dataclass
class PathwayPage:
    enrolment: Enrolment
    pathway: Pathway | None
    last_change: LastChange | None = None
    goals: list[PathwayGoal] = field(default_factory=list)
    items: list[PlannedSupport] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    totals: PaymentTotals = field(default_factory=PaymentTotals)


def last_change(pathway: Pathway | None) -> LastChange | None:
    """Who wrote the latest revision of the diagnosis, and when."""
    if pathway is None:
        return None
    record = pathway.history.select_related("history_user").first()  # newest first
    return LastChange(record.history_date, record.history_user) if record else None


def plan_progress(items: list[PlannedSupport], attended: list[Attendance]) -> list[Progress]:
    """Per form of support, in the plan's order (then forms received but not planned)."""
    planned: dict[int, Decimal | None] = {}
    forms: dict[int, SupportForm] = {}
    for item in items:
        forms[item.support_form_id] = item.support_form
        if item.planned_hours is not None:
            planned[item.support_form_id] = planned.get(item.support_form_id) or ZERO
            planned[item.support_form_id] += item.planned_hours
    hours: dict[int, Decimal] = {}
    for attendance in attended:
        form_id = attendance.session.support_form_id
        forms.setdefault(form_id, attendance.session.support_form)
        hours[form_id] = hours.get(form_id, ZERO) + attendance.hours
    return [
        Progress(support_form, planned.get(pk), hours.get(pk, ZERO))
        for pk, support_form in forms.items()
    ]


def _payment_totals(payments: list[Payment]) -> PaymentTotals:
    own = sum((p.amount for p in payments if p.funding == Payment.Funding.OWN_CONTRIBUTION), ZERO)
    total = sum((p.amount for p in payments), ZERO)
    return PaymentTotals(total=total, grant=total - own, own_contribution=own)


def pathway_page(enrolment: Enrolment) -> PathwayPage:
    """Everything the pathway page shows; the enrolment comes with its `pathway`
    (select_related). About ten queries, however much support was received."""
    pathway = getattr(enrolment, "pathway", None)
    page = PathwayPage(enrolment=enrolment, pathway=pathway, last_change=last_change(pathway))
    if pathway is not None:
        page.goals = list(pathway.goals.all())
        page.items = list(pathway.items.select_related("support_form", "provider"))
    page.referrals = list(enrolment.referrals.select_related("to_organisation", "referred_by"))
    attended = list(
        Attendance.objects.filter(enrolment=enrolment, present=True)
        .select_related("session__support_form", "session__provider")
        .order_by("session__date", "session__pk")
    )
    courses = list(
        CourseParticipation.objects.filter(enrolment=enrolment).select_related(
            "course", "course__organiser"
        )
    )
    internships = list(
        Internship.objects.filter(enrolment=enrolment)
        .select_related("employer", "organiser")
        .prefetch_related("months")
    )
    page.payments = list(
        Payment.objects.filter(enrolment=enrolment)
        .select_related("paid_by", "budget_line")
        .order_by("paid_on", "pk")
    )
    page.progress = plan_progress(page.items, attended)
    page.totals = _payment_totals(page.payments)
    page.timeline = sorted(
        [TimelineEntry(a.session.date, "session", a) for a in attended]
        + [TimelineEntry(c.course.start_date, "course", c) for c in courses]
        + [TimelineEntry(i.start_date, "internship", i) for i in internships]
        + [TimelineEntry(p.paid_on, "payment", p) for p in page.payments],
        key=lambda entry: entry.day,
    )
    return page
