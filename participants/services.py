"""Workflows of participation: register, check eligibility, book a seat, leave.

Every caller — views, the admin, imports, management commands, the demo — goes
through these functions, so each rule lives here once. Each takes the acting
user, checks the user's right to act (PermissionDenied), validates (ValidationError
with messages in Polish, keyed by field where there is one) and writes all or
nothing.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aktywizacja.services import require, save
from partners.models import Organisation, PlaceKind, Project, SeatQuota

from .models import (
    EligibilityCheck,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    LabourMarketStatus,
    Participant,
    SeatBooking,
)
from .selectors import pesel_conflict_message

Status = Enrolment.Status


def _locked(enrolment: Enrolment) -> Enrolment:
    """The enrolment re-read under a row lock: a second request waits for the first,
    then sees its result (a double-clicked button books one seat).

    Only the enrolment row is locked (`of=("self",)`): a plain FOR UPDATE over the
    joined rows would also lock the project, queueing every partner's work behind
    one another. Seats are guarded by the quota row lock in `seat_book`.
    """
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("project", "participant")
        .get(pk=enrolment.pk)
    )


def _require_status(enrolment: Enrolment, *allowed: str) -> None:
    if enrolment.status not in allowed:
        raise ValidationError(
            _("This cannot be done for an enrolment with the status “%(status)s”.")
            % {"status": enrolment.get_status_display()},
            code="wrong_status",
        )


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {field: ValidationError(_("The date cannot be in the future."), code="future")}
        )


# Registration ---------------------------------------------------------------


def participant_register(
    *,
    user,
    project: Project,
    organisation: Organisation,
    participant: Participant,
    registered_on: datetime.date | None = None,
) -> Enrolment:
    """Register a new person as a candidate of `project`, recruited by `organisation`.

    `participant` is an unsaved instance holding the form's (or the import's) data.
    """
    require(user, "participants.register", (project, organisation))
    registered_on = registered_on or timezone.localdate()
    if participant.pesel:
        conflict = pesel_conflict_message(pesel=participant.pesel, project=project)
        if conflict:
            raise ValidationError({"pesel": ValidationError(conflict, code="pesel_registered")})
    if participant.commune_id and not project.communes.filter(pk=participant.commune_id).exists():
        raise ValidationError(
            {
                "commune": ValidationError(
                    _("This commune lies outside the project's area."), code="outside_area"
                )
            }
        )
    with transaction.atomic():
        save(participant, user)
        enrolment = Enrolment(
            participant=participant,
            project=project,
            recruiting_organisation=organisation,
            registered_on=registered_on,
        )
        save(enrolment, user)
    return enrolment


def participant_update(*, user, participant: Participant) -> Participant:
    """Save changes to a person's data (the instance carries them). Once anonymised,
    nobody edits them, a superuser neither: the retention period is over."""
    require(user, "participants.edit_participant", participant)
    if Participant.objects.filter(pk=participant.pk, anonymised_at__isnull=False).exists():
        raise ValidationError(
            _("This person's data were anonymised when the retention period ended."),
            code="anonymised",
        )
    with transaction.atomic():
        save(participant, user)
    return participant


def consent_record(
    *,
    user,
    enrolment: Enrolment,
    declaration_signed_on: datetime.date | None,
    data_protection_signed_on: datetime.date | None,
) -> Enrolment:
    require(user, "participants.edit_enrolment", enrolment)
    for field, day in (
        ("declaration_signed_on", declaration_signed_on),
        ("data_protection_signed_on", data_protection_signed_on),
    ):
        if day:
            _not_in_future(day, field)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        enrolment.declaration_signed_on = declaration_signed_on
        enrolment.data_protection_signed_on = data_protection_signed_on
        save(enrolment, user)
    return enrolment


def consent_require(enrolment: Enrolment) -> None:
    """The gate before any support: both documents signed."""
    if not enrolment.has_consent:
        raise ValidationError(
            _(
                "Support cannot be recorded before the participation declaration and the "
                "data-protection statement are signed; enter their dates first."
            ),
            code="no_consent",
        )


def support_gate(*, enrolment: Enrolment, day: datetime.date) -> None:
    """May support be recorded for this enrolment on this day? Raises ValidationError.

    The rules every kind of support shares (pathways adds those of its stages):
    the person is in support, has signed both documents, and the day lies within the
    project's period, after entering support and not after today.
    """
    if enrolment.status != Status.IN_SUPPORT:
        raise ValidationError(
            _("%(name)s is not in support (status: %(status)s); no support can be recorded.")
            % {"name": enrolment.participant, "status": enrolment.get_status_display()},
            code="not_in_support",
        )
    consent_require(enrolment)
    project = enrolment.project
    if not project.start_date <= day <= project.end_date:
        raise ValidationError(
            _("Support is recorded within the project's period, %(start)s – %(end)s.")
            % {
                "start": project.start_date.strftime("%d.%m.%Y"),
                "end": project.end_date.strftime("%d.%m.%Y"),
            },
            code="outside_project",
        )
    if day < enrolment.support_start:
        raise ValidationError(
            _("%(name)s was taken into support on %(day)s; support cannot come before.")
            % {"name": enrolment.participant, "day": enrolment.support_start.strftime("%d.%m.%Y")},
            code="before_support",
        )
    _not_in_future(day, "date")


def support_received(*, user, enrolment: Enrolment, day: datetime.date) -> Enrolment:
    """Note that the person received support on `day`: the first support received sets
    the start of participation (the funder's start date). Call after `support_gate`,
    in the same transaction as the record of the support."""
    enrolment = _locked(enrolment)
    if enrolment.participation_start is None or day < enrolment.participation_start:
        enrolment.participation_start = day
        save(enrolment, user)
    return enrolment


# Eligibility ----------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    passed: bool
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "message": self.message}


def eligibility_evaluate(
    *, participant: Participant, project: Project, on_date: datetime.date
) -> list[Reason]:
    """Every eligibility rule with its verdict, in a fixed order. Reads only."""
    reasons = []

    in_area = project.communes.filter(pk=participant.commune_id).exists()
    area_message = (
        _("Lives in %(commune)s, within the project's area.")
        if in_area
        else _("Lives in %(commune)s, outside the project's area.")
    )
    reasons.append(Reason("area", in_area, area_message % {"commune": participant.commune.name}))

    age = participant.age_on(on_date)
    old_enough = age >= project.min_age
    reasons.append(
        Reason(
            "age",
            old_enough,
            (
                _("Is %(age)d years old on %(day)s (at least %(min)d required).")
                if old_enough
                else _("Is %(age)d years old on %(day)s, under the required %(min)d.")
            )
            % {"age": age, "day": on_date.strftime("%d.%m.%Y"), "min": project.min_age},
        )
    )

    admitted = {
        LabourMarketStatus.INACTIVE: project.admits_inactive,
        LabourMarketStatus.UNEMPLOYED_UNREGISTERED: project.admits_unemployed_unregistered,
        LabourMarketStatus.UNEMPLOYED_REGISTERED: project.admits_unemployed_registered,
        LabourMarketStatus.EMPLOYED: project.admits_employed,
    }.get(participant.labour_market_status, False)
    status = LabourMarketStatus(participant.labour_market_status).label
    reasons.append(
        Reason(
            "labour_market",
            admitted,
            (
                _("Labour-market status “%(status)s” is admitted by the project.")
                if admitted
                else _("Labour-market status “%(status)s” is not admitted by the project.")
            )
            % {"status": status},
        )
    )

    at_risk = participant.at_risk_of_exclusion
    reasons.append(
        Reason(
            "at_risk",
            at_risk,
            _("Is at risk of poverty or social exclusion.")
            if at_risk
            else _(
                "Is not at risk of poverty or social exclusion: not a social assistance "
                "client, no disability and no risk factor recorded."
            ),
        )
    )

    elsewhere = (
        Enrolment.objects.filter(participant_id=participant.pk, status=Status.IN_SUPPORT)
        .exclude(project=project)
        .select_related("project")
        .first()
        if participant.pk
        else None
    )
    reasons.append(
        Reason(
            "not_enrolled",
            elsewhere is None,
            _("Takes part in no other project at the moment.")
            if elsewhere is None
            else _("Is already receiving support in another project (%(project)s).")
            % {"project": elsewhere.project.short_name},
        )
    )
    return reasons


def eligibility_check(*, user, enrolment: Enrolment, on_date: datetime.date) -> EligibilityCheck:
    """Evaluate and keep the verdict with its reasons, the day and the user."""
    reasons = eligibility_evaluate(
        participant=enrolment.participant, project=enrolment.project, on_date=on_date
    )
    check = EligibilityCheck(
        enrolment=enrolment,
        checked_on=on_date,
        checked_by=user,
        eligible=all(reason.passed for reason in reasons),
        reasons=[reason.as_dict() for reason in reasons],
    )
    save(check, user)
    return check


def enrolment_qualify(
    *, user, enrolment: Enrolment, on_date: datetime.date | None = None
) -> EligibilityCheck:
    """Check eligibility; an eligible candidate becomes qualified. The check is kept
    either way, so that a refusal shows its reasons."""
    require(user, "participants.edit_enrolment", enrolment)
    on_date = on_date or timezone.localdate()
    _not_in_future(on_date, "qualified_on")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.CANDIDATE)
        if on_date < enrolment.registered_on:
            raise ValidationError(
                {
                    "qualified_on": ValidationError(
                        _("Qualification cannot come before registration."),
                        code="before_registration",
                    )
                }
            )
        check = eligibility_check(user=user, enrolment=enrolment, on_date=on_date)
        if check.eligible:
            enrolment.status = Status.QUALIFIED
            enrolment.qualified_on = on_date
            save(enrolment, user)
    return check


def eligibility_override(
    *, user, enrolment: Enrolment, justification: str, on_date: datetime.date | None = None
) -> EligibilityCheck:
    """A project manager qualifies a candidate the rules refused, in writing."""
    require(user, "participants.override_eligibility", enrolment)
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError(
            {
                "justification": ValidationError(
                    _("Write why the candidate is qualified despite the rules."),
                    code="no_justification",
                )
            }
        )
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.CANDIDATE, Status.REJECTED)
        check = enrolment.eligibility_checks.order_by("-checked_at", "-pk").first()
        if check is None or check.eligible:
            raise ValidationError(
                _("Only a refusal of the eligibility check can be overridden; check it first."),
                code="nothing_to_override",
            )
        check.override_justification = justification
        check.overridden_by = user
        check.overridden_at = timezone.now()
        save(check, user)
        enrolment.status = Status.QUALIFIED
        enrolment.qualified_on = max(on_date or timezone.localdate(), enrolment.registered_on)
        enrolment.rejection_reason = ""
        save(enrolment, user)
    return check


def enrolment_reject(*, user, enrolment: Enrolment, reason: str) -> Enrolment:
    require(user, "participants.edit_enrolment", enrolment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for rejection."), code="no_reason")}
        )
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.CANDIDATE, Status.QUALIFIED)
        enrolment.status = Status.REJECTED
        enrolment.rejection_reason = reason
        save(enrolment, user)
    return enrolment


# Seats -----------------------------------------------------------------------


class NoQuota(ValidationError):
    pass


def seat_book(
    *,
    user,
    enrolment: Enrolment,
    organisation: Organisation,
    place_kind: str,
    waiting: QuerySet | None = None,
) -> SeatBooking | None:
    """Take one seat of `organisation`'s quota of `place_kind` in the enrolment's project.

    The quota row is locked (SELECT … FOR UPDATE; on SQLite the IMMEDIATE
    transaction holds the write lock) and the active bookings counted under the
    lock, so the cap holds under concurrent requests. `waiting` — people queued
    before this one — is counted under the same lock, and that many free seats are
    kept for them. Returns None when no seat is left. The one booking service:
    enrolment, courses and internships all call it.
    """
    with transaction.atomic():
        try:
            quota = SeatQuota.objects.select_for_update().get(
                project_id=enrolment.project_id, organisation=organisation, place_kind=place_kind
            )
        except SeatQuota.DoesNotExist:
            raise NoQuota(
                _("%(organisation)s has no places of the kind “%(kind)s” in this project.")
                % {"organisation": organisation.short_name, "kind": PlaceKind(place_kind).label},
                code="no_quota",
            ) from None
        taken = quota.bookings.active().count()
        queue_ahead = waiting.count() if waiting is not None else 0
        if taken + queue_ahead >= quota.seats:
            return None
        booking = SeatBooking(
            quota=quota, enrolment=enrolment, booked_at=timezone.now(), booked_by=user
        )
        save(booking, user)
        return booking


def seat_release(*, user, booking: SeatBooking, reason: str) -> SeatBooking:
    with transaction.atomic():
        booking = SeatBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.released_at is None:
            booking.released_at = timezone.now()
            booking.release_reason = reason
            save(booking, user)
    return booking


@dataclass(frozen=True)
class SupportStart:
    enrolment: Enrolment
    booked: bool
    #: place on the reserve list (1 = first in line) when no seat was free
    reserve_position: int | None = None
    seats: int = 0


def reserve_position(enrolment: Enrolment) -> int:
    queue = Enrolment.objects.reserve_list(
        project=enrolment.project_id, organisation=enrolment.recruiting_organisation_id
    )
    return list(queue.values_list("pk", flat=True)).index(enrolment.pk) + 1


def enrolment_start_support(
    *, user, enrolment: Enrolment, on_date: datetime.date | None = None
) -> SupportStart:
    """Move a qualified person into support, taking a seat of the recruiting partner's
    social-activation quota; when none is free, they go on its reserve list.

    People already on the reserve list keep their turn: a freed seat goes to the
    first in line, and a newly qualified person queues behind them.
    """
    require(user, "participants.edit_enrolment", enrolment)
    on_date = on_date or timezone.localdate()
    _not_in_future(on_date, "support_start")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.QUALIFIED, Status.RESERVE)
        consent_require(enrolment)
        if on_date < enrolment.registered_on:
            raise ValidationError(
                {
                    "support_start": ValidationError(
                        _("Support cannot start before registration."), code="before_registration"
                    )
                }
            )
        waiting = Enrolment.objects.reserve_list(
            project=enrolment.project_id, organisation=enrolment.recruiting_organisation_id
        ).exclude(pk=enrolment.pk)
        if enrolment.status == Status.RESERVE:
            # Only those before this person in the queue keep seats from them.
            waiting = waiting.filter(
                Q(reserve_since__lt=enrolment.reserve_since)
                | Q(reserve_since=enrolment.reserve_since, pk__lt=enrolment.pk)
            )
        booking = seat_book(
            user=user,
            enrolment=enrolment,
            organisation=enrolment.recruiting_organisation,
            place_kind=PlaceKind.SOCIAL_ACTIVATION,
            waiting=waiting,
        )
        if booking is None:
            if enrolment.status != Status.RESERVE:
                enrolment.status = Status.RESERVE
                enrolment.reserve_since = timezone.now()
                save(enrolment, user)
            return SupportStart(
                enrolment, booked=False, reserve_position=reserve_position(enrolment)
            )
        enrolment.status = Status.IN_SUPPORT
        enrolment.support_start = on_date
        enrolment.reserve_since = None
        save(enrolment, user)
        return SupportStart(enrolment, booked=True, seats=booking.quota.seats)


def enrolment_resign(
    *, user, enrolment: Enrolment, on_date: datetime.date, reason: str
) -> Enrolment | None:
    """A person withdraws before any support: their seat, if they held one, is freed.

    Returns the first person on the partner's reserve list, to whom the freed seat
    is now offered (None if nobody waits or no seat was freed).
    """
    require(user, "participants.edit_enrolment", enrolment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for leaving."), code="no_reason")}
        )
    _not_in_future(on_date, "end_date")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(
            enrolment, Status.CANDIDATE, Status.QUALIFIED, Status.RESERVE, Status.IN_SUPPORT
        )
        if enrolment.participation_start is not None:
            raise ValidationError(
                _(
                    "%(name)s has already received support (since %(day)s): record the end "
                    "of participation instead of a resignation."
                )
                % {
                    "name": enrolment.participant,
                    "day": enrolment.participation_start.strftime("%d.%m.%Y"),
                },
                code="support_received",
            )
        start = enrolment.support_start or enrolment.registered_on
        if on_date < start:
            message = _("The date of leaving cannot come before %(day)s.") % {
                "day": start.strftime("%d.%m.%Y")
            }
            raise ValidationError({"end_date": ValidationError(message, code="before_start")})
        freed = False
        for booking in enrolment.seat_bookings.active():
            seat_release(user=user, booking=booking, reason=_("resignation before support"))
            freed = True
        enrolment.status = Status.DROPPED_OUT
        enrolment.end_date = on_date
        enrolment.dropout_reason = reason
        enrolment.reserve_since = None
        save(enrolment, user)
        if not freed:
            return None
        return (
            Enrolment.objects.reserve_list(
                project=enrolment.project_id, organisation=enrolment.recruiting_organisation_id
            )
            .select_related("participant")
            .first()
        )


EXIT_OUTCOMES = (
    "employed",
    "self_employed",
    "seeking_work",
    "in_education",
    "qualification_gained",
)


def enrolment_exit(
    *,
    user,
    enrolment: Enrolment,
    end_date: datetime.date,
    completed_pathway: bool,
    dropout_reason: str = "",
    left_for_job: bool = False,
    **outcomes: bool,
) -> EnrolmentExit:
    """End the participation of a person in support: completed, or dropped out with a
    reason. The seat stays taken: it was used."""
    require(user, "participants.edit_enrolment", enrolment)
    unknown = set(outcomes) - set(EXIT_OUTCOMES)
    if unknown:
        raise TypeError(f"unknown exit outcomes: {sorted(unknown)}")
    dropout_reason = (dropout_reason or "").strip()
    if not completed_pathway and not dropout_reason:
        raise ValidationError(
            {
                "dropout_reason": ValidationError(
                    _("Give the reason for leaving before the end of the pathway."),
                    code="no_reason",
                )
            }
        )
    _not_in_future(end_date, "end_date")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.IN_SUPPORT)
        if end_date < enrolment.support_start:
            message = _(
                "The end of participation cannot come before the start of support (%(day)s)."
            ) % {"day": enrolment.support_start.strftime("%d.%m.%Y")}
            raise ValidationError({"end_date": ValidationError(message, code="before_start")})
        enrolment.status = Status.COMPLETED if completed_pathway else Status.DROPPED_OUT
        enrolment.end_date = end_date
        enrolment.dropout_reason = "" if completed_pathway else dropout_reason
        save(enrolment, user)
        exit_data = EnrolmentExit(
            enrolment=enrolment,
            completed_pathway=completed_pathway,
            left_for_job=left_for_job and not completed_pathway,
            recorded_by=user,
            **{name: bool(outcomes.get(name)) for name in EXIT_OUTCOMES},
        )
        save(exit_data, user)
    return exit_data


def follow_up_record(*, user, enrolment: Enrolment, follow_up: FollowUp) -> FollowUp:
    """Record (or correct) the situation three months after leaving."""
    require(user, "participants.edit_enrolment", enrolment)
    _not_in_future(follow_up.checked_on, "checked_on")
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _require_status(enrolment, Status.COMPLETED, Status.DROPPED_OUT)
        follow_up.enrolment = enrolment
        existing = FollowUp.objects.filter(enrolment=enrolment).first()
        if existing:
            follow_up.pk = existing.pk
            follow_up.recorded_at = existing.recorded_at
        follow_up.recorded_by = user
        save(follow_up, user, validate_unique=existing is None)
    return follow_up


def enrol_registered_person(
    *,
    user,
    project: Project,
    organisation: Organisation,
    pesel: str,
    last_name: str,
    registered_on: datetime.date | None = None,
) -> Enrolment:
    """Enrol a person already registered in the system (from an earlier project).

    The surname must match the PESEL's record, so that nobody can learn who is
    registered by trying numbers.
    """
    require(user, "participants.register", (project, organisation))
    participant = Participant.objects.filter(pesel=pesel).first()
    if participant is None or participant.last_name.casefold() != last_name.strip().casefold():
        raise ValidationError(
            _("No registered person has this PESEL and surname; register them as new."),
            code="no_match",
        )
    if Enrolment.objects.filter(participant=participant, project=project).exists():
        raise ValidationError(
            {
                "pesel": ValidationError(
                    pesel_conflict_message(pesel=pesel, project=project), code="enrolled"
                )
            }
        )
    with transaction.atomic():
        enrolment = Enrolment(
            participant=participant,
            project=project,
            recruiting_organisation=organisation,
            registered_on=registered_on or timezone.localdate(),
        )
        save(enrolment, user)
    return enrolment
