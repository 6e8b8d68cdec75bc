from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aktywizacja.forms import add_service_error

from . import services
from .forms import BudgetLineForm
from .models import BudgetLine, Project
from .scoping import scope_for
from .selectors import projects_for_home, quota_table
from .selectors_budget import budget_plan
from .services import MANAGE_BUDGET


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/home.html", {"projects": projects_for_home(request.user)})


def get_project_for_user(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise, never someone else's page."""
    return get_object_or_404(Project.objects.for_user(request.user), pk=pk)


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    partnerships = project.partnerships.select_related(
        "organisation", "organisation__local_government_unit"
    )
    scope = scope_for(request.user)
    return render(
        request,
        "partners/project_detail.html",
        {
            "project": project,
            "partnerships": partnerships,
            "communes": project.communes.all(),
            "quota_groups": quota_table(project),
            # whose reserve lists the user may open: the link would 404 for the others
            "reserve_visible": {
                p.organisation_id
                for p in partnerships
                if scope.sees_recruits_of(project.pk, p.organisation_id)
            },
        },
    )


# The budget plan ---------------------------------------------------------------------


def budget(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget plan: whole for the project's managers and auditors, the user's own
    organisations' lines for partner staff (read-only)."""
    project = get_project_for_user(request, pk)
    scope = scope_for(request.user)
    whole = scope.sees_everything or project.pk in scope.full_project_ids
    context = {
        "project": project,
        "plan": budget_plan(project, None if whole else scope.organisation_ids),
        "may_manage": request.user.has_perm(MANAGE_BUDGET, project),
    }
    return render(request, "partners/budget.html", context)


def _managed_project(request: HttpRequest, pk: int) -> Project:
    """The project if the user sees it (404 otherwise) and manages its budget (403)."""
    project = get_project_for_user(request, pk)
    if not request.user.has_perm(MANAGE_BUDGET, project):
        raise PermissionDenied
    return project


def _managed_line(request: HttpRequest, pk: int, line_pk: int) -> BudgetLine:
    project = _managed_project(request, pk)
    line = get_object_or_404(project.budget_lines.select_related("organisation"), pk=line_pk)
    line.project = project
    return line


def _budget_line_form(request: HttpRequest, line: BudgetLine, title: str) -> HttpResponse:
    project = line.project
    initial = {}
    if line.pk is None and request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    data = request.POST if request.method == "POST" else None
    form = BudgetLineForm(data, project=project, instance=line, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.budget_line_save(user=request.user, line=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            message = _("The budget line %(line)s is saved.")
            messages.success(request, message % {"line": line})
            return redirect("partners:budget", project.pk)
    paid = services.budget_line_paid(line) if line.pk else None
    context = {"project": project, "form": form, "title": title, "line": line, "paid": paid}
    return render(request, "partners/budget_line_form.html", context)


@require_http_methods(["GET", "POST"])
def budget_line_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = _managed_project(request, pk)
    return _budget_line_form(request, BudgetLine(project=project), _("New budget line"))


@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    line = _managed_line(request, pk, line_pk)
    return _budget_line_form(request, line, _("Edit the budget line"))


@require_http_methods(["GET", "POST"])
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """GET asks to confirm; only POST deletes."""
    line = _managed_line(request, pk, line_pk)
    if request.method == "POST":
        try:
            services.budget_line_delete(user=request.user, line=line)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The budget line %(line)s is deleted.") % {"line": line})
        return redirect("partners:budget", line.project.pk)
    context = {"project": line.project, "line": line, "has_payments": line.payments.exists()}
    return render(request, "partners/budget_line_delete.html", context)
