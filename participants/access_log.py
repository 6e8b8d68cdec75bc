"""The access log: who consulted whose personal data, when, from where and why.

One rule, one place: every screen, export, import, document and command that shows
or uses a participant's personal data calls `access_record` (views pass the request,
commands their name). A record names the screen, never what was searched for, and
holds no PESEL and no names: it links to the people. The records are append-only
(`AppendOnly` models, and a trigger on PostgreSQL).

`access_history(participant)` is the list a manager gives a person who asks, under
GDPR art. 15, when and for what their data was consulted.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.http import HttpRequest

from aktywizacja.middleware import client_ip
from partners.models import Project, ProjectRole
from partners.scoping import scope_for

from .models import (
    AccessAction,
    AccessEvent,
    AccessEventParticipant,
    AccessPurpose,
    Enrolment,
    Participant,
)

BATCH = 5000

_PURPOSE_BY_ACTION = {
    AccessAction.EXPORT: AccessPurpose.REPORTING,
    AccessAction.IMPORT: AccessPurpose.RECRUITMENT,
    AccessAction.ANONYMISE: AccessPurpose.RETENTION,
}


def _participant_ids(participants) -> list[int]:
    """Primary keys of people given as a queryset, instances or keys. A sliced queryset
    (a page of a list) is evaluated here, so the page reads its cached rows."""
    if isinstance(participants, models.QuerySet) and not participants.query.is_sliced:
        if participants.model is not Participant:
            raise TypeError(f"access_record takes participants, not {participants.model}")
        return list(participants.order_by().values_list("pk", flat=True).distinct())
    ids = {getattr(p, "pk", p) for p in participants}
    return sorted(i for i in ids if i is not None)


def purpose_for(user, project: Project | None, action: str) -> str:
    """Why the user looks: it follows from the action and from the role the user holds
    (in the project, when it is known)."""
    if action in _PURPOSE_BY_ACTION:
        return _PURPOSE_BY_ACTION[action]
    scope = scope_for(user)
    if project is not None:
        role = scope.project_roles.get(project.pk)
        if role == ProjectRole.Role.AUDITOR:
            return AccessPurpose.AUDIT
        if role == ProjectRole.Role.PROJECT_MANAGER:
            return AccessPurpose.MANAGEMENT
    elif scope.project_roles and not scope.organisation_roles:
        if set(scope.project_roles.values()) == {ProjectRole.Role.AUDITOR}:
            return AccessPurpose.AUDIT
        return AccessPurpose.MANAGEMENT
    if scope.organisation_roles:
        return AccessPurpose.CASEWORK
    if scope.sees_everything:
        return AccessPurpose.ADMINISTRATION
    return AccessPurpose.CASEWORK


def _organisation_id(user, participant_ids: list[int]) -> int | None:
    """The organisation the user acted for: theirs, and among several the one that
    recruited (or had referred to it) the first person concerned."""
    organisation_ids = sorted(scope_for(user).organisation_ids)
    if len(organisation_ids) <= 1:
        return organisation_ids[0] if organisation_ids else None
    enrolment = (
        Enrolment.objects.filter(participant_id__in=participant_ids[:1])
        .filter(
            models.Q(recruiting_organisation_id__in=organisation_ids)
            | models.Q(referrals__to_organisation_id__in=organisation_ids)
        )
        .values_list("recruiting_organisation_id", flat=True)
        .first()
    )
    return enrolment if enrolment in organisation_ids else organisation_ids[0]


def access_record(
    participants: Iterable | models.QuerySet,
    *,
    action: str,
    request: HttpRequest | None = None,
    user=None,
    source: str = "",
    project: Project | None = None,
    purpose: str | None = None,
) -> AccessEvent | None:
    """Record that `participants` (a queryset, instances or primary keys) were shown or
    used. From a view pass `request` (the user, the IP and the screen come from it);
    from a command pass `user` (or None) and `source`, the command's name. Nothing is
    recorded when there is nobody."""
    ids = _participant_ids(participants)
    if not ids:
        return None
    if request is not None:
        user = request.user
        match = getattr(request, "resolver_match", None)
        source = source or (match.view_name if match else request.path[:100])
    if user is not None and not user.is_authenticated:
        user = None
    with transaction.atomic():
        event = AccessEvent.objects.create(
            user=user,
            organisation_id=_organisation_id(user, ids) if user else None,
            project=project,
            action=action,
            purpose=purpose or purpose_for(user, project, action),
            source=source[:100],
            ip=client_ip(request) if request is not None else None,
            participant_count=len(ids),
        )
        AccessEventParticipant.objects.bulk_create(
            (AccessEventParticipant(event=event, participant_id=pk) for pk in ids),
            batch_size=BATCH,
        )
    return event


def access_history(participant: Participant) -> models.QuerySet:
    """Every record of the person's data being consulted, newest first, with who did it
    (GDPR art. 15)."""
    return (
        AccessEvent.objects.filter(
            pk__in=AccessEventParticipant.objects.filter(participant=participant).values("event_id")
        )
        .select_related("user", "organisation", "project")
        .order_by("-at", "-pk")
    )


def may_see_access_history(user, participant: Participant) -> bool:
    """The list is given by the controller: a manager of a project the person is
    enrolled in, or a superuser. Social workers answer the person through them."""
    scope = scope_for(user)
    if scope.sees_everything:
        return True
    return participant.enrolments.filter(project_id__in=scope.managed_project_ids).exists()


def access_shown(
    request: HttpRequest, participants, *, project: Project | None = None, listing: bool = False
) -> AccessEvent | None:
    """What a screen records: the people it shows (`listing`: as rows of a list or the
    choices of a form) or the one whose record it opens — viewed on GET, worked on when
    a form is sent."""
    if listing:
        action = AccessAction.LIST
    elif request.method in ("GET", "HEAD"):
        action = AccessAction.VIEW
    else:
        action = AccessAction.EDIT
    return access_record(participants, action=action, request=request, project=project)
