"""Reads of participants that more than one caller needs."""

from django.utils.translation import gettext as _

from partners.models import Project

from .models import Enrolment, Participant


def pesel_conflict_message(*, pesel: str, project: Project) -> str | None:
    """Why this PESEL cannot be registered again, or None if it is new.

    Names at most the partner that enrolled the person in this project, never any
    of their data: enough to stop one person being counted twice.
    """
    participant = Participant.objects.filter(pesel=pesel).only("pk").first()
    if participant is None:
        return None
    enrolment = (
        Enrolment.objects.filter(participant=participant, project=project)
        .select_related("recruiting_organisation")
        .first()
    )
    if enrolment is not None:
        return _(
            "This person is already registered and enrolled in this project by %(organisation)s."
        ) % {"organisation": enrolment.recruiting_organisation.short_name}
    return _(
        "This person is already registered in the system. Enrol them with “Enrol a registered "
        "person”, giving their PESEL and surname."
    )
