"""Reads for the coordinators' screens: courses, internships and the people referred.

A course or an internship is seen by whoever sees its project whole (its manager,
its auditor) and by the staff of its organiser; never by other partners. People come
only through `Enrolment.objects.for_user`, which already includes those referred to
the user's organisations.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from participants.models import Enrolment
from partners.models import Organisation, PlaceKind, Project, SeatQuota
from partners.scoping import scope_for

from .models import Attendance, Course, CourseParticipation, Internship, Payment, Referral
from .stipends import training_stipend

COURSE_PLACES = (PlaceKind.SPECIALIST_COURSE, PlaceKind.SCHOOL_COURSE)
RECORD = "pathways.record_support"
ENDING_SOON_DAYS = 14


def _organised_for_user(queryset: QuerySet, user, project_field: str) -> QuerySet:
    scope = scope_for(user)
    if scope.sees_everything:
        return queryset
    visible = Project.objects.for_user(user).values("pk")
    return queryset.filter(**{f"{project_field}__in": visible}).filter(
        Q(**{f"{project_field}__in": scope.full_project_ids})
        | Q(organiser_id__in=scope.organisation_ids)
    )


def courses_for_user(user) -> QuerySet[Course]:
    return _organised_for_user(Course.objects.all(), user, "project")


def internships_for_user(user) -> QuerySet[Internship]:
    return _organised_for_user(Internship.objects.all(), user, "enrolment__project")


# Seats -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seats:
    seats: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.seats - self.taken, 0)


def seats_by_quota(projects, place_kinds) -> dict[tuple[int, int, str], Seats]:
    """(project, organisation, kind of place) → seats and active bookings, in one query."""
    quotas = SeatQuota.objects.filter(project__in=projects, place_kind__in=place_kinds).annotate(
        taken=Count("bookings", filter=Q(bookings__released_at__isnull=True))
    )
    return {
        (q.project_id, q.organisation_id, q.place_kind): Seats(q.seats, q.taken) for q in quotas
    }


def quota_seats(project: Project, organisation: Organisation, place_kind: str) -> Seats | None:
    return seats_by_quota([project.pk], [place_kind]).get((project.pk, organisation.pk, place_kind))


def quotas_to_act_on(user, place_kinds, project: Project | None = None) -> list[SeatQuota]:
    """The quotas of these kinds whose organiser the user may record support for:
    what a new course or internship may be organised on."""
    projects = Project.objects.for_user(user)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    quotas = SeatQuota.objects.filter(
        project__in=projects, place_kind__in=place_kinds
    ).select_related("project", "organisation")
    return [q for q in quotas if user.has_perm(RECORD, (q.project, q.organisation))]


# People referred ------------------------------------------------------------------------


def _placed(enrolment_ref: str) -> tuple[Exists, Exists]:
    return (
        Exists(CourseParticipation.objects.filter(enrolment=OuterRef(enrolment_ref))),
        Exists(Internship.objects.filter(enrolment=OuterRef(enrolment_ref))),
    )


def referrals_waiting(user) -> QuerySet[Referral]:
    """Referrals to the user's organisations (to any partner, in the projects they
    manage or audit) of people in support who are on no course and in no internship
    yet; the longest waiting first."""
    scope = scope_for(user)
    on_course, in_internship = _placed("enrolment")
    referrals = Referral.objects.filter(
        enrolment__in=Enrolment.objects.for_user(user).values("pk"),
        enrolment__status=Enrolment.Status.IN_SUPPORT,
    ).filter(~on_course, ~in_internship)
    if not scope.sees_everything:
        referrals = referrals.filter(
            Q(to_organisation_id__in=scope.organisation_ids)
            | Q(enrolment__project_id__in=scope.full_project_ids)
        )
    return referrals.select_related(
        "enrolment__participant",
        "enrolment__project",
        "enrolment__recruiting_organisation",
        "to_organisation",
    ).order_by("referred_on", "pk")


def course_candidates(user, course: Course) -> QuerySet[Enrolment]:
    """Who may be placed on the course: people in support referred to its organiser,
    in its project, not on it yet."""
    return (
        Enrolment.objects.for_user(user)
        .filter(
            project_id=course.project_id,
            status=Enrolment.Status.IN_SUPPORT,
            pk__in=Referral.objects.filter(to_organisation_id=course.organiser_id).values(
                "enrolment_id"
            ),
        )
        .exclude(pk__in=course.participations.values("enrolment_id"))
        .select_related("participant", "recruiting_organisation", "project")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def course_hours_attended(course: Course) -> dict[int, object]:
    """Enrolment id → hours attended at the course's classes."""
    rows = (
        Attendance.objects.filter(session__course=course)
        .values("enrolment_id")
        .annotate(total=Sum("hours"))
    )
    return {row["enrolment_id"]: row["total"] for row in rows}


@dataclass(frozen=True)
class TrainingStipendMonth:
    """A course participant's training stipend for a month, from the classes attended."""

    participant: str
    month: datetime.date
    hours: Decimal
    amount: Decimal
    paid: Decimal


def training_stipends(course: Course) -> list[TrainingStipendMonth]:
    """Per participant and month: hours present at the course's classes, the stipend
    they give by the project's rule (`stipends.training_stipend`) and what was paid
    as training stipend for that month. Three queries whatever the course's size."""
    project = course.project
    hours = (
        Attendance.objects.filter(session__course=course, present=True)
        .annotate(month=TruncMonth("session__date"))
        .values("enrolment_id", "month")
        .annotate(total=Sum("hours"))
        .order_by("enrolment_id", "month")
    )
    paid = {
        (row["enrolment_id"], row["month"]): row["total"]
        for row in Payment.objects.filter(
            enrolment__course_participations__course=course, kind=Payment.Kind.TRAINING_STIPEND
        )
        .annotate(month=TruncMonth("period_start"))
        .values("enrolment_id", "month")
        .annotate(total=Sum("amount"))
    }
    names = {
        place.enrolment_id: str(place.enrolment.participant)
        for place in course.participations.select_related("enrolment__participant")
    }
    return [
        TrainingStipendMonth(
            participant=names.get(row["enrolment_id"], ""),
            month=row["month"],
            hours=row["total"],
            amount=training_stipend(
                monthly_amount=project.training_stipend,
                hours_norm=project.training_hours_norm,
                hours=row["total"],
                floor_percent=project.training_stipend_floor,
            ),
            paid=paid.get((row["enrolment_id"], row["month"]), Decimal("0")),
        )
        for row in hours
    ]


# The internships board ------------------------------------------------------------------


def _tabs(today: datetime.date) -> dict[str, Q]:
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    finished = Q(status__in=[Internship.Status.COMPLETED, Internship.Status.INTERRUPTED])
    return {
        "upcoming": Q(start_date__gt=today) & ~finished,
        "running": Q(start_date__lte=today, end_date__gt=soon) & ~finished,
        "ending": Q(start_date__lte=today, end_date__gte=today, end_date__lte=soon) & ~finished,
        "completed": Q(end_date__lt=today) | finished,
    }


TABS = ("upcoming", "running", "ending", "completed")


def internship_board(user, tab: str, today: datetime.date) -> tuple[QuerySet, dict[str, int]]:
    """The internships of one tab of the board, and how many each tab holds."""
    tabs = _tabs(today)
    internships = internships_for_user(user)
    counts = internships.aggregate(**{name: Count("pk", filter=q) for name, q in tabs.items()})
    ordering = (
        "-end_date" if tab == "completed" else "start_date" if tab == "upcoming" else "end_date"
    )
    chosen = (
        internships.filter(tabs[tab])
        .select_related("enrolment__participant", "enrolment__project", "employer", "organiser")
        .order_by(ordering, "pk")
    )
    return chosen, counts
