"""The coordinators' screens (Starostwo, PCE-ZSP): the people referred and not yet
placed, courses, internships with their monthly attendance and stipend, employers
and medical examinations.

Every fetch goes through a scoped queryset (404 outside the scope); a write needs
`pathways.record_support` on (project, organiser), `pathways.act_vocational` on the
enrolment or `pathways.manage_employers` (403 without it). Forms validate, the
services of `pathways.services` save.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from aktywizacja import lists
from aktywizacja.forms import add_service_error
from aktywizacja.templatetags.fmt import money
from participants.access_log import access_shown
from participants.models import Enrolment
from participants.views import _data, get_enrolment_for_user
from partners.models import Organisation, PlaceKind
from partners.scoping import scope_for

from . import filters, services, tables
from . import forms_coordination as forms
from . import selectors_coordination as selectors
from .models import Course, CourseParticipation, Employer, Internship, SupportForm

RECORD = "pathways.record_support"
EMPLOYERS = "pathways.manage_employers"
CATALOGUE = "pathways.manage_catalogue"
TEMPLATES = "pathways/coordination/"
TAB_LABELS = {
    "upcoming": gettext_lazy("Upcoming"),
    "running": gettext_lazy("Running"),
    "ending": gettext_lazy("Ending within 14 days"),
    "completed": gettext_lazy("Finished"),
}


def _recorder(user) -> Callable[[object, object], bool]:
    """`may(project, organisation)`: the permission to record, read once per pair."""
    known: dict = {}

    def may(project, organisation) -> bool:
        key = (project.pk, organisation.pk)
        if key not in known:
            known[key] = user.has_perm(RECORD, (project, organisation))
        return known[key]

    return may


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next", "")
    # A path of this site: `redirect` takes anything else ("abc") for a URL's name.
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    )
    return target if safe else default


def _being_placed(request: HttpRequest) -> Enrolment | None:
    """The person the referred list sent here to be placed (?enrolment=), if in scope."""
    pk = request.GET.get("enrolment", "")
    if not pk.isdigit():
        return None
    return (
        Enrolment.objects.for_user(request.user).select_related("participant").filter(pk=pk).first()
    )


def get_course_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Course:
    course = get_object_or_404(
        selectors.courses_for_user(request.user).select_related("project", "organiser"), pk=pk
    )
    if write and not request.user.has_perm(RECORD, (course.project, course.organiser)):
        raise PermissionDenied
    return course


def get_internship_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Internship:
    internship = get_object_or_404(
        selectors.internships_for_user(request.user).select_related(
            "enrolment__participant", "enrolment__project", "organiser", "employer", "medical_exam"
        ),
        pk=pk,
    )
    project = internship.enrolment.project
    if write and not request.user.has_perm(RECORD, (project, internship.organiser)):
        raise PermissionDenied
    access_shown(request, [internship.enrolment.participant_id], project=project)
    return internship


# People referred -----------------------------------------------------------------------


def referred_list(request: HttpRequest) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    referrals = selectors.referrals_waiting(request.user)
    filterset = filters.ReferralFilter(request.GET, queryset=referrals, request=request)
    table = lists.table(request, tables.ReferralTable, filterset)
    today, may = timezone.localdate(), _recorder(request.user)
    shown = lists.records(table)
    for referral in shown:
        referral.waiting_days = (today - referral.referred_on).days
        referral.may_place = may(referral.enrolment.project, referral.to_organisation)
    access_shown(request, [r.enrolment.participant_id for r in shown], listing=True)
    context = {"filter": filterset, "table": table}
    return render(request, TEMPLATES + "referred_list.html", context)


# Courses ---------------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    courses = (
        selectors.courses_for_user(request.user)
        .select_related("project", "organiser")
        .annotate(booked=Count("participations"))
        .order_by("-start_date", "title", "pk")
    )
    filterset = filters.CourseFilter(request.GET, queryset=courses, request=request)
    placing = _being_placed(request)
    table = lists.table(request, tables.CourseTable, filterset, placing=placing)
    page = lists.records(table)
    seats = selectors.seats_by_quota({c.project_id for c in page}, selectors.COURSE_PLACES)
    may = _recorder(request.user)
    for course in page:
        course.quota = seats.get((course.project_id, course.organiser_id, course.place_kind))
        course.places_left = max(course.capacity - course.booked, 0)
        course.may_assign = may(course.project, course.organiser)
    context = {
        "filter": filterset,
        "table": table,
        "placing": placing,
        "hidden": [("enrolment", placing.pk)] if placing else [],
        "may_create": bool(selectors.quotas_to_act_on(request.user, selectors.COURSE_PLACES)),
    }
    return render(request, TEMPLATES + "course_list.html", context)


@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest) -> HttpResponse:
    form = forms.CourseForm(_data(request), user=request.user)
    if not form.quotas:
        raise PermissionDenied
    if form.is_bound and form.is_valid():
        try:
            course = services.course_create(user=request.user, course=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The course %(title)s is created.") % {"title": course})
            return redirect("pathways:course_detail", course.pk)
    context = {"form": form, "title": _("New course")}
    return render(request, TEMPLATES + "course_form.html", context)


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request, pk)
    hours = selectors.course_hours_attended(course)
    participations = course.participations.select_related(
        "enrolment__participant", "enrolment__recruiting_organisation"
    )
    rows = [{"place": p, "hours": hours.get(p.enrolment_id)} for p in participations]
    shown = [row["place"].enrolment.participant_id for row in rows]
    access_shown(request, shown, project=course.project, listing=True)
    context = {
        "course": course,
        "rows": rows,
        "places_left": max(course.capacity - len(rows), 0),
        "quota": selectors.quota_seats(course.project, course.organiser, course.place_kind),
        "sessions": course.sessions.annotate(
            present=Count("attendances", filter=Q(attendances__present=True))
        ).order_by("date", "pk"),
        "may_record": request.user.has_perm(RECORD, (course.project, course.organiser)),
        "stipends": selectors.training_stipends(course),
    }
    return render(request, TEMPLATES + "course_detail.html", context)


@require_http_methods(["GET", "POST"])
def course_assign(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request, pk, write=True)
    initial = {"enrolment": request.GET.get("enrolment")}
    form = forms.CourseAssignForm(_data(request), user=request.user, course=course, initial=initial)
    if form.is_bound and form.is_valid():
        enrolment = form.cleaned_data["enrolment"]
        try:
            services.course_assign(user=request.user, course=course, enrolment=enrolment)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("%(name)s is on the course %(course)s.")
            messages.success(request, message % {"name": enrolment.participant, "course": course})
            return redirect("pathways:course_detail", course.pk)
    candidates = [e.participant_id for e in form.fields["enrolment"].queryset]
    access_shown(request, candidates, project=course.project, listing=True)
    context = {
        "course": course,
        "form": form,
        "quota": selectors.quota_seats(course.project, course.organiser, course.place_kind),
        "places_left": max(course.capacity - course.participations.count(), 0),
    }
    return render(request, TEMPLATES + "course_assign.html", context)


@require_http_methods(["GET", "POST"])
def certificate_record(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(
        CourseParticipation.objects.filter(
            course__in=selectors.courses_for_user(request.user)
        ).select_related("course__project", "course__organiser", "enrolment__participant"),
        pk=pk,
    )
    course = place.course
    if not request.user.has_perm(RECORD, (course.project, course.organiser)):
        raise PermissionDenied
    access_shown(request, [place.enrolment.participant_id], project=course.project)
    form = forms.CertificateForm(_data(request), instance=place)
    if form.is_bound and form.is_valid():
        try:
            services.certificate_record(
                user=request.user, participation_record=place, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The exam and certificate of %(name)s are saved.")
            messages.success(request, message % {"name": place.enrolment.participant})
            return redirect("pathways:course_detail", course.pk)
    context = {"form": form, "course": course, "place": place}
    return render(request, TEMPLATES + "certificate_form.html", context)


# Employers and medical examinations ---------------------------------------------------


def employer_list(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    if (back := lists.restore(request)) is not None:
        return back
    employers = Employer.objects.annotate(internship_count=Count("internships")).order_by(
        "name", "pk"
    )
    filterset = filters.EmployerFilter(request.GET, queryset=employers, request=request)
    may_edit = request.user.has_perm(EMPLOYERS)
    table = lists.table(request, tables.EmployerTable, filterset, may_edit=may_edit)
    context = {"filter": filterset, "table": table, "may_edit": may_edit}
    return render(request, TEMPLATES + "employer_list.html", context)


def _employer_form(request: HttpRequest, employer: Employer, title: str) -> HttpResponse:
    form = forms.EmployerForm(_data(request), instance=employer)
    if form.is_bound and form.is_valid():
        try:
            services.employer_save(user=request.user, employer=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The employer %(name)s is saved.") % {"name": employer})
            return redirect(lists.list_url(request, "pathways:employers"))
    return render(request, TEMPLATES + "employer_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def employer_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(EMPLOYERS):
        raise PermissionDenied
    return _employer_form(request, Employer(), _("New employer"))


@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Employers are firms shared by all projects, not anyone's personal data:
    # whoever may manage employers may edit any of them.
    if not request.user.has_perm(EMPLOYERS):
        raise PermissionDenied
    employer = get_object_or_404(Employer, pk=pk)
    return _employer_form(request, employer, _("Edit the employer"))


@require_http_methods(["GET", "POST"])
def medical_exam_add(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request, pk, "pathways.act_vocational")
    form = forms.MedicalExamForm(_data(request), enrolment=enrolment)
    if form.is_bound and form.is_valid():
        try:
            services.medical_exam_record(user=request.user, enrolment=enrolment, exam=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The medical examination of %(name)s is recorded.")
            messages.success(request, message % {"name": enrolment.participant})
            return redirect(_next_or(request, enrolment.get_absolute_url()))
    context = {"form": form, "enrolment": enrolment, "exams": enrolment.medical_exams.all()}
    return render(request, TEMPLATES + "medical_exam_form.html", context)


# Internships ------------------------------------------------------------------------------


def internship_list(request: HttpRequest) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    tab = request.GET.get("tab", "running")
    tab = tab if tab in selectors.TABS else "running"
    internships, counts = selectors.internship_board(request.user, tab, timezone.localdate())
    filterset = filters.InternshipFilter(request.GET, queryset=internships, request=request)
    table = lists.table(request, tables.InternshipTable, filterset, extra={"tab": tab})
    shown = [i.enrolment.participant_id for i in lists.records(table)]
    access_shown(request, shown, listing=True)
    context = {
        "filter": filterset,
        "table": table,
        "tab": tab,
        "hidden": [("tab", tab)],
        "tabs": [(name, TAB_LABELS[name], counts[name]) for name in selectors.TABS],
    }
    return render(request, TEMPLATES + "internship_list.html", context)


@require_http_methods(["GET", "POST"])
def internship_new(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.for_user(request.user).select_related("participant", "project"), pk=pk
    )
    form = forms.InternshipForm(_data(request), user=request.user, enrolment=enrolment)
    if not form.quotas:
        raise PermissionDenied
    access_shown(request, [enrolment.participant_id], project=enrolment.project)
    needs_exam = False
    if form.is_bound and form.is_valid():
        try:
            internship = services.internship_assign(user=request.user, internship=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
            needs_exam = getattr(error, "code", None) == "no_medical_exam"
        else:
            message = _("The internship of %(name)s is planned and its seat taken.")
            messages.success(request, message % {"name": enrolment.participant})
            return redirect("pathways:internship_detail", internship.pk)
    seats = selectors.seats_by_quota([enrolment.project_id], [PlaceKind.INTERNSHIP])
    quotas = [
        (q.organisation, seats[(q.project_id, q.organisation_id, q.place_kind)])
        for q in form.quotas
    ]
    context = {
        "form": form,
        "enrolment": enrolment,
        "quotas": quotas,
        "needs_exam": needs_exam,
        # Said before the form is filled in, so that nothing typed is lost on the way
        # to the examination's form.
        "no_exam_yet": not needs_exam and not enrolment.medical_exams.exists(),
    }
    return render(request, TEMPLATES + "internship_form.html", context)


def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    internship = get_internship_for_user(request, pk)
    months = internship.months.all()
    project = internship.enrolment.project
    context = {
        "internship": internship,
        "project": project,
        "months": months,
        "total": months.aggregate(total=Sum("stipend"))["total"],
        "may_record": request.user.has_perm(RECORD, (project, internship.organiser)),
    }
    return render(request, TEMPLATES + "internship_detail.html", context)


@require_http_methods(["GET", "POST"])
def internship_month_add(request: HttpRequest, pk: int) -> HttpResponse:
    internship = get_internship_for_user(request, pk, write=True)
    form = forms.InternshipMonthForm(_data(request))
    if form.is_bound and form.is_valid():
        try:
            record = services.internship_month_record(
                user=request.user, internship=internship, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The month %(month)s is recorded: the stipend is %(stipend)s.")
            month = record.month.strftime("%m.%Y")
            messages.success(request, message % {"month": month, "stipend": money(record.stipend)})
            return redirect("pathways:internship_detail", internship.pk)
    context = {"form": form, "internship": internship, "project": internship.enrolment.project}
    return render(request, TEMPLATES + "internship_month_form.html", context)


@require_http_methods(["GET", "POST"])
def internship_finish(request: HttpRequest, pk: int) -> HttpResponse:
    internship = get_internship_for_user(request, pk, write=True)
    form = forms.InternshipFinishForm(_data(request), initial={"end_date": internship.end_date})
    if form.is_bound and form.is_valid():
        try:
            services.internship_finish(
                user=request.user, internship=internship, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The internship of %(name)s is closed.")
            messages.success(request, message % {"name": internship.enrolment.participant})
            return redirect("pathways:internship_detail", internship.pk)
    context = {"form": form, "internship": internship, "project": internship.enrolment.project}
    return render(request, TEMPLATES + "internship_finish_form.html", context)


# The catalogue of forms of support --------------------------------------------------


def catalogue_list(request: HttpRequest) -> HttpResponse:
    # Reference data shared by all projects, not personal data: anyone with a role reads it.
    if scope_for(request.user).is_empty:
        raise PermissionDenied
    if (back := lists.restore(request)) is not None:
        return back
    forms_of_support = SupportForm.objects.order_by("stage", "name")
    filterset = filters.SupportFormFilter(request.GET, queryset=forms_of_support, request=request)
    may_edit = request.user.has_perm(CATALOGUE)
    # Reference data of a few dozen rows: one page, sorted and filtered.
    table = lists.table(
        request, tables.SupportFormTable, filterset, per_page=None, may_edit=may_edit
    )
    kinds = dict(Organisation.Kind.choices)
    for support_form in lists.records(table):
        codes = support_form.provider_kinds
        support_form.providers = [kinds[code] for code in codes if code in kinds]
    context = {"filter": filterset, "table": table, "may_edit": may_edit}
    return render(request, TEMPLATES + "catalogue_list.html", context)


def _support_form_form(request: HttpRequest, support_form: SupportForm, title: str) -> HttpResponse:
    form = forms.SupportFormForm(_data(request), instance=support_form)
    if form.is_bound and form.is_valid():
        try:
            services.support_form_save(user=request.user, support_form=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The form of support %(name)s is saved.")
            messages.success(request, message % {"name": support_form})
            return redirect(lists.list_url(request, "pathways:catalogue"))
    return render(request, TEMPLATES + "catalogue_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def catalogue_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(CATALOGUE):
        raise PermissionDenied
    return _support_form_form(request, SupportForm(), _("New form of support"))


@require_http_methods(["GET", "POST"])
def catalogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(CATALOGUE):
        raise PermissionDenied
    support_form = get_object_or_404(SupportForm, pk=pk)
    return _support_form_form(request, support_form, _("Edit the form of support"))
