"""Proven scope: every URL of the project, sent other partners' objects.

For every pattern with path parameters (`tests/urlwalk.py`) and every persona, each
parameter is filled with an object of another partner (`tests/scope_world.py`) — and
the test first proves the object is outside the persona's scope, with the querysets
and selectors the views use. GET, POST with the body the screen's form takes, and an
empty POST all answer 404 (403 only where the persona sees the project or person but
may not act there; 405 where the view does not take the method), and the database is
unchanged to the last row, the access log included.

Pages without parameters are opened with other partners' ids and names in the query
string, and forms that take ids in their body are sent other partners' ids: no other
partner's person shows, nothing is written. A new URL pattern fails the walk until
`urlwalk.PARAMETERS` names its parameters' models and the walk knows what its form
takes (`scope_world.BODIES`) or that it is a page (`PAGES`).
"""

import io
import re
from collections.abc import Callable
from urllib.parse import urlencode, urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import Enrolment, Participant, ParticipantImport
from partners.models import BudgetLine, Organisation, Project
from partners.scoping import scope_for
from pathways import selectors_coordination
from pathways.models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    PathwayGoal,
    Session,
    SupportForm,
)
from pathways.views import get_session_for_user
from tests.scope_world import (
    BODIES,
    PartnerSet,
    ScopeWorld,
    changed_tables,
    form_body,
    snapshot,
)
from tests.urlwalk import (
    ALL_PATTERNS,
    OWN_PATTERNS,
    PARAMETERS,
    example_path,
    missing_parameters,
    parameter_names,
    path_for,
)

#: The personas walked, each with other partners' objects (`FOREIGN_SETS`): the four
#: roles. The social worker of the other project meets the Lębork objects in the forms
#: sent foreign ids below; the user without a role is left to the role matrix and the
#: anonymous visitor to test_login_required.py (refused before any lookup).
PERSONAS = ["sw_lebork", "coordinator", "manager", "auditor"]
#: Each persona's own partner set, for the cases that mix an own object with a
#: foreign one.
HOME_SET = {
    "sw_lebork": "own",
    "coordinator": "own",
    "manager": "own",
    "auditor": "own",
    "sw_leszno": "leszno",
}

WITH_PARAMETERS = [(route, name) for route, name in OWN_PATTERNS if parameter_names(route)]
WITHOUT_PARAMETERS = [(route, name) for route, name in OWN_PATTERNS if not parameter_names(route)]

#: Registries shared by all projects, owned by no partner: their objects cannot be
#: another partner's. Checked instead: who lacks the permission gets 403, who holds it
#: may only send a valid form (see `test_a_shared_registry_...`).
SHARED = {
    "pathways:employer_edit": (
        Employer,
        "pathways.manage_employers",
        "employers are firms hosting internships for every project, not personal data",
    ),
    "pathways:catalogue_edit": (
        SupportForm,
        "pathways.manage_catalogue",
        "the catalogue of forms of support is one list for all projects",
    ),
}

#: Views that take one method only: the other answers 405 before anything is read.
ONLY_POST = {
    "participants:qualify",
    "pathways:goal_add",
    "pathways:goal_status",
}
ONLY_GET = {
    "participants:access_history",
    "participants:access_history_csv",
    "participants:import_progress",
    "reporting:exports",
    "reporting:participants_csv",
    "reporting:participants_xlsx",
    "reporting:quality",
}

# The samples ---------------------------------------------------------------------------

#: The state of the enrolment each screen acts on (default: in support, with a pathway).
ENROLMENT_STATE = {
    "participants:qualify": "candidate",
    "participants:reject": "candidate",
    "participants:override": "ineligible",
    "participants:consent": "candidate",
    "participants:start_support": "qualified",
    "participants:resign": "qualified",
    "participants:follow_up": "finished",
    "pathways:medical_exam_add": "referred",
    "pathways:internship_new": "referred",
}


def sample(s: PartnerSet, model: type, url_name: str):
    """The object of partner set `s` that the URL takes for a parameter of `model`."""
    return {
        Project: s.project,
        Organisation: s.organisation,
        Participant: s.participant,
        Enrolment: s.enrolments[ENROLMENT_STATE.get(url_name, "in_support")],
        ParticipantImport: s.participant_import,
        BudgetLine: s.budget_line,
        PathwayGoal: s.goal,
        Session: s.session,
        Course: s.course,
        CourseParticipation: s.course_participation,
        Internship: s.internship,
    }[model]


def visible(user, obj) -> bool:
    """Whether `user` may see `obj`: the querysets and selectors the views fetch with."""
    scope = scope_for(user)
    if isinstance(obj, Project | Participant | Enrolment | ParticipantImport | Organisation):
        return type(obj).objects.for_user(user).filter(pk=obj.pk).exists()
    if isinstance(obj, PathwayGoal):
        return Enrolment.objects.for_user(user).filter(pk=obj.pathway.enrolment_id).exists()
    if isinstance(obj, Course | CourseParticipation):
        course_id = obj.pk if isinstance(obj, Course) else obj.course_id
        return selectors_coordination.courses_for_user(user).filter(pk=course_id).exists()
    if isinstance(obj, Internship):
        return selectors_coordination.internships_for_user(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Session):
        request = RequestFactory().get("/")
        request.user = user
        try:
            get_session_for_user(request, obj.pk)
        except Http404:
            return False
        return True
    if isinstance(obj, BudgetLine):  # the budget plan: whole, or the own partners' lines
        whole = scope.sees_everything or obj.project_id in scope.full_project_ids
        return visible(user, obj.project) and (
            whole or obj.organisation_id in scope.organisation_ids
        )
    raise AssertionError(f"no visibility rule for {type(obj).__name__}")


def target_visible(user, url_name: str, values: dict) -> bool:
    """Whether the object the URL is about (its last parameter) is in the user's scope."""
    if url_name == "participants:reserve_list":  # a partner's people in a project
        project, organisation = values["project_pk"], values["organisation_pk"]
        return visible(user, project) and scope_for(user).sees_recruits_of(
            project.pk, organisation.pk
        )
    return visible(user, values[list(values)[-1]])


def cases(sw: ScopeWorld, route: str, name: str, persona: str) -> list[tuple[PartnerSet, dict]]:
    """The parameter values to send `persona` to, with the foreign partner set they
    come from: its objects; for several parameters, also the persona's own container
    (a project they see) holding the foreign object."""
    user = sw.users[persona]
    models = PARAMETERS[name]
    found: list[tuple[PartnerSet, dict]] = []
    for s in sw.foreign_sets(persona):
        values = {parameter: sample(s, model, name) for parameter, model in models.items()}
        candidates = [values]
        if len(models) > 1:
            own = sw.sets[HOME_SET[persona]]
            target = list(models)[-1]
            candidates.append(
                {p: values[p] if p == target else sample(own, m, name) for p, m in models.items()}
            )
        for candidate in candidates:
            if (s, candidate) not in found and not target_visible(user, name, candidate):
                found.append((s, candidate))
    return found


#: URLs with parameters whose views only show (an empty POST is all they are sent).
PAGES = {
    "partners:project_detail",
    "partners:budget",
    "participants:detail",
    "participants:access_history",
    "participants:access_history_csv",
    "participants:import_detail",
    "participants:import_progress",
    "participants:reserve_list",
    "pathways:detail",
    "pathways:session_detail",
    "pathways:course_detail",
    "pathways:internship_detail",
    "reporting:dashboard",
    "reporting:exports",
    "reporting:participants_csv",
    "reporting:participants_xlsx",
    "reporting:quality",
    "reporting:report",
    "reporting:report_xlsx",
    "reporting:report_pdf",
}


# Requests and what they may answer ----------------------------------------------------


def body_of(response) -> str:
    """The text of a response, whatever it is: a page, a CSV, an XLSX file's cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if kind.startswith("application/pdf"):
        return ""  # the report PDF holds figures only; its text is not extracted here
    return content.decode("utf-8", errors="replace")


def leaked(text: str, people: list[Participant]) -> list[str]:
    """The names and PESELs of `people` that appear in `text`."""
    found = []
    for person in people:
        for value in (person.last_name, person.first_name, person.pesel):
            if value and value in text:
                found.append(value)
    return found


def allowed_statuses(name: str, method: str, sees_part: bool) -> set[int]:
    """404; 403 when the persona sees something of the URL (`sees_part`: the project,
    the person) but may not act there; 405 for a method the view does not take."""
    statuses = {404}
    if sees_part:
        statuses.add(403)
    if (method == "GET" and name in ONLY_POST) or (method == "POST" and name in ONLY_GET):
        statuses.add(405)
    return statuses


# The walk over URLs with parameters ------------------------------------------------------


def test_every_url_with_parameters_says_what_its_parameters_are():
    assert missing_parameters() == [], (
        "Name the model of each path parameter in tests/urlwalk.py PARAMETERS"
    )


def test_every_url_with_parameters_has_a_body_or_is_a_page():
    names = {name for _route, name in WITH_PARAMETERS}
    unknown = names - set(BODIES) - PAGES - set(SHARED)
    assert not unknown, (
        f"Give these a plausible POST body (BODIES) or list them in PAGES: {unknown}"
    )
    assert not (set(BODIES) | PAGES | set(SHARED)) - names, "stale names in BODIES or PAGES"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("route", "name"),
    [p for p in WITH_PARAMETERS if p[1] not in SHARED],
    ids=[p[1] for p in WITH_PARAMETERS if p[1] not in SHARED],
)
def test_another_partners_object_is_out_of_reach(scope_world, login, route, name, persona):
    sw = scope_world
    user = sw.users[persona]
    found = cases(sw, route, name, persona)
    assert found, f"{name}: no object of another partner is outside {persona}'s scope"
    client = login(user)
    people = sw.foreign_people(persona)
    failures, sent = [], []
    before = snapshot()  # once for all the requests: a snapshot per request doubles the time
    for owner, values in found:
        path = path_for(route, values)
        requests = [("GET", None), ("POST", {})]
        if name in BODIES:
            requests.insert(1, ("POST", BODIES[name](owner, sw)))
        sees_part = any(visible(user, value) for value in values.values())
        for method, data in requests:
            response = client.get(path) if method == "GET" else client.post(path, data)
            allowed = allowed_statuses(name, method, sees_part)
            label = f"{method} {path}{' with the form body' if data else ''}"
            sent.append(label)
            if response.status_code not in allowed:
                failures.append(f"{label}: {response.status_code}, expected {sorted(allowed)}")
            if names := leaked(body_of(response), people):
                failures.append(f"{label}: shows {names}")
    if changes := changed_tables(before, snapshot()):
        failures.append(f"the database changed: {changes}, after {sent}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("set_label", ["wicko", "leszno"])
def test_the_bodies_sent_would_succeed_for_whoever_may_act(scope_world, login, name, set_label):
    """Proof that the walk's refusals mean something: the superuser (who sees
    everything) sending the same body to the same object changes the database and is
    sent on, not back to the form."""
    sw = scope_world
    s = sw.sets[set_label]
    route = next(route for route, n in WITH_PARAMETERS if n == name)
    values = {p: sample(s, model, name) for p, model in PARAMETERS[name].items()}
    client = login(sw.users["superuser"])
    before = snapshot()
    response = client.post(path_for(route, values), BODIES[name](s, sw))
    assert response.status_code == 302, _form_errors(response)
    assert urlparse(response["Location"]).path != reverse("login")
    assert changed_tables(before, snapshot())


def _form_errors(response) -> str:
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return f"{response.status_code}: {form.errors.as_data() if form else ''}"


@pytest.mark.parametrize("name", sorted(ONLY_POST | ONLY_GET))
def test_the_views_said_to_take_one_method_refuse_the_other(scope_world, login, name):
    sw = scope_world
    route = next(route for route, n in WITH_PARAMETERS if n == name)
    values = {p: sample(sw.sets["leszno"], m, name) for p, m in PARAMETERS[name].items()}
    client = login(sw.users["superuser"])
    path = path_for(route, values)
    response = client.get(path) if name in ONLY_POST else client.post(path)
    assert response.status_code == 405


@pytest.mark.parametrize("persona", ["coordinator", "auditor"])  # the roles refused most
@pytest.mark.parametrize(
    ("route", "name"),
    [p for p in WITH_PARAMETERS if p[1] not in SHARED],
    ids=[p[1] for p in WITH_PARAMETERS if p[1] not in SHARED],
)
def test_a_refusal_writes_nothing_even_on_an_own_object(scope_world, login, route, name, persona):
    """The same requests on MOPS Lębork's objects (in the persona's project, some
    referred to the coordinator's Starostwo): whatever the role may do there, a refusal
    (403, 404, 405) leaves no trace, the access log included — nothing is logged or
    saved before the permission is checked."""
    sw = scope_world
    own = sw.sets["own"]
    values = {p: sample(own, model, name) for p, model in PARAMETERS[name].items()}
    path = path_for(route, values)
    client = login(sw.users[persona])
    requests = [("GET", None), ("POST", {})]
    if name in BODIES:
        requests.insert(1, ("POST", BODIES[name](own, sw)))
    failures = []
    before = snapshot()
    for method, data in requests:
        response = client.get(path) if method == "GET" else client.post(path, data)
        label = f"{method} {path}{' with the form body' if data else ''}"
        after = snapshot()  # the next request's "before": an accepted one may write
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
        refused = response.status_code in {403, 404, 405}
        if refused and (changes := changed_tables(before, after)):
            failures.append(f"{label}: refused ({response.status_code}), yet wrote {changes}")
        before = after
    assert not failures, "\n".join(failures)


# Shared registries -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(SHARED))
def test_a_shared_registry_is_edited_only_with_the_permission(scope_world, login, name, persona):
    sw = scope_world
    model, permission, _reason = SHARED[name]
    owners = {Project, Organisation, Participant, Enrolment}
    assert not [
        f.name for f in model._meta.get_fields() if getattr(f, "related_model", None) in owners
    ], f"{model.__name__} belongs to a project or partner now: walk it like the others"
    user = sw.users[persona]
    obj = sw.employer if model is Employer else sw.support_form
    route = next(route for route, n in WITH_PARAMETERS if n == name)
    path = path_for(route, {"pk": obj})
    client = login(user)
    before = snapshot()
    if user.has_perm(permission):
        assert client.get(path).status_code == 200
        # an invalid form is shown again with its errors, nothing saved
        assert client.post(path, {}).status_code == 200
    else:
        assert client.get(path).status_code == 403
        assert client.post(path, {"name": "Przejęta"}).status_code == 403
    assert not changed_tables(before, snapshot())


# URLs without parameters -----------------------------------------------------------------


def poisoned_query(s: PartnerSet, sw: ScopeWorld) -> dict:
    """A query string naming another partner's objects: every parameter the pages read,
    and a search that would find its people (by the first part of their surnames in
    Lębork, by the birth-date digits of a PESEL in Leszno: the search box echoes what
    was typed, never a whole name or PESEL)."""
    person = s.participant
    search = person.pesel[:6] if s.label == "leszno" else person.last_name.split("-")[0]
    return {
        "q": search,
        "project": s.project.pk,
        "organisation": s.organisation.pk,
        "provider": s.organisation.pk,
        "support_form": sw.support_form.pk,
        "date": "06.06.2016",
        "enrolment": s.enrolments["referred"].pk,
        "course": s.course.pk,
        "status": Enrolment.Status.IN_SUPPORT,
        "tab": "running",
    }


#: Files the same for everyone whatever the query string: opened by one persona,
#: without other partners' ids (each takes a second to make).
BLANK_FILES = {"participants:import_template"}


def _pages_and_personas():
    for route, name in WITHOUT_PARAMETERS:
        for persona in PERSONAS[:1] if name in BLANK_FILES else PERSONAS:
            yield pytest.param(route, name, persona, id=f"{name or route}-{persona}")


@pytest.mark.parametrize(("route", "name", "persona"), list(_pages_and_personas()))
def test_a_page_without_parameters_shows_no_other_partners_people(
    scope_world, login, route, name, persona
):
    sw = scope_world
    client = login(sw.users[persona])
    people = sw.foreign_people(persona)
    path = example_path(route)
    queries = [{}]
    if name not in BLANK_FILES:
        queries += [poisoned_query(s, sw) for s in sw.foreign_sets(persona)]
    failures = []
    for query in queries:
        response = client.get(f"{path}?{urlencode(query)}" if query else path)
        if response.status_code >= 500:
            failures.append(f"GET {path} {query}: {response.status_code}")
        elif names := leaked(body_of(response), people):
            failures.append(f"GET {path} {query}: shows {names}")
    assert not failures, "\n".join(failures)


# Forms that take ids in their body --------------------------------------------------------


def _registration(s: PartnerSet) -> dict:
    from participants.forms import RegisterForm
    from tests.factories import ParticipantFactory

    person = ParticipantFactory.build(commune=s.participant.commune, last_name="Nowa-Osoba")
    body = form_body(RegisterForm(instance=person, user=AnonymousUser()))
    return body | {
        "pesel": "",
        "no_pesel": "on",
        "other_identifier": "paszport AB123",
        "project": s.project.pk,
        "organisation": s.organisation.pk,
        "registered_on": "02.05.2016",
    }


def _session(provider: Organisation, project: Project, enrolments: list, sw) -> dict:
    rows = {
        "rows-TOTAL_FORMS": str(len(enrolments)),
        "rows-INITIAL_FORMS": str(len(enrolments)),
    }
    for i, enrolment in enumerate(enrolments):
        rows |= {f"rows-{i}-enrolment": enrolment.pk, f"rows-{i}-present": "on"}
    return rows | {
        "project": project.pk,
        "provider": provider.pk,
        "support_form": sw.support_form.pk,
        "date": "20.06.2016",
        "hours": "2",
        "specialist": "Anna Psycholog",
        "place": "",
        "is_group": "on",
    }


def _upload(s: PartnerSet) -> dict:
    content = f"PESEL;Imię;Nazwisko\n;Ewa;Z-Pliku-{s.label}\n".encode()
    return {
        "pair": f"{s.project.pk}:{s.organisation.pk}",
        "file": SimpleUploadedFile("lista.csv", content, content_type="text/csv"),
    }


#: What is tried → (the personas, the URL name, the body from the persona's own
#: partner set and a foreign one). Each is refused and writes nothing.
FOREIGN_IDS: dict[str, tuple[list[str], str, Callable]] = {
    "register a person in another partner": (
        ["sw_lebork", "coordinator", "manager", "auditor", "sw_leszno"],
        "participants:register",
        lambda own, s, sw: _registration(s),
    ),
    "enrol a registered person in another partner": (
        ["sw_lebork", "coordinator", "manager", "auditor", "sw_leszno"],
        "participants:enrol_existing",
        lambda own, s, sw: {
            "project": s.project.pk,
            "organisation": s.organisation.pk,
            "pesel": own.participant.pesel,
            "last_name": own.participant.last_name,
            "registered_on": "02.05.2016",
        },
    ),
    "import a list into another partner": (
        ["sw_lebork", "coordinator", "manager", "auditor", "sw_leszno"],
        "participants:import",
        lambda own, s, sw: _upload(s),
    ),
    "record another partner's people at an own session": (
        ["sw_lebork", "manager", "sw_leszno"],
        "pathways:session_new",
        lambda own, s, sw: _session(own.organisation, own.project, [s.enrolment()], sw),
    ),
    "record a session of another partner": (
        ["sw_lebork", "coordinator", "manager", "auditor", "sw_leszno"],
        "pathways:session_new",
        lambda own, s, sw: _session(s.organisation, s.project, [s.enrolment()], sw),
    ),
    "create a course of another partner": (
        ["sw_lebork", "coordinator", "manager", "auditor", "sw_leszno"],
        "pathways:course_new",
        lambda own, s, sw: {
            "project": s.project.pk,
            "organiser": s.vocational.pk,
            "place_kind": s.course.place_kind,
            "title": "Kurs przejęty",
            "provider_name": "",
            "hours": "40",
            "start_date": "03.10.2016",
            "end_date": "28.10.2016",
            "capacity": "5",
            "exam": "",
        },
    ),
}


def _foreign_id_cases():
    for label, (personas, _name, _body) in FOREIGN_IDS.items():
        for persona in personas:
            yield pytest.param(label, persona, id=f"{label}-{persona}")


@pytest.mark.parametrize(("label", "persona"), list(_foreign_id_cases()))
def test_a_form_sent_another_partners_ids_is_refused(scope_world, login, label, persona):
    sw = scope_world
    _personas, name, body = FOREIGN_IDS[label]
    own = sw.sets[HOME_SET[persona]]
    client = login(sw.users[persona])
    people = sw.foreign_people(persona)
    failures = []
    for s in sw.foreign_sets(persona):
        before = snapshot()
        response = client.post(reverse(name), body(own, s, sw))
        after = snapshot()
        if response.status_code not in {200, 403}:  # the form again, with errors; or 403
            failures.append(f"{s.label}: {response.status_code}")
        if changes := changed_tables(before, after):
            failures.append(f"{s.label}: the database changed: {changes}")
        if names := leaked(body_of(response), people):
            failures.append(f"{s.label}: shows {names}")
    assert not failures, "\n".join(failures)


#: An own object's screen sent another partner's ids in its body: what is tried →
#: (the personas, the URL name, the URL's own objects and the body naming the foreign
#: set's). Refused; only the access log may record that the persona opened their own
#: person's form.
OWN_WITH_FOREIGN_IDS = {
    "assign another partner's person to an own course": (
        ["coordinator", "manager"],
        "pathways:course_assign",
        lambda own, s, sw: ({"pk": own.course}, {"enrolment": s.enrolments["referred"].pk}),
    ),
    "refer to another project's partner": (
        ["sw_lebork", "manager", "sw_leszno"],
        "pathways:refer",
        lambda own, s, sw: (
            {"pk": own.enrolment()},
            {"to_organisation": s.vocational.pk, "referred_on": "01.06.2016", "note": ""},
        ),
    ),
    "plan support by another project's partner": (
        ["sw_lebork", "manager", "sw_leszno"],
        "pathways:plan_add",
        lambda own, s, sw: (
            {"pk": own.enrolment()},
            BODIES["pathways:plan_add"](s, sw),
        ),
    ),
    "pay from another partner's budget line": (
        ["sw_lebork", "coordinator", "manager", "sw_leszno"],
        "pathways:payment_add",
        lambda own, s, sw: (
            {"pk": own.enrolments["referred"]},  # referred: its coordinator sees it too
            BODIES["pathways:payment_add"](s, sw),
        ),
    ),
    "organise an internship by another partner": (
        ["coordinator", "manager"],
        "pathways:internship_new",
        lambda own, s, sw: (
            {"pk": own.enrolments["referred"]},
            BODIES["pathways:internship_new"](s, sw),
        ),
    ),
    "plan a budget line of another project's partner": (
        ["manager"],
        "partners:budget_line_new",
        lambda own, s, sw: (
            {"pk": own.project},
            BODIES["partners:budget_line_new"](s, sw),
        ),
    ),
}

#: Screens where another partner of the same project is a right choice (a referral
#: to PCE-ZSP, support planned by OPS Wicko, a budget line of any partner): only
#: another project's partners are foreign to them.
SAME_PROJECT_PARTNERS_ALLOWED = {"pathways:refer", "pathways:plan_add", "partners:budget_line_new"}

ACCESS_LOG = {"participants_accessevent", "participants_accesseventparticipant"}


def _own_cases():
    for label, (personas, _name, _build) in OWN_WITH_FOREIGN_IDS.items():
        for persona in personas:
            yield pytest.param(label, persona, id=f"{label}-{persona}")


@pytest.mark.parametrize(("label", "persona"), list(_own_cases()))
def test_an_own_screen_sent_another_partners_ids_is_refused(scope_world, login, label, persona):
    sw = scope_world
    _personas, name, build = OWN_WITH_FOREIGN_IDS[label]
    own = sw.sets[HOME_SET[persona]]
    route = next(route for route, n in WITH_PARAMETERS if n == name)
    client = login(sw.users[persona])
    people = sw.foreign_people(persona)
    failures = []
    for s in sw.foreign_sets(persona):
        if s.project == own.project and name in SAME_PROJECT_PARTNERS_ALLOWED:
            continue  # the project's other partners are legitimate choices there
        values, data = build(own, s, sw)
        assert visible(sw.users[persona], list(values.values())[-1])
        before = snapshot()
        response = client.post(path_for(route, values), data)
        after = snapshot()
        if response.status_code not in {200, 403}:
            failures.append(f"{s.label}: {response.status_code}")
        if changes := set(changed_tables(before, after)) - ACCESS_LOG:
            failures.append(f"{s.label}: the database changed: {changes}")
        if names := leaked(body_of(response), people):
            failures.append(f"{s.label}: shows {names}")
        foreign_ids = {p.pk for p in people}
        logged = set(_access_logged_since(before, after))
        if logged & foreign_ids:
            failures.append(f"{s.label}: the access log names another partner's person")
    assert not failures, "\n".join(failures)


def _access_logged_since(before: dict, after: dict) -> list[int]:
    """The participant ids of access-log rows added between two snapshots."""
    from participants.models import AccessEventParticipant

    table = AccessEventParticipant._meta.db_table
    columns = [f.column for f in AccessEventParticipant._meta.concrete_fields]
    index = columns.index("participant_id")
    return [row[index] for row in set(after.get(table, [])) - set(before.get(table, []))]


# The admin ----------------------------------------------------------------------------------

ADMIN_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if route.startswith("admin/")]
#: Admin URLs left out: its login page is public, and its logout logs out whoever
#: asks (the walk would go on as an anonymous visitor).
ADMIN_OPEN = {"admin:login", "admin:logout"}


@pytest.mark.parametrize("persona", ["sw_lebork", "manager"])  # manager: two-factor verified
def test_the_admin_sends_a_user_who_is_not_staff_to_its_login(scope_world, login, persona):
    sw = scope_world
    client = login(sw.users[persona])
    leszno = sw.sets["leszno"]
    values = {"object_id": leszno.participant.pk, "id": sw.users["superuser"].pk}
    failures = []
    before = snapshot()
    for route, name in ADMIN_PATTERNS:
        if name in ADMIN_OPEN:
            continue
        path = example_path(route, values)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            target = urlparse(response.get("Location", "")).path
            if response.status_code != 302 or target != reverse("admin:login"):
                failures.append(f"{method.upper()} {path}: {response.status_code} → {target}")
    assert not changed_tables(before, snapshot())
    assert not failures, "\n".join(failures)


# The figures for the note -----------------------------------------------------------------


def test_every_view_is_covered_by_the_walk(scope_world, login, capsys):
    """The figure for the note: views covered by the scope walk ÷ views. Every URL with
    parameters has an object of another partner outside every persona's scope (or is a
    shared registry, walked for its permission); every URL without parameters is
    opened by every persona with other partners' ids, and most of them show a page
    (200) to someone, whose text is searched for other partners' people."""
    sw = scope_world
    with_parameters = {name for _route, name in WITH_PARAMETERS}
    covered = {
        name
        for route, name in WITH_PARAMETERS
        if name in SHARED or all(cases(sw, route, name, persona) for persona in PERSONAS)
    }
    without = {name or route for route, name in WITHOUT_PARAMETERS}
    shown = set(BLANK_FILES)  # a file for everyone: opened in the walk itself
    for persona in PERSONAS:
        client = login(sw.users[persona])
        for route, name in WITHOUT_PARAMETERS:
            if (name or route) not in shown and client.get(example_path(route)).status_code == 200:
                shown.add(name or route)
    share = 100 * len(covered) / len(with_parameters)
    with capsys.disabled():
        print(
            f"\nscope walk, views with parameters: {len(covered)}/{len(with_parameters)}"
            f" = {share:.0f} % ({len(with_parameters) - len(SHARED)} sent other partners'"
            f" objects, {len(SHARED)} shared registries walked for their permission),"
            f" × {len(PERSONAS)} personas; views without parameters: {len(without)}/"
            f"{len(without)} = 100 % opened with other partners' ids, {len(shown)} of them"
            f" showing a page to some persona (not: {sorted(without - shown)});"
            f" admin URLs: {len(ADMIN_PATTERNS) - len(ADMIN_OPEN)} sent to its login"
        )
    assert covered == with_parameters, with_parameters - covered
    assert share == 100


def test_no_url_of_ours_uses_a_regular_expression():
    """The walk fills `<name>` parameters; a re_path would need a sample of its own."""
    assert not [route for route, _name in OWN_PATTERNS if re.search(r"\(\?P<|\^|\$", route)]
