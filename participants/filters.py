"""The participant list's search and filters (django-filter), scoped to the user."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aktywizacja.lists import ListFilterSet
from partners.models import Commune, Organisation, Project

from .models import AccessAction, AccessPurpose, Enrolment, ParticipantImport


def _projects(request) -> QuerySet[Project]:
    return Project.objects.for_user(request.user).order_by("short_name")


def _organisations(request) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(request.user).order_by("short_name")


def _communes(request) -> QuerySet[Commune]:
    """The communes of the areas of the user's projects: where their people live."""
    projects = Project.objects.for_user(request.user)
    return Commune.objects.filter(projects__in=projects).distinct().order_by("name")


class ParticipantFilter(ListFilterSet):
    """Search by name or PESEL; project, organisation and status of an enrolment.

    The three enrolment filters apply together to one enrolment the user may see
    (a person in support in one project and rejected in another is not "in support
    in the other"), so `filter_queryset` applies them at once rather than one by one.
    """

    q = django_filters.CharFilter(
        label=_("Surname, first name or PESEL"), method="search", max_length=100
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, method="by_enrolment"
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Recruiting organisation"), queryset=_organisations, method="by_enrolment"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Enrolment.Status.choices, method="by_enrolment"
    )
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=_communes)

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        digits = value.replace(" ", "")
        if digits.isdigit():
            return queryset.filter(pesel__startswith=digits)
        for word in value.split():
            queryset = queryset.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
        return queryset

    def by_enrolment(self, queryset, name: str, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        wanted = {
            "project": data.get("project"),
            "recruiting_organisation": data.get("organisation"),
            "status": data.get("status"),
        }
        wanted = {key: value for key, value in wanted.items() if value}
        if wanted:
            visible = Enrolment.objects.for_user(self.request.user).filter(**wanted)
            queryset = queryset.filter(pk__in=visible.values("participant_id"))
        return queryset


def _date_range(field: str) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    return (
        django_filters.DateFilter(field_name=field, lookup_expr="date__gte", label=_("From")),
        django_filters.DateFilter(field_name=field, lookup_expr="date__lte", label=_("Until")),
    )


class ImportFilter(ListFilterSet):
    """The import history by project, result and upload date."""

    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects)
    status = django_filters.ChoiceFilter(
        label=_("Result"), choices=ParticipantImport.Status.choices
    )
    start, end = _date_range("created_at")


class AccessHistoryFilter(ListFilterSet):
    """Who consulted a person's data: by action, purpose and date."""

    action = django_filters.ChoiceFilter(label=_("Action"), choices=AccessAction.choices)
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=AccessPurpose.choices)
    start, end = _date_range("at")
