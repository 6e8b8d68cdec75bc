"""The filters of the coordinators' lists (django-filter), their choices scoped to the user.

Every FilterSet narrows a queryset the view has already scoped: a choice outside the
user's scope is not offered, and a foreign id typed into the address is refused by the
form (a Polish message on the field) and so never widens anything."""

import calendar
import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aktywizacja.lists import ListFilterSet
from partners.models import Organisation, Project

from .models import Course, Employer, Internship, Referral, Stage, SupportForm


def _projects(request) -> QuerySet[Project]:
    return Project.objects.for_user(request.user).order_by("short_name")


def _partners(request) -> QuerySet[Organisation]:
    """The user's organisations and their partners in the projects the user sees."""
    return Organisation.objects.for_user(request.user).order_by("short_name")


def _employers(request) -> QuerySet[Employer]:
    # Firms shared by all projects, not personal data (see views_coordination.employer_edit).
    return Employer.objects.order_by("name", "pk")


class ReferralFilter(ListFilterSet):
    """People referred and not yet placed: by project, by who recruited them and by the
    partner they are referred to (the support they wait for: a course at Starostwo or
    PCE-ZSP, an internship)."""

    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, field_name="enrolment__project"
    )
    recruiting_organisation = django_filters.ModelChoiceFilter(
        label=_("Recruited by"),
        queryset=_partners,
        field_name="enrolment__recruiting_organisation",
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Referred to"), queryset=_partners, field_name="to_organisation"
    )

    class Meta:
        model = Referral
        fields: list[str] = []


class MonthInput(forms.DateInput):
    input_type = "month"


class InternshipFilter(ListFilterSet):
    """Internships by status, employer and a month they run in."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Internship.Status.choices)
    employer = django_filters.ModelChoiceFilter(label=_("Employer"), queryset=_employers)
    date = django_filters.DateFilter(
        label=_("Running in the month"),
        method="running_in",
        input_formats=["%Y-%m", "%m.%Y"],
        widget=MonthInput(format="%Y-%m"),
    )

    class Meta:
        model = Internship
        fields: list[str] = []

    def running_in(self, queryset, name: str, value: datetime.date):
        last = value.replace(day=calendar.monthrange(value.year, value.month)[1])
        return queryset.filter(start_date__lte=last, end_date__gte=value.replace(day=1))


class CourseFilter(ListFilterSet):
    """Courses by project, organiser, whether they are to come, running or over, and the
    dates they start between."""

    UPCOMING, RUNNING, FINISHED = "upcoming", "running", "finished"
    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects)
    provider = django_filters.ModelChoiceFilter(
        label=_("Organiser"), queryset=_partners, field_name="organiser"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="by_dates",
        choices=[
            (UPCOMING, _("Upcoming")),
            (RUNNING, pgettext_lazy("course", "Running")),
            (FINISHED, _("Finished")),
        ],
    )
    start = django_filters.DateFilter(
        label=_("Starting from"), field_name="start_date", lookup_expr="gte"
    )
    end = django_filters.DateFilter(
        label=_("Starting until"), field_name="start_date", lookup_expr="lte"
    )

    class Meta:
        model = Course
        fields: list[str] = []

    def by_dates(self, queryset, name: str, value: str):
        today = timezone.localdate()
        return queryset.filter(
            {
                self.UPCOMING: Q(start_date__gt=today),
                self.RUNNING: Q(start_date__lte=today, end_date__gte=today),
                self.FINISHED: Q(end_date__lt=today),
            }[value]
        )


class EmployerFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Name or NIP"), method="search", max_length=100)
    town = django_filters.CharFilter(
        label=_("Town"), field_name="town", lookup_expr="icontains", max_length=100
    )

    class Meta:
        model = Employer
        fields: list[str] = []

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(nip__contains=value.replace("-", "")))


class SupportFormFilter(ListFilterSet):
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=SupportForm.Category.choices
    )
    status = django_filters.BooleanFilter(
        label=_("In use"),
        field_name="is_active",
        widget=forms.Select(
            choices=[("", "---------"), ("true", _("yes")), ("false", _("no, retired"))]
        ),
    )

    class Meta:
        model = SupportForm
        fields: list[str] = []
