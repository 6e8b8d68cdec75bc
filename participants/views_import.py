"""The screens of the participant import: upload, preview, confirm, history, template.

The work is done in the background (`participants.tasks`); these views store the
file, read the record and show where the run stands. Every record is fetched through
`ParticipantImport.objects.for_user` (404 outside the user's scope).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import tasks
from .forms_import import ImportUploadForm, limits
from .import_template import template_xlsx
from .models import ParticipantImport

PAGE_SIZE = 25
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
        return redirect(record)
    return render(request, "participants/import_upload.html", {"form": form, "limits": limits()})


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_import_for_user(request, pk)
    context = {
        "record": record,
        "Status": ParticipantImport.Status,
        "duration": _duration(record.duration),
        "errors_cut": len(record.errors) >= ParticipantImport.MAX_ERRORS,
    }
    return render(request, "participants/import_detail.html", context)


def _duration(delta: datetime.timedelta | None) -> str:
    if delta is None:
        return ""
    minutes, seconds = divmod(round(delta.total_seconds()), 60)
    if not minutes:
        return _("%(seconds)d s") % {"seconds": seconds}
    return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": seconds}


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_import_for_user(request, pk)
    try:
        tasks.import_accept(user=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(record)


def import_list(request: HttpRequest) -> HttpResponse:
    records = (
        ParticipantImport.objects.for_user(request.user)
        .select_related("project", "organisation", "created_by")
        .defer("content", "errors")
    )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "Status": ParticipantImport.Status,
    }
    return render(request, "participants/import_list.html", context)


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="wzor-importu-uczestnikow.xlsx"'
    return response
