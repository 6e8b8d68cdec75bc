"""Every URL pattern of the project, and what each path parameter names.

The walks over all views (anonymous visitors, other partners' objects, XSS payloads)
share this module. `PARAMETERS` says, for each URL name with path parameters, which
model each parameter is a primary key of; a test that walks the URLs fails when a new
pattern is missing here, so a new view is covered the day it is added.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from participants.models import Enrolment, Participant, ParticipantImport
from partners.models import BudgetLine, Organisation, Project
from pathways.models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    PathwayGoal,
    Session,
    SupportForm,
)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (f"{namespace}{entry.name}" if entry.name else None)


#: (route, URL name) of every pattern, sorted by route; the admin's included.
ALL_PATTERNS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda p: p[0])

#: Our own views: every pattern outside the Django admin.
OWN_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if not route.startswith("admin/")]

_PROJECT = {"project_pk": Project}

#: URL name → {path parameter: the model whose primary key it takes}.
PARAMETERS: dict[str, dict[str, type]] = {
    "partners:project_detail": {"pk": Project},
    "partners:budget": {"pk": Project},
    "partners:budget_line_new": {"pk": Project},
    "partners:budget_line_edit": {"pk": Project, "line_pk": BudgetLine},
    "partners:budget_line_delete": {"pk": Project, "line_pk": BudgetLine},
    "reporting:dashboard": _PROJECT,
    "reporting:exports": _PROJECT,
    "reporting:participants_csv": _PROJECT,
    "reporting:participants_xlsx": _PROJECT,
    "reporting:quality": _PROJECT,
    "reporting:report": _PROJECT,
    "reporting:report_xlsx": _PROJECT,
    "reporting:report_pdf": _PROJECT,
    "participants:detail": {"pk": Participant},
    "participants:edit": {"pk": Participant},
    "participants:access_history": {"pk": Participant},
    "participants:access_history_csv": {"pk": Participant},
    "participants:import_detail": {"pk": ParticipantImport},
    "participants:import_confirm": {"pk": ParticipantImport},
    "participants:import_progress": {"pk": ParticipantImport},
    "participants:reserve_list": {"project_pk": Project, "organisation_pk": Organisation},
    "participants:qualify": {"pk": Enrolment},
    "participants:reject": {"pk": Enrolment},
    "participants:override": {"pk": Enrolment},
    "participants:consent": {"pk": Enrolment},
    "participants:start_support": {"pk": Enrolment},
    "participants:resign": {"pk": Enrolment},
    "participants:exit": {"pk": Enrolment},
    "participants:follow_up": {"pk": Enrolment},
    "pathways:detail": {"pk": Enrolment},
    "pathways:edit": {"pk": Enrolment},
    "pathways:goal_add": {"pk": Enrolment},
    "pathways:plan_add": {"pk": Enrolment},
    "pathways:refer": {"pk": Enrolment},
    "pathways:payment_add": {"pk": Enrolment},
    "pathways:goal_status": {"pk": PathwayGoal},
    "pathways:session_detail": {"pk": Session},
    "pathways:course_detail": {"pk": Course},
    "pathways:course_assign": {"pk": Course},
    "pathways:certificate": {"pk": CourseParticipation},
    "pathways:employer_edit": {"pk": Employer},
    "pathways:catalogue_edit": {"pk": SupportForm},
    "pathways:medical_exam_add": {"pk": Enrolment},
    "pathways:internship_new": {"pk": Enrolment},
    "pathways:internship_detail": {"pk": Internship},
    "pathways:internship_month_add": {"pk": Internship},
    "pathways:internship_finish": {"pk": Internship},
}

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def parameter_names(route: str) -> list[str]:
    return _PARAMETER.findall(route)


def path_for(route: str, values: dict[str, object]) -> str:
    """The concrete path of `route` with each parameter taken from `values` (objects
    or raw values; an object gives its primary key)."""

    def fill(match):
        value = values[match.group(1)]
        return str(getattr(value, "pk", value))

    return "/" + _PARAMETER.sub(fill, route)


#: A value for each parameter of the admin's and Django's own patterns, by name.
ADMIN_SAMPLE = {"app_label": "partners", "url": "x"}
_REGEX_GROUP = re.compile(r"\((?:\?P<(\w+)>)?[^)]*\)")


def example_path(route: str, values: dict[str, object] | None = None) -> str:
    """A concrete path for any pattern, the admin's regular expressions included: each
    parameter from `values` (objects or raw values), else from ADMIN_SAMPLE, else 1."""
    known = ADMIN_SAMPLE | (values or {})

    def value(name: str | None) -> str:
        chosen = known.get(name, "1") if name else "1"
        return str(getattr(chosen, "pk", chosen))

    path = _REGEX_GROUP.sub(lambda m: value(m.group(1)), route)
    path = _PARAMETER.sub(lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def missing_parameters() -> list[str]:
    """URL names of our own views whose path parameters `PARAMETERS` does not describe."""
    missing = []
    for route, name in OWN_PATTERNS:
        names = parameter_names(route)
        if names and set(PARAMETERS.get(name, {})) != set(names):
            missing.append(name or route)
    return missing


#: every query parameter our views read (the escaping and fuzzing walks send them)
QUERY_PARAMETERS = (
    "q",
    "page",
    "tab",
    "next",
    "enrolment",
    "organisation",
    "course",
    "start",
    "end",
    "project",
    "provider",
    "support_form",
    "date",
    "status",
    "recruiting_organisation",
    # the lists' sort, reset and filters (aktywizacja/lists.py, */filters.py)
    "sort",
    "reset",
    "commune",
    "town",
    "employer",
    "category",
    "stage",
    "action",
    "purpose",
    "download_token",
)
