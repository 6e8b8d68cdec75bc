"""The parameters every report shares: a period and, for those who see the whole
project, one recruiting partner. Read from the query string (GET), so a report's
address can be bookmarked and shared."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from aktywizacja.forms import add_service_error, date_field
from partners.models import Organisation, PlaceKind, Project

from .selection import Selection, selection_make


class SelectionForm(forms.Form):
    start = date_field(_("from"), required=False)
    end = date_field(_("until"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("all partners"),
    )

    def __init__(self, *args, project: Project, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project, self.user = project, user
        self.selection: Selection | None = None
        if Selection(project=project, user=user).sees_whole_project:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                quotas__project=project, quotas__place_kind=PlaceKind.SOCIAL_ACTIVATION
            ).order_by("short_name")
        else:
            del self.fields["organisation"]  # they always see their own organisation's

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.selection = selection_make(
                user=self.user,
                project=self.project,
                organisation=cleaned.get("organisation"),
                start=cleaned.get("start"),
                end=cleaned.get("end"),
            )
        except ValidationError as error:
            add_service_error(self, error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return cleaned


def selection_from_request(request: HttpRequest, project: Project) -> SelectionForm:
    """The report form bound to the query string; its `selection` is set when valid.
    An empty query string is valid: the whole project, every partner."""
    form = SelectionForm(request.GET or None, project=project, user=request.user)
    if not request.GET:
        form.selection = Selection(project=project, user=request.user)
    else:
        form.is_valid()
    return form
