from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Project
from .scoping import scope_for
from .selectors import projects_for_home, quota_table


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
