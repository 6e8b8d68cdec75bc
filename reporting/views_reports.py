"""The indicators-and-budget report of a project: a page, and the same as XLSX and PDF.

The project is fetched within the user's scope (404 outside it) and the figures come
from a `Selection` made for the user, so a social worker's report holds their own
organisation's figures only. A file is made only from a valid selection: otherwise
the user goes back to the report page, with the same query string, and is told why.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from partners.models import Project
from partners.views import get_project_for_user

from .budget import budget_compute
from .downloads import mark_download, without_token
from .forms import SelectionForm, selection_from_request
from .indicators import indicators_compute
from .report_files import PdfUnavailable, report_pdf, report_xlsx_bytes
from .selection import Selection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(request: HttpRequest) -> str:
    query = without_token(request.GET)
    return f"?{query.urlencode()}" if query else ""


def _back_to_report(request: HttpRequest, project: Project) -> HttpResponse:
    return redirect(reverse("reporting:report", args=[project.pk]) + _query(request))


def _file_selection(request: HttpRequest, project: Project) -> Selection | None:
    """The selection of a file download, or None after telling the user what is wrong."""
    form = selection_from_request(request, project)
    if form.selection is None:
        reasons = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, _("The report was not made. %(reasons)s") % {"reasons": reasons})
    return form.selection


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _filename(selection: Selection, extension: str) -> str:
    return f"wskazniki-{selection.project.short_name}-{timezone.localdate():%Y-%m-%d}.{extension}"


def report(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    form: SelectionForm = selection_from_request(request, project)
    context = {"project": project, "form": form, "query": _query(request)}
    if form.selection is not None:
        context["indicators"] = indicators_compute(form.selection)
        context["budget"] = budget_compute(form.selection)
    return render(request, "reporting/report.html", context)


def report_xlsx(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    selection = _file_selection(request, project)
    if selection is None:
        return _back_to_report(request, project)
    response = _attachment(report_xlsx_bytes(selection), XLSX, _filename(selection, "xlsx"))
    return mark_download(request, response)


def report_pdf_view(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    selection = _file_selection(request, project)
    if selection is None:
        return _back_to_report(request, project)
    try:
        content = report_pdf(selection)
    except PdfUnavailable:
        messages.error(
            request,
            _(
                "The PDF cannot be made: the PDF library is not installed on the server. "
                "Download the XLSX file or ask the administrator."
            ),
        )
        return _back_to_report(request, project)
    response = _attachment(content, "application/pdf", _filename(selection, "pdf"))
    return mark_download(request, response)
