"""The social worker's pathway screens: thin views over `pathways.services`.

Every fetch goes through `for_user` (404 outside the user's scope); acting needs the
permission of `participants.rules` / `pathways.rules` (403 without it). Forms
validate, services save; a service's ValidationError goes back on the form and
nothing is saved.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from aktywizacja.forms import add_service_error
from aktywizacja.templatetags.fmt import money
from participants.access_log import access_shown
from participants.models import Enrolment
from partners.models import Project
from partners.scoping import scope_for

from . import forms, selectors, services
from .models import Attendance, PathwayGoal, Session

EDIT = "participants.edit_enrolment"
ROWS = "rows"  # the prefix of the grid's fields

Allowed = Callable[[Any, Enrolment], bool]
Perform = Callable[[HttpRequest, Enrolment, Any], None]


def _data(request: HttpRequest):
    """The submitted data, or None for an unbound form (an empty POST is still bound)."""
    return request.POST if request.method == "POST" else None


def may_edit(user, enrolment: Enrolment) -> bool:
    """The recruiting centre's social workers and the project's managers."""
    return user.has_perm(EDIT, enrolment)


def may_pay(user, enrolment: Enrolment) -> bool:
    """Staff of a partner of the project, recording for their own organisation."""
    return bool(selectors.recording_providers(user, enrolment.project))


def get_enrolment_for_user(
    request: HttpRequest, pk: int, allowed: Allowed | None = None
) -> Enrolment:
    """The enrolment, with its pathway, if the user may see it (else 404) and do what
    `allowed` asks (else 403)."""
    enrolment = get_object_or_404(
        Enrolment.objects.for_user(request.user).select_related(
            "participant", "project", "recruiting_organisation", "pathway"
        ),
        pk=pk,
    )
    if allowed is not None and not allowed(request.user, enrolment):
        raise PermissionDenied
    access_shown(request, [enrolment.participant_id], project=enrolment.project)
    return enrolment


def _back(enrolment: Enrolment) -> HttpResponse:
    return redirect("pathways:detail", enrolment.pk)


def _pathway_action(
    request: HttpRequest,
    pk: int,
    form_class: type,
    perform: Perform,
    *,
    title: str,
    allowed: Allowed = may_edit,
) -> HttpResponse:
    """The one shape of every pathway action: fetch (404 / 403), validate, call the
    service through `perform(request, enrolment, form)`, which also says what
    happened, and back to the pathway."""
    enrolment = get_enrolment_for_user(request, pk, allowed)
    form = form_class(_data(request), enrolment=enrolment, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            perform(request, enrolment, form)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back(enrolment)
    context = {"form": form, "enrolment": enrolment, "title": title}
    return render(request, "pathways/pathway_action.html", context)


def _require_pathway(enrolment: Enrolment):
    pathway = getattr(enrolment, "pathway", None)
    if pathway is None:
        message = _("Write the pathway (the diagnosis) first.")
        raise ValidationError(message, code="no_pathway")
    return pathway


# The pathway ----------------------------------------------------------------------


def pathway_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request, pk)
    context = {
        "enrolment": enrolment,
        "page": selectors.pathway_page(enrolment),
        "may_pay": may_pay(request.user, enrolment),
        "goal_form": forms.GoalForm(enrolment=enrolment, user=request.user),
        "goal_statuses": PathwayGoal.Status.choices,
    }
    return render(request, "pathways/pathway_detail.html", context)


@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the diagnosis, or revise it: each revision stays in the history."""
    enrolment = get_enrolment_for_user(request, pk, may_edit)
    pathway = getattr(enrolment, "pathway", None)
    form = forms.PathwayForm(_data(request), enrolment=enrolment, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            services.pathway_save(user=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The pathway of %(name)s is saved.")
            messages.success(request, message % {"name": enrolment.participant})
            return _back(enrolment)
    context = {
        "form": form,
        "enrolment": enrolment,
        "title": _("Revise the pathway") if pathway else _("Write the pathway"),
        "last_change": selectors.last_change(pathway),
    }
    return render(request, "pathways/pathway_form.html", context)


@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        pathway = _require_pathway(enrolment)
        services.goal_add(user=request.user, pathway=pathway, **form.cleaned_data)
        message = _("The goal is added to the pathway of %(name)s.")
        messages.success(request, message % {"name": enrolment.participant})

    return _pathway_action(request, pk, forms.GoalForm, perform, title=_("Add a goal"))


@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Enrolment.objects.for_user(request.user)
    goal = get_object_or_404(
        PathwayGoal.objects.filter(pathway__enrolment__in=visible).select_related(
            "pathway__enrolment__participant",
            "pathway__enrolment__project",
            "pathway__enrolment__recruiting_organisation",
        ),
        pk=pk,
    )
    enrolment = goal.pathway.enrolment
    if not may_edit(request.user, enrolment):
        raise PermissionDenied
    access_shown(request, [enrolment.participant_id], project=enrolment.project)
    form = forms.GoalStatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_set_status(user=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The status of a goal of %(name)s is now: %(status)s.")
            status = goal.get_status_display()
            messages.success(request, message % {"name": enrolment.participant, "status": status})
            return _back(enrolment)
    context = {"form": form, "enrolment": enrolment, "title": _("Status of the goal")}
    return render(request, "pathways/pathway_action.html", context)


@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        pathway = _require_pathway(enrolment)
        services.planned_support_add(user=request.user, pathway=pathway, **form.cleaned_data)
        message = _("%(support)s is added to the plan of %(name)s.")
        names = {"support": form.cleaned_data["support_form"], "name": enrolment.participant}
        messages.success(request, message % names)

    return _pathway_action(request, pk, forms.PlanItemForm, perform, title=_("Plan support"))


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        referral = services.referral_create(
            user=request.user, enrolment=enrolment, **form.cleaned_data
        )
        message = _(
            "%(name)s is referred to %(organisation)s: its coordinators now see the person "
            "and can plan vocational activation."
        )
        names = {"name": enrolment.participant, "organisation": referral.to_organisation}
        messages.success(request, message % names)

    return _pathway_action(request, pk, forms.ReferralForm, perform, title=_("Refer"))


@require_http_methods(["GET", "POST"])
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(request, enrolment, form):
        payment = services.payment_record(user=request.user, payment=form.instance)
        message = _("The payment of %(amount)s to %(name)s is recorded.")
        names = {"amount": money(payment.amount), "name": enrolment.participant}
        messages.success(request, message % names)

    return _pathway_action(
        request, pk, forms.PaymentForm, perform, title=_("Record a payment"), allowed=may_pay
    )


# Sessions -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    """Step one (GET): choose the project, provider, form of support and day; step two
    (POST): the session and its attendance grid, recorded by one `session_record`."""
    user = request.user
    # A link from a course (?course=…) preselects; the choice is made by the form.
    chosen_setup = request.GET if set(request.GET) - {"course"} else None
    setup = forms.SessionSetupForm(
        chosen_setup, user=user, initial={"course": request.GET.get("course")}
    )
    if not setup.pairs:
        raise PermissionDenied
    form = rows = None
    chosen: dict = {}
    if request.method == "POST":
        form = forms.SessionForm(request.POST, user=user)
        rows = forms.AttendanceFormSet(request.POST, user=user, session_form=form, prefix=ROWS)
        if form.is_valid() and rows.is_valid():
            try:
                session = services.session_record(
                    user=user, rows=rows.attendance_rows(), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return _session_recorded(request, session)
        chosen = form.cleaned_data
    elif setup.is_bound and setup.is_valid():
        chosen = setup.cleaned_data
        candidates = selectors.session_candidates(user, **_grid_keys(chosen))
        initial = [{"enrolment": enrolment.pk} for enrolment in candidates]
        form = forms.SessionForm(initial=chosen, user=user)
        rows = forms.AttendanceFormSet(initial=initial, user=user, prefix=ROWS)
    if rows is not None:
        shown = [r.enrolment_object.participant_id for r in rows.forms if r.enrolment_object]
        access_shown(request, shown, project=chosen.get("project"), listing=True)
    context = {"setup": setup, "form": form, "rows": rows, "chosen": chosen}
    return render(request, "pathways/session_form.html", context)


def _grid_keys(chosen: dict) -> dict:
    return {
        "project": chosen["project"],
        "provider": chosen["provider"],
        "support_form": chosen["support_form"],
        "day": chosen["date"],
        "course": chosen.get("course"),
    }


def _session_recorded(request: HttpRequest, session: Session) -> HttpResponse:
    present = session.attendances.filter(present=True).count()
    message = ngettext(
        "The session is recorded: %(count)d participant present.",
        "The session is recorded: %(count)d participants present.",
        present,
    )
    messages.success(request, message % {"count": present})
    return redirect("pathways:session_detail", session.pk)


def get_session_for_user(request: HttpRequest, pk: int) -> Session:
    """The session if the user sees its project whole, or records for its provider
    there; 404 otherwise."""
    user = request.user
    visible = Session.objects.filter(project__in=Project.objects.for_user(user))
    session = get_object_or_404(
        visible.select_related("project", "provider", "support_form", "created_by"), pk=pk
    )
    scope = scope_for(user)
    sees_whole = scope.sees_everything or session.project_id in scope.full_project_ids
    if not sees_whole and not user.has_perm(selectors.RECORD, (session.project, session.provider)):
        raise Http404
    return session


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk)
    attendances = list(
        Attendance.objects.filter(
            session=session, enrolment__in=Enrolment.objects.for_user(request.user)
        )
        .select_related("enrolment__participant")
        .order_by("enrolment__participant__last_name", "enrolment__participant__first_name")
    )
    shown = [a.enrolment.participant_id for a in attendances]
    access_shown(request, shown, project=session.project, listing=True)
    context = {
        "session": session,
        "attendances": attendances,
        "present": sum(1 for a in attendances if a.present),
        # rows of people outside the user's scope are counted, never shown
        "hidden": session.attendances.count() - len(attendances),
    }
    return render(request, "pathways/session_detail.html", context)
