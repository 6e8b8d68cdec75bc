"""In-scope objects of the Lębork demo (`demo` fixture) for the walks over every page
and every form (tests/test_escaping.py, tests/test_fuzzing.py): one object of every
model a URL parameter names, as rich as the demo has them."""

from django.contrib.auth import get_user_model

from participants.models import EligibilityCheck, Enrolment, Participant, ParticipantImport
from partners.models import BudgetLine, Organisation, Project
from pathways.models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    PathwayGoal,
    Session,
    SupportForm,
)

from .samples import in_scope_sample
from .urlwalk import PARAMETERS


def import_record(demo) -> ParticipantImport:
    """The demo has no import record: one failed import, so that its pages exist too."""
    manager = get_user_model().objects.get(username="kierownik")
    return ParticipantImport.objects.create(
        project=demo,
        organisation=demo.partnerships.order_by("pk").first().organisation,
        created_by=manager,
        file_name="import.csv",
        file_size=10,
        status=ParticipantImport.Status.FAILED,
        refused="refused",
        errors=[{"row": 2, "column": "PESEL", "message": "Błędny PESEL"}],
    )


def demo_samples(demo) -> dict[type, list]:
    """Model → in-scope objects of the demo; the first is the richest. The first
    enrolment has an internship (its pages show the most); one enrolment of every
    other status follows, and one with an overridden eligibility check."""
    internship = (
        Internship.objects.filter(enrolment__project=demo)
        .select_related("enrolment", "employer")
        .order_by("pk")
        .first()
    )
    rich = internship.enrolment
    enrolments = [rich] + [
        Enrolment.objects.filter(project=demo, status=status).order_by("pk").first()
        for status in Enrolment.Status.values
        if status != rich.status
    ]
    enrolments = [e for e in enrolments if e is not None]
    overridden = EligibilityCheck.objects.filter(
        enrolment__project=demo, overridden_by__isnull=False
    ).first()
    if overridden is not None:
        enrolments.append(overridden.enrolment)
    participation = CourseParticipation.objects.filter(enrolment=rich).first() or (
        CourseParticipation.objects.filter(course__project=demo).order_by("pk").first()
    )
    reserve = Enrolment.objects.filter(project=demo, status=Enrolment.Status.RESERVE).first()
    record = ParticipantImport.objects.filter(project=demo).first() or import_record(demo)
    samples = {
        Project: [demo],
        BudgetLine: [demo.budget_lines.order_by("pk").first()],
        Organisation: [(reserve or rich).recruiting_organisation],
        Participant: [e.participant for e in enrolments],
        Enrolment: enrolments,
        ParticipantImport: [record],
        PathwayGoal: [PathwayGoal.objects.filter(pathway__enrolment=rich).order_by("pk").first()],
        Session: [
            Session.objects.filter(project=demo, attendances__enrolment=rich).order_by("pk").first()
            or Session.objects.filter(project=demo).order_by("pk").first()
        ],
        Course: [participation.course],
        CourseParticipation: [participation],
        Employer: [internship.employer],
        SupportForm: [SupportForm.objects.order_by("pk").first()],
        Internship: [internship],
    }
    # A model a URL parameter names that is not above: the scope walk's sample of it.
    manager = get_user_model().objects.get(username="kierownik")
    for model in {m for parameters in PARAMETERS.values() for m in parameters.values()}:
        if model not in samples:
            sample = in_scope_sample(model, manager, demo)
            if sample is not None:
                samples[model] = [sample]
    return samples
