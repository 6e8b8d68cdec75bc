"""The exports page, the participant list files and the data-quality check.

Each view fetches the project through `get_project_for_user` (404 outside scope) and
reads its parameters with the report form (`selection_from_request`): every file holds
only what the selection, and so the user, may see.
"""

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from participants.access_log import access_record, access_shown
from participants.models import AccessAction
from partners.models import Project
from partners.views import get_project_for_user

from .downloads import mark_download, without_token
from .exports import (
    csv_lines,
    participants_exported,
    participants_queryset,
    write_participants_xlsx,
)
from .forms import selection_from_request
from .funder import FUNDER_COLUMNS
from .quality import quality_check
from .selection import Selection

QUALITY_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(request: HttpRequest) -> str:
    """The selection's query string, to carry to the other pages and files."""
    query = without_token(request.GET)
    query.pop("page", None)
    return query.urlencode()


def _exports_url(request: HttpRequest, project: Project) -> str:
    url, query = reverse("reporting:exports", args=[project.pk]), _query(request)
    return f"{url}?{query}" if query else url


def _filename(project: Project, extension: str) -> str:
    name = slugify(pgettext("file name", "participants"))
    return f"{name}-{project.short_name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download_selection(request: HttpRequest, project: Project) -> Selection | None:
    """The selection of a download, or None (with a message saying why) when it is
    invalid or holds nobody: no empty file is ever made."""
    form = selection_from_request(request, project)
    if form.selection is None:
        errors = [message for messages_ in form.errors.values() for message in messages_]
        messages.error(
            request,
            _("The file was not made: correct the selection. %(errors)s")
            % {"errors": " ".join(errors)},
        )
        return None
    if not participants_queryset(form.selection).exists():
        messages.error(
            request,
            _(
                "The file was not made: nobody in this selection has received support "
                "in the period."
            ),
        )
        return None
    return form.selection


def _record_export(request: HttpRequest, selection: Selection) -> None:
    access_record(
        participants_exported(selection),
        action=AccessAction.EXPORT,
        request=request,
        project=selection.project,
    )


@require_GET
def exports(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    form = selection_from_request(request, project)
    context = {
        "project": project,
        "form": form,
        "selection": form.selection,
        "query": _query(request),
    }
    if form.selection is not None:
        context["participants"] = participants_queryset(form.selection).count()
        context["columns"] = len(FUNDER_COLUMNS)
        context["quality"] = quality_check(form.selection)
    return render(request, "reporting/exports.html", context)


@require_GET
def participants_csv(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    selection = _download_selection(request, project)
    if selection is None:
        return redirect(_exports_url(request, project))
    _record_export(request, selection)
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in csv_lines(selection)),
        content_type="text/csv; charset=utf-8",
    )
    filename = _filename(project, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return mark_download(request, response)


@require_GET
def participants_xlsx(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    selection = _download_selection(request, project)
    if selection is None:
        return redirect(_exports_url(request, project))
    _record_export(request, selection)
    # Written to a temporary file, not to memory; deleted when the response is closed.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_participants_xlsx(selection, file)
    file.seek(0)
    response = FileResponse(
        file, as_attachment=True, filename=_filename(project, "xlsx"), content_type=XLSX
    )
    return mark_download(request, response)


@require_GET
def quality(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    form = selection_from_request(request, project)
    context = {
        "project": project,
        "form": form,
        "selection": form.selection,
        "query": _query(request),
    }
    if form.selection is not None:
        report = quality_check(form.selection)
        page = Paginator(report.entries, QUALITY_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = [entry.enrolment.participant_id for entry in page]
        access_shown(request, shown, project=project, listing=True)
        context |= {
            "quality": report,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        }
    return render(request, "reporting/quality.html", context)
