"""An object of each kind that a user sees in a project: the values with which the
walks over every page open each page with a path parameter (see `tests/urlwalk.py`)."""

from django.db.models import Count

from participants.models import Enrolment, Participant, ParticipantImport
from partners.models import BudgetLine, Organisation, PlaceKind, Project
from partners.scoping import scope_for
from pathways import selectors_coordination
from pathways.models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    PathwayGoal,
    Session,
    SupportForm,
)

from .urlwalk import OWN_PATTERNS, PARAMETERS, parameter_names, path_for


def _richest_enrolments(user, project: Project):
    """Visible enrolments of the project, those with most to show first: in support,
    with a pathway and its goals."""
    return (
        Enrolment.objects.for_user(user)
        .filter(project=project)
        .annotate(goals=Count("pathway__goals"))
        .order_by("-goals", "status", "pk")
    )


def in_scope_sample(model: type, user, project: Project):
    """An object of `model` in `project` that `user` may see, or None."""
    enrolments = _richest_enrolments(user, project)
    if model is Project:
        return Project.objects.for_user(user).filter(pk=project.pk).first()
    if model is Enrolment:
        return enrolments.filter(status=Enrolment.Status.IN_SUPPORT).first() or enrolments.first()
    if model is Participant:
        enrolment = in_scope_sample(Enrolment, user, project)
        return enrolment.participant if enrolment else None
    if model is Organisation:
        scope = scope_for(user)
        partners = Organisation.objects.filter(
            partnerships__project=project,
            quotas__project=project,
            quotas__place_kind=PlaceKind.SOCIAL_ACTIVATION,
        ).order_by("pk")
        own = partners.filter(pk__in=scope.organisation_ids).first()
        return own or (partners.first() if scope.sees_recruits_of(project.pk, 0) else None)
    if model is BudgetLine:
        return BudgetLine.objects.filter(project=project).order_by("pk").first()
    if model is ParticipantImport:
        return ParticipantImport.objects.for_user(user).filter(project=project).first()
    if model is PathwayGoal:
        return PathwayGoal.objects.filter(pathway__enrolment__in=enrolments).first()
    if model is Session:
        scope = scope_for(user)
        sessions = Session.objects.filter(project=project).order_by("pk")
        if scope.sees_everything or project.pk in scope.full_project_ids:
            return sessions.first()
        return sessions.filter(provider_id__in=scope.organisation_ids).first()
    if model is Course:
        return selectors_coordination.courses_for_user(user).filter(project=project).first()
    if model is CourseParticipation:
        courses = selectors_coordination.courses_for_user(user).filter(project=project)
        return CourseParticipation.objects.filter(course__in=courses).first()
    if model is Internship:
        internships = selectors_coordination.internships_for_user(user)
        return internships.filter(enrolment__project=project).first()
    if model is Employer:
        return Employer.objects.order_by("pk").first()
    if model is SupportForm:
        return SupportForm.objects.order_by("pk").first()
    raise LookupError(f"no sample for {model.__name__}: add one to tests/samples.py")


def own_paths(user, project: Project, *, skip: frozenset[str] | set[str] = frozenset()):
    """(URL name, path) of every page of our own, its path parameters filled with the
    objects of `project` that `user` may see (`in_scope_sample`); a pattern with a
    parameter that has no such object is left out, and so are the names in `skip`.
    The walks of the demo (access log, breadcrumbs, wording, layout) start here."""
    for route, name in OWN_PATTERNS:
        if name in skip:
            continue
        values = {}
        for parameter in parameter_names(route):
            obj = in_scope_sample(PARAMETERS[name][parameter], user, project)
            if obj is None:
                break
            values[parameter] = obj
        else:
            yield name, path_for(route, values)
