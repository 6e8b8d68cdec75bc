"""The list of when and for what a person's data was consulted (GDPR art. 15), for a
manager answering the person's request: a page and a CSV file to hand over."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aktywizacja import lists
from reporting.exports import BOM, CSV_DELIMITER, neutralise

from .access_log import access_history, access_record, may_see_access_history
from .filters import AccessHistoryFilter
from .models import AccessAction, AccessPurpose, Participant
from .tables import AccessHistoryTable

PAGE_SIZE = 50


def _participant(request: HttpRequest, pk: int) -> Participant:
    """The person, if in the user's scope (else 404) and the user answers for the
    project (else 403); reading the list is itself recorded, for this purpose."""
    participant = get_object_or_404(Participant.objects.for_user(request.user), pk=pk)
    if not may_see_access_history(request.user, participant):
        raise PermissionDenied
    access_record(
        [participant],
        action=AccessAction.VIEW,
        request=request,
        purpose=AccessPurpose.DATA_SUBJECT_REQUEST,
    )
    return participant


@require_GET
def access_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    if (back := lists.restore(request)) is not None:
        return back
    participant = _participant(request, pk)
    filterset = AccessHistoryFilter(request.GET, queryset=access_history(participant))
    table = lists.table(request, AccessHistoryTable, filterset, per_page=PAGE_SIZE)
    context = {"participant": participant, "filter": filterset, "table": table}
    return render(request, "participants/access_history.html", context)


def _who(event) -> str:
    if event.user is None:
        return _("system (command %(name)s)") % {"name": event.source}
    return event.user.get_full_name() or event.user.get_username()


@require_GET
def access_history_csv(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    header = [_("Time"), _("User"), _("Organisation"), _("Project"), _("Action"), _("Purpose")]
    writer.writerow(header)
    for event in access_history(participant).iterator():
        at = timezone.localtime(event.at)
        writer.writerow(
            neutralise(value)
            for value in [
                date_format(at, "SHORT_DATETIME_FORMAT"),
                _who(event),
                event.organisation.name if event.organisation else "",
                event.project.short_name if event.project else "",
                event.get_action_display(),
                event.get_purpose_display(),
            ]
        )
    response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"dostep-do-danych-{participant.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
