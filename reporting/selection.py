"""What a report is about: a project, optionally one recruiting partner and a period,
seen through the eyes of one user (or of the system, for scheduled exports).

Every report, dashboard and export starts from a `Selection`: its `enrolments()` are
already scoped by `Enrolment.objects.for_user`, so no report can show more than
the user may see.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from participants.models import Enrolment
from partners.models import BudgetLine, Organisation, Project
from partners.scoping import scope_for


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Selection:
    project: Project
    #: a recruiting partner, or None for every participant the viewer may see
    organisation: Organisation | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    #: the user the figures are for; None for the system (management commands)
    user: object | None = None

    @property
    def sees_whole_project(self) -> bool:
        return self.user is None or self.project.pk in scope_for(self.user).full_project_ids

    @property
    def first_day(self) -> datetime.date:
        return self.start or self.project.start_date

    @property
    def last_day(self) -> datetime.date:
        return self.end or self.project.end_date

    def enrolments(self):
        """The enrolments of the project the viewer may see, of the chosen partner."""
        enrolments = Enrolment.objects.all()
        if self.user is not None:
            enrolments = Enrolment.objects.for_user(self.user)
        enrolments = enrolments.filter(project=self.project)
        if self.organisation is not None:
            enrolments = enrolments.filter(recruiting_organisation=self.organisation)
        return enrolments

    def budget_lines(self):
        """The project's budget lines: all of them for those who see the whole project,
        else those of the viewer's own organisations."""
        lines = BudgetLine.objects.filter(project=self.project)
        if not self.sees_whole_project:
            lines = lines.filter(organisation_id__in=scope_for(self.user).organisation_ids)
        if self.organisation is not None:
            lines = lines.filter(organisation=self.organisation)
        return lines

    def in_period(self, field: str) -> dict:
        """Filter arguments: `field` set and within the period (open ends allowed)."""
        conditions = {f"{field}__isnull": False}
        if self.start:
            conditions[f"{field}__gte"] = self.start
        if self.end:
            conditions[f"{field}__lte"] = self.end
        return conditions

    def period_label(self) -> str:
        return f"{_day(self.first_day)}–{_day(self.last_day)}"


def selection_make(
    *,
    user,
    project: Project,
    organisation: Organisation | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Selection:
    """Check a report's parameters and return its selection.

    The project must be one the user sees (callers fetch it through
    `Project.objects.for_user`, so outside scope is 404 before this). A partner can be
    chosen only by those who see the whole project; the others always see their own.
    """
    errors = {}
    # A report's months are drawn one by one: a typo such as 01.01.0201 would make
    # thousands of them (and 9999 has no month after it). The project's years and the
    # year after them (the follow-ups) are the periods a report can be about.
    earliest = datetime.date(project.start_date.year, 1, 1)
    latest = datetime.date(project.end_date.year + 1, 12, 31)
    for name, day in (("start", start), ("end", end)):
        if day and not earliest <= day <= latest:
            errors[name] = ValidationError(
                _("Enter a date from %(first)s to %(last)s: the project's years or the year after.")
                % {"first": _day(earliest), "last": _day(latest)},
                code="outside_project",
            )
    if start and end and end < start:
        errors["end"] = ValidationError(
            _("The period cannot end before it starts."), code="period_order"
        )
    if organisation is not None:
        if user is not None and project.pk not in scope_for(user).full_project_ids:
            raise PermissionDenied(_("You see the figures of your own organisation only."))
        if not project.has_partner(organisation):
            errors["organisation"] = ValidationError(
                _("This organisation is not a partner of the project."), code="not_partner"
            )
    if errors:
        raise ValidationError(errors)
    return Selection(project=project, organisation=organisation, start=start, end=end, user=user)
