"""Reads of participants that more than one caller needs, and what the screens show."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Organisation, PlaceKind, Project, SeatQuota
from partners.scoping import scope_for
from partners.selectors import QuotaRow, quota_table

from .models import EligibilityCheck, Enrolment, EnrolmentExit, FollowUp, Participant

Status = Enrolment.Status


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


# Screens ---------------------------------------------------------------------


def registration_pairs(user) -> list[tuple[Project, Organisation]]:
    """The (project, organisation) pairs the user may register a person in: recruiting
    partners (with social-activation places) of visible projects, as the rules allow."""
    if scope_for(user).is_empty:
        return []
    quotas = SeatQuota.objects.select_related("organisation").order_by("organisation__short_name")
    projects = (
        Project.objects.for_user(user)
        .prefetch_related(Prefetch("quotas", queryset=quotas))
        .order_by("short_name")
    )
    # The rule reads the prefetched quotas: two queries, however many partners.
    return [
        (project, quota.organisation)
        for project in projects
        for quota in project.quotas.all()
        if quota.place_kind == PlaceKind.SOCIAL_ACTIVATION
        and user.has_perm("participants.register", (project, quota.organisation))
    ]


def participants_for_list(user) -> QuerySet[Participant]:
    """The people the user may see, each with only the enrolments the user may see
    (`visible_enrolments`): three queries per page whatever the number of people."""
    visible = (
        Enrolment.objects.for_user(user)
        .select_related("project")
        .order_by("project__short_name", "pk")
    )
    return (
        Participant.objects.for_user(user)
        .select_related("commune")
        .prefetch_related(Prefetch("enrolments", queryset=visible, to_attr="visible_enrolments"))
    )


def social_quota_row(project: Project, organisation: Organisation) -> QuotaRow | None:
    """The partner's social-activation seats, taken and free, and its reserve list's
    length: the project page's row (`partners.selectors.quota_table`)."""
    for group in quota_table(project):
        if group.place_kind == PlaceKind.SOCIAL_ACTIVATION:
            return next((r for r in group.rows if r.organisation_id == organisation.pk), None)
    return None


#: What each status permits, as the services check it (`_require_status`): the
#: buttons a card offers to those whose role allows editing the enrolment.
ACTIONS_BY_STATUS = {
    Status.CANDIDATE: {"qualify", "consent", "reject", "resign"},
    Status.QUALIFIED: {"consent", "start_support", "reject", "resign"},
    Status.RESERVE: {"consent", "start_support", "resign"},
    Status.IN_SUPPORT: {"consent", "exit", "resign"},
    Status.REJECTED: set(),
    Status.COMPLETED: {"follow_up"},
    Status.DROPPED_OUT: {"follow_up"},
}


@dataclass(frozen=True)
class StatusChange:
    at: datetime.datetime
    user: object
    old: str | None
    new: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    user: object
    created: bool
    changes: list[FieldChange]


@dataclass
class EnrolmentCard:
    enrolment: Enrolment
    latest_check: EligibilityCheck | None
    exit: EnrolmentExit | None
    follow_up: FollowUp | None
    reserve_position: int | None
    timeline: list[StatusChange]
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def actions(self) -> set[str]:
        actions = ACTIONS_BY_STATUS.get(self.enrolment.status, set())
        if self.enrolment.participation_start is not None:
            # support received: leaving is an exit, no longer a resignation
            actions = actions - {"resign"}
        return actions

    @property
    def can_be_overridden(self) -> bool:
        """A refusal of the eligibility check a manager may still override."""
        return (
            self.enrolment.status in (Status.CANDIDATE, Status.REJECTED)
            and self.latest_check is not None
            and not self.latest_check.eligible
        )


def _records(history):
    return list(history.select_related("history_user").order_by("history_date", "history_id"))


def status_timeline(enrolment: Enrolment) -> list[StatusChange]:
    """Every change of status, oldest first, from the enrolment's history."""
    changes, previous = [], None
    for record in _records(enrolment.history):
        if record.status != previous:
            old = Status(previous).label if previous else None
            changes.append(
                StatusChange(
                    record.history_date, record.history_user, old, Status(record.status).label
                )
            )
            previous = record.status
    return changes


def _shown(model, name: str, value) -> str:
    """A value of a history record as a person reads it."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def change_history(instance) -> list[HistoryEntry]:
    """Who changed which field when, newest first (for those with `view_history`)."""
    model = type(instance)
    records = _records(instance.history)
    entries = []
    for old, new in zip([None, *records], records, strict=False):
        changes = []
        if old is not None:
            delta = new.diff_against(old, foreign_keys_are_objs=True)
            changes = [
                FieldChange(
                    str(model._meta.get_field(change.field).verbose_name),
                    _shown(model, change.field, change.old),
                    _shown(model, change.field, change.new),
                )
                for change in delta.changes
            ]
            if not changes:
                continue
        entries.append(HistoryEntry(new.history_date, new.history_user, old is None, changes))
    return entries[::-1]


def enrolment_cards(user, participant: Participant) -> list[EnrolmentCard]:
    """The participant's enrolments the user may see, with what their cards show."""
    from .services import reserve_position  # services import this module

    checks = EligibilityCheck.objects.select_related("overridden_by").order_by("-checked_at", "-pk")
    enrolments = (
        Enrolment.objects.for_user(user)
        .filter(participant=participant)
        .select_related("project", "recruiting_organisation", "exit", "follow_up")
        .prefetch_related(Prefetch("eligibility_checks", queryset=checks, to_attr="checks"))
        .order_by("-registered_on", "-pk")
    )
    cards = []
    for enrolment in enrolments:
        card = EnrolmentCard(
            enrolment=enrolment,
            latest_check=enrolment.checks[0] if enrolment.checks else None,
            exit=getattr(enrolment, "exit", None),
            follow_up=getattr(enrolment, "follow_up", None),
            reserve_position=(
                reserve_position(enrolment) if enrolment.status == Status.RESERVE else None
            ),
            timeline=status_timeline(enrolment),
        )
        if user.has_perm("participants.view_history", enrolment):
            card.history = change_history(enrolment)
        cards.append(card)
    return cards
