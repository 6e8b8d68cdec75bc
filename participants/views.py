"""The participants screens: thin views over the services and selectors.

Every fetch goes through `for_user` (404 outside the user's scope); acting needs
the permission of `participants.rules` (403 without it). Forms validate, services
save; a service's ValidationError goes back on the form and nothing is saved.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aktywizacja import lists
from aktywizacja.forms import add_service_error
from partners.models import Organisation
from partners.scoping import scope_for
from partners.views import get_project_for_user

from . import forms, selectors, services
from .access_log import access_shown, may_see_access_history
from .filters import ParticipantFilter
from .models import Enrolment, Participant
from .tables import ParticipantTable, ReserveTable

EDIT = "participants.edit_enrolment"


def _data(request: HttpRequest):
    """The submitted data, or None for an unbound form (an empty POST is still bound)."""
    return request.POST if request.method == "POST" else None


def get_participant_for_user(
    request: HttpRequest, pk: int, permission: str | None = None
) -> Participant:
    """The person if the user sees one of their enrolments (else 404) and has
    `permission` on them, if one is asked (else 403). Opening the record is written to
    the access log; a refusal writes nothing."""
    participant = get_object_or_404(
        Participant.objects.for_user(request.user).select_related("commune"), pk=pk
    )
    if permission is not None and not request.user.has_perm(permission, participant):
        raise PermissionDenied
    access_shown(request, [participant])
    return participant


def get_enrolment_for_user(request: HttpRequest, pk: int, permission: str = EDIT) -> Enrolment:
    """The enrolment if the user may see it (else 404) and has `permission` on it (else
    403). Opening it is written to the access log."""
    enrolment = get_object_or_404(
        Enrolment.objects.for_user(request.user).select_related(
            "participant", "project", "recruiting_organisation"
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, enrolment):
        raise PermissionDenied
    access_shown(request, [enrolment.participant_id], project=enrolment.project)
    return enrolment


# People ----------------------------------------------------------------------


def participant_list(request: HttpRequest) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    filterset = ParticipantFilter(
        request.GET, queryset=selectors.participants_for_list(request.user), request=request
    )
    table = lists.table(request, ParticipantTable, filterset)
    access_shown(request, lists.records(table), listing=True)
    return render(
        request, "participants/participant_list.html", {"filter": filterset, "table": table}
    )


@require_http_methods(["GET", "POST"])
def participant_register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(_data(request), user=request.user)
    if not form.pairs:
        raise PermissionDenied
    if form.is_bound and form.is_valid():
        try:
            enrolment = services.participant_register(
                user=request.user,
                project=form.cleaned_data["project"],
                organisation=form.cleaned_data["organisation"],
                participant=form.instance,
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("%(name)s is registered as a candidate of the project %(project)s.")
            messages.success(
                request, message % {"name": form.instance, "project": enrolment.project.short_name}
            )
            return redirect(enrolment)
    context = {"form": form, "title": _("Register a participant")}
    return render(request, "participants/participant_form.html", context)


@require_http_methods(["GET", "POST"])
def enrol_existing(request: HttpRequest) -> HttpResponse:
    form = forms.EnrolExistingForm(_data(request), user=request.user)
    if not form.pairs:
        raise PermissionDenied
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = services.enrol_registered_person(
                user=request.user,
                project=data["project"],
                organisation=data["organisation"],
                pesel=data["pesel"],
                last_name=data["last_name"],
                registered_on=data["registered_on"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("%(name)s is enrolled as a candidate of the project %(project)s.")
            project = enrolment.project.short_name
            messages.success(request, message % {"name": enrolment.participant, "project": project})
            return redirect(enrolment)
    return render(request, "participants/enrol_existing.html", {"form": form})


def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    cards = selectors.enrolment_cards(request.user, participant)
    sees_history = any(
        request.user.has_perm("participants.view_history", c.enrolment) for c in cards
    )
    context = {
        "participant": participant,
        "cards": cards,
        "history": selectors.change_history(participant) if sees_history else None,
        "may_see_access": may_see_access_history(request.user, participant),
    }
    return render(request, "participants/participant_detail.html", context)


@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk, "participants.edit_participant")
    form = forms.ParticipantForm(_data(request), instance=participant, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.participant_update(user=request.user, participant=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The data of %(name)s are saved.") % {"name": participant})
            return redirect(participant)
    context = {"form": form, "participant": participant, "title": _("Edit the participant")}
    return render(request, "participants/participant_form.html", context)


# Enrolment actions -------------------------------------------------------------

Perform = Callable[[HttpRequest, Enrolment, Any], None]


def _enrolment_action(
    request: HttpRequest,
    pk: int,
    form_class: type,
    perform: Perform,
    *,
    title: str,
    permission: str = EDIT,
    consequences: Sequence[str] = (),
    confirm_label: str = "",
) -> HttpResponse:
    """The one shape of every enrolment action: fetch (404 / 403), validate, call the
    service through `perform(request, enrolment, form)`, which also says what
    happened, and back to the person.
    A service's ValidationError goes on the form; the service has saved nothing.
    An action that cannot be undone names its `consequences` above the form and sends
    it with a danger button labelled `confirm_label`: the form page is its confirmation."""
    enrolment = get_enrolment_for_user(request, pk, permission)
    form = form_class(_data(request), enrolment=enrolment)
    if form.is_bound and form.is_valid():
        try:
            perform(request, enrolment, form)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect(enrolment)
    context = {
        "form": form,
        "enrolment": enrolment,
        "title": title,
        "consequences": [text % {"name": enrolment.participant} for text in consequences],
        "confirm_label": confirm_label,
    }
    return render(request, "participants/enrolment_action.html", context)


@require_POST
def enrolment_qualify(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        check = services.enrolment_qualify(
            user=request.user, enrolment=enrolment, on_date=form.cleaned_data["qualified_on"]
        )
        name = enrolment.participant
        if check.eligible:
            messages.success(request, _("%(name)s is qualified.") % {"name": name})
        else:
            reasons = "; ".join(reason["message"] for reason in check.failed_reasons)
            message = _("%(name)s is not eligible: %(reasons)s")
            messages.warning(request, message % {"name": name, "reasons": reasons})

    return _enrolment_action(request, pk, forms.QualifyForm, perform, title=_("Check eligibility"))


@require_http_methods(["GET", "POST"])
def enrolment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        services.enrolment_reject(
            user=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("The candidacy of %(name)s is rejected.") % {"name": enrolment.participant},
        )

    return _enrolment_action(
        request,
        pk,
        forms.RejectForm,
        perform,
        title=_("Reject"),
        consequences=[
            _("%(name)s will not take part in this project: the candidacy ends as rejected."),
            _("The reason you give is kept in the record and its history."),
            _("A rejection cannot be undone; a later candidacy needs a new enrolment."),
        ],
        confirm_label=_("Reject the candidacy"),
    )


@require_http_methods(["GET", "POST"])
def eligibility_override(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        services.eligibility_override(
            user=request.user, enrolment=enrolment, justification=form.cleaned_data["justification"]
        )
        message = _("%(name)s is qualified despite the rules.")
        messages.success(request, message % {"name": enrolment.participant})

    return _enrolment_action(
        request,
        pk,
        forms.OverrideForm,
        perform,
        title=_("Qualify despite the rules"),
        permission="participants.override_eligibility",
    )


@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        services.consent_record(user=request.user, enrolment=enrolment, **form.cleaned_data)
        message = _("The signature dates of %(name)s are saved.")
        messages.success(request, message % {"name": enrolment.participant})

    return _enrolment_action(request, pk, forms.ConsentForm, perform, title=_("Consents"))


@require_http_methods(["GET", "POST"])
def enrolment_start_support(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        start = services.enrolment_start_support(
            user=request.user, enrolment=enrolment, on_date=form.cleaned_data["support_start"]
        )
        if start.booked:
            message = _("%(name)s is taken into support: a seat is taken (quota of %(seats)d).")
            messages.success(
                request, message % {"name": enrolment.participant, "seats": start.seats}
            )
        else:
            message = _(
                "The quota of %(organisation)s is full: the candidate is on the reserve "
                "list at position %(position)d."
            )
            organisation = enrolment.recruiting_organisation.short_name
            position = start.reserve_position
            messages.warning(
                request, message % {"organisation": organisation, "position": position}
            )

    return _enrolment_action(request, pk, forms.StartSupportForm, perform, title=_("Start support"))


@require_http_methods(["GET", "POST"])
def enrolment_resign(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        offered_to = services.enrolment_resign(
            user=request.user,
            enrolment=enrolment,
            on_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        )
        message = _("The resignation of %(name)s is recorded.")
        messages.success(request, message % {"name": enrolment.participant})
        if offered_to is not None:
            notice = render_to_string(
                "participants/_seat_offered_message.html", {"enrolment": offered_to}
            )
            messages.info(request, notice)

    return _enrolment_action(
        request,
        pk,
        forms.ResignForm,
        perform,
        title=_("Resignation"),
        consequences=[
            _("%(name)s leaves the project before any support, on the day you give."),
            _("A seat %(name)s held is freed and offered to the first person on the reserve list."),
            _("A resignation cannot be undone."),
        ],
        confirm_label=_("Record the resignation"),
    )


@require_http_methods(["GET", "POST"])
def enrolment_exit(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        services.enrolment_exit(user=request.user, enrolment=enrolment, **form.cleaned_data)
        message = _("The end of participation of %(name)s is recorded.")
        messages.success(request, message % {"name": enrolment.participant})

    return _enrolment_action(
        request,
        pk,
        forms.ExitForm,
        perform,
        title=_("End of participation"),
        consequences=[
            _(
                "The participation of %(name)s ends on the day you give: completed, or "
                "dropped out with a reason."
            ),
            _("The seat stays taken: it was used. The situation on leaving counts in the reports."),
            _("The end of participation cannot be undone here."),
        ],
        confirm_label=_("End the participation"),
    )


@require_http_methods(["GET", "POST"])
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        services.follow_up_record(user=request.user, enrolment=enrolment, follow_up=form.instance)
        message = _("The situation of %(name)s three months after the end is recorded.")
        messages.success(request, message % {"name": enrolment.participant})

    return _enrolment_action(
        request, pk, forms.FollowUpForm, perform, title=_("Situation after three months")
    )


# Reserve list -----------------------------------------------------------------


def reserve_list(request: HttpRequest, project_pk: int, organisation_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    organisation = get_object_or_404(
        Organisation.objects.filter(partnerships__project=project), pk=organisation_pk
    )
    if not scope_for(request.user).sees_recruits_of(project.pk, organisation.pk):
        raise Http404
    quota = selectors.social_quota_row(project, organisation)
    if quota is None:
        raise Http404  # the organisation recruits nobody in this project
    queue = list(
        Enrolment.objects.for_user(request.user)
        .reserve_list(project=project, organisation=organisation)
        .select_related("participant", "project", "recruiting_organisation")
    )
    access_shown(request, [e.participant_id for e in queue], project=project, listing=True)
    next_in_line = queue[0] if queue and quota.free > 0 else None
    context = {
        "project": project,
        "organisation": organisation,
        "quota": quota,
        "table": ReserveTable(queue, next_in_line=next_in_line),
        "queue": queue,
        "next_in_line": next_in_line,
    }
    return render(request, "participants/reserve_list.html", context)
