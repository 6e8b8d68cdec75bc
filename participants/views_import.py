"""The screens of the participant import: upload, preview, confirm, history, template.

The work is done in the background (`participants.tasks`); these views store the
file, read the record and show where the run stands. Every record is fetched through
`ParticipantImport.objects.for_user` (404 outside the user's scope).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from aktywizacja import lists
from aktywizacja.confirm import Confirmation, render_confirmation

from . import tasks
from .filters import ImportFilter
from .forms_import import ImportUploadForm, limits
from .import_template import template_xlsx
from .models import ParticipantImport
from .tables import ImportTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_import_for_user(request: HttpRequest, pk: int) -> ParticipantImport:
    """The record if the user may see it; 404 otherwise. The file's bytes stay unread."""
    return get_object_or_404(
        ParticipantImport.objects.for_user(request.user)
        .select_related("project", "organisation", "created_by")
        .defer("content"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    post = request.method == "POST"
    form = ImportUploadForm(
        request.POST if post else None, request.FILES if post else None, user=request.user
    )
    if not form.pairs:
        raise PermissionDenied
    if form.is_bound and form.is_valid():
        record = tasks.import_upload(
            user=request.user,
            project=form.cleaned_data["project"],
            organisation=form.cleaned_data["organisation"],
            file_name=form.cleaned_data["file"].name,
            content=form.content,
            rows_total=len(form.table),
        )
        messages.success(
            request,
            _("The file %(name)s is uploaded; its rows are being checked, nothing is written yet.")
            % {"name": record.file_name},
        )
        return redirect(record)
    return render(request, "participants/import_upload.html", {"form": form, "limits": limits()})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_import_for_user(request, pk)
    context = {
        "record": record,
        "Status": ParticipantImport.Status,
        "duration": _duration(record.duration),
        "errors_cut": len(record.errors) >= ParticipantImport.MAX_ERRORS,
        "progress_text": progress_text(record),
    }
    return render(request, "participants/import_detail.html", context)


def progress_text(record: ParticipantImport) -> str:
    """Where the run stands, in one sentence (the page's live region says it)."""
    Status = ParticipantImport.Status
    if record.status == Status.UPLOADED:
        return _("The file waits for the background worker.")
    values = {"done": record.rows_done, "total": record.rows_total}
    if record.status == Status.PREVIEWING:
        return (
            ngettext(
                "Checked %(done)d of %(total)d row.",
                "Checked %(done)d of %(total)d rows.",
                values["total"],
            )
            % values
        )
    if record.status == Status.IMPORTING:
        return (
            ngettext(
                "Imported %(done)d of %(total)d row.",
                "Imported %(done)d of %(total)d rows.",
                values["total"],
            )
            % values
        )
    return _("Finished: %(status)s.") % {"status": record.get_status_display()}


@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The run's progress for the page's script: counts and status only, no personal data,
    so nothing goes to the access log. Scoped like the page (404 outside)."""
    record = get_import_for_user(request, pk)
    response = JsonResponse(
        {
            "running": record.is_running,
            "status": record.status,
            "done": record.rows_done,
            "total": record.rows_total,
            "text": progress_text(record),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _duration(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return ""
    minutes, seconds = divmod(round(delta.total_seconds()), 60)
    if not minutes:
        return _("%(seconds)d s") % {"seconds": seconds}
    return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": seconds}


@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the import will write, and the button that starts it (POST)."""
    record = get_import_for_user(request, pk)
    if request.method == "GET":
        tasks.require_may_accept(user=request.user, record=record)
        if not record.may_be_confirmed:
            return redirect(record)
        return render_confirmation(request, _import_confirmation(record))
    try:
        tasks.import_accept(user=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The import of %(name)s has started.") % {"name": record.file_name}
        )
    return redirect(record)


def _import_confirmation(record: ParticipantImport) -> Confirmation:
    counts = {"new": record.new, "updated": record.updated, "unchanged": record.unchanged}
    names = {"project": record.project.short_name, "organisation": record.organisation.short_name}
    return Confirmation(
        title=_("Import the file"),
        subject=f"{record.file_name} · {names['project']} · {names['organisation']}",
        consequences=[
            _("New people: %(new)d; people updated: %(updated)d; unchanged: %(unchanged)d.")
            % counts,
            _("They are enrolled in %(project)s, recruited by %(organisation)s.") % names,
            _("The import cannot be undone here: a wrong row has to be corrected by hand."),
        ],
        confirm_label=ngettext(
            "Import %(counter)s row", "Import %(counter)s rows", record.rows_total
        )
        % {"counter": record.rows_total},
        back_url=record.get_absolute_url(),
        trail=[
            (reverse("participants:import_list"), _("Import history")),
            (record.get_absolute_url(), record.file_name),
        ],
    )


def import_list(request: HttpRequest) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    records = (
        ParticipantImport.objects.for_user(request.user)
        .select_related("project", "organisation", "created_by")
        .defer("content", "errors")
        .order_by("-created_at", "-pk")
    )
    filterset = ImportFilter(request.GET, queryset=records, request=request)
    table = lists.table(request, ImportTable, filterset)
    return render(request, "participants/import_list.html", {"filter": filterset, "table": table})


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="wzor-importu-uczestnikow.xlsx"'
    return response
