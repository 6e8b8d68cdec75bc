"""Who may do what: every action of the project against every role, through the real
views, on objects in the Lębork project that belong to MOPS Lębork (`own` partner set
of tests/scope_world.py; the people in support are referred to Starostwo Lębork, so
its coordinator sees them). The same object for every role: the only variable is
the role.

Expectations come from DESIGN §2 ("Who does what") and the rules modules
(participants/rules.py, pathways/rules.py, partners/rules.py):

* allowed — the action is done: the form is accepted and the database changed (a
  page or file: it is shown);
* 403 — the role sees the object but may not act on it;
* 404 — the object is outside the role's scope;
* login — sent to the login page (the admin, for anyone who is not staff).

A refusal (403, 404, login) changes nothing in the database, the access log included.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import BudgetLine, PlaceKind
from pathways.forms_coordination import EmployerForm, SupportFormForm
from pathways.models import Employer, SupportForm
from tests.scope_world import (
    BODIES,
    PSYCHOLOGY,
    PartnerSet,
    ScopeWorld,
    changed_tables,
    form_body,
    import_file,
    participant_body,
    snapshot,
)

MATRIX = """
action                       sw_lebork  coordinator  manager  auditor  nobody  superuser
register a participant       allowed    403          allowed  403      403     allowed
edit a participant           allowed    403          allowed  403      404     allowed
qualify                      allowed    404          allowed  403      404     allowed
record consent               allowed    404          allowed  403      404     allowed
start support                allowed    404          allowed  403      404     allowed
exit                         allowed    403          allowed  403      404     allowed
follow-up                    allowed    403          allowed  403      404     allowed
write the pathway            allowed    403          allowed  403      404     allowed
refer                        allowed    404          allowed  403      404     allowed
record a payment             allowed    allowed      allowed  403      404     allowed
record a session             allowed    allowed      allowed  403      403     allowed
create a course              403        allowed      allowed  403      403     allowed
assign to a course           404        allowed      allowed  403      404     allowed
create an internship         403        allowed      allowed  403      404     allowed
record an internship month   404        allowed      allowed  403      404     allowed
edit the catalogue           403        403          allowed  403      403     allowed
edit an employer             403        allowed      allowed  403      403     allowed
manage the budget            403        403          allowed  403      404     allowed
view the dashboard           allowed    allowed      allowed  allowed  404     allowed
export the funder list       allowed    allowed      allowed  allowed  404     allowed
run the data-quality check   allowed    allowed      allowed  allowed  404     allowed
import participants          allowed    403          allowed  403      403     allowed
use the admin                login      login        login    login    login   allowed
"""
# Why some cells are what they are:
# * coordinator 404 on qualify, consent, start support, refer: those people (a
#   candidate, a qualified person, one in support not yet referred) are not referred
#   to Starostwo, so it does not see them; on the referred ones it gets 403.
# * social worker 404 on a course, an internship month: courses and internships are
#   seen by their organiser's staff and the project's managers and auditors only.
# * view the dashboard, export, data-quality check: open to every role in the project,
#   each seeing only the figures and people of its scope (a social worker: their
#   centre's; a coordinator: those referred to them), as DESIGN's "sees" column says.


def _table(text: str) -> dict[str, dict[str, str]]:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    personas = lines[0].split()[1:]
    rows = {}
    for line in lines[1:]:
        cells = line.split()
        outcomes, action = cells[-len(personas) :], " ".join(cells[: -len(personas)])
        rows[action] = dict(zip(personas, outcomes, strict=True))
    return rows


EXPECTED = _table(MATRIX)
PERSONAS = list(next(iter(EXPECTED.values())))


# The actions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    url: str
    #: the URL's arguments, from the own partner set
    args: Callable[[PartnerSet], list]
    #: the body (None: a GET), from the partner set, the world and the persona
    body: Callable[[PartnerSet, ScopeWorld, str], dict] | None = None


def _enrolment(state: str) -> Callable[[PartnerSet], list]:
    return lambda s: [s.enrolments[state]]


def _body(name: str, changes: Callable | None = None):
    """The body the scope walk sends that screen (see test_scope_walk.BODIES)."""
    return lambda s, sw, persona: BODIES[name](s, sw) | (changes(s, sw) if changes else {})


def _registration(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    from participants.forms import RegisterForm
    from tests.factories import ParticipantFactory

    person = ParticipantFactory.build(
        commune=s.participant.commune, first_name="Halina", last_name="Nowicka"
    )
    return form_body(RegisterForm(instance=person, user=AnonymousUser())) | {
        "project": s.project.pk,
        "organisation": s.organisation.pk,
        "registered_on": "02.05.2016",
    }


def _payment(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    """Paid by the persona's organisation: Starostwo for its coordinator (a line of
    its own), the recruiting centre for everyone else."""
    payer = s.vocational if persona == "coordinator" else s.organisation
    line = BudgetLine.objects.filter(project=s.project, organisation=payer).first()
    return BODIES["pathways:payment_add"](s, sw) | {"budget_line": line.pk}


def _session(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    """A session of the persona's organisation: career counselling at Starostwo for its
    coordinator, psychological counselling at the centre for everyone else."""
    if persona == "coordinator":
        provider, form = s.vocational, SupportForm.objects.get(name="Doradztwo zawodowe")
    else:
        provider, form = s.organisation, sw.support_form
    return {
        "project": s.project.pk,
        "provider": provider.pk,
        "support_form": form.pk,
        "date": "20.06.2016",
        "hours": "2",
        "specialist": "Anna Doradca",
        "place": "",
        "is_group": "on",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-enrolment": s.enrolments["referred"].pk,
        "rows-0-present": "on",
    }


def _course(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    return {
        "project": s.project.pk,
        "organiser": s.vocational.pk,
        "place_kind": PlaceKind.SPECIALIST_COURSE,
        "title": "Kasjer-sprzedawca",
        "provider_name": "Centrum Szkoleń",
        "hours": "80",
        "start_date": "03.10.2016",
        "end_date": "28.10.2016",
        "capacity": "12",
        "exam": "egzamin MEN",
    }


def _support_form(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    body = form_body(SupportFormForm(instance=sw.support_form))
    return body | {"provider_kinds": sw.support_form.provider_kinds, "name": "Psycholog"}


def _employer(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    return form_body(EmployerForm(instance=sw.employer)) | {"phone": "59 862 11 11"}


def _import(s: PartnerSet, sw: ScopeWorld, persona: str) -> dict:
    content = import_file("Lębork", "macierz")
    return {
        "pair": f"{s.project.pk}:{s.organisation.pk}",
        "file": SimpleUploadedFile("lista.csv", content, content_type="text/csv"),
    }


ACTIONS: dict[str, Action] = {
    "register a participant": Action("participants:register", lambda s: [], _registration),
    "edit a participant": Action(
        "participants:edit",
        lambda s: [s.enrolments["referred"].participant],
        lambda s, sw, persona: (
            participant_body(s.enrolments["referred"].participant) | {"street": "Nowa"}
        ),
    ),
    "qualify": Action(
        "participants:qualify", _enrolment("candidate"), _body("participants:qualify")
    ),
    "record consent": Action(
        "participants:consent", _enrolment("candidate"), _body("participants:consent")
    ),
    "start support": Action(
        "participants:start_support", _enrolment("qualified"), _body("participants:start_support")
    ),
    "exit": Action("participants:exit", _enrolment("referred"), _body("participants:exit")),
    "follow-up": Action(
        "participants:follow_up", _enrolment("finished"), _body("participants:follow_up")
    ),
    "write the pathway": Action("pathways:edit", _enrolment("referred"), _body("pathways:edit")),
    "refer": Action("pathways:refer", _enrolment("in_support"), _body("pathways:refer")),
    "record a payment": Action("pathways:payment_add", _enrolment("referred"), _payment),
    "record a session": Action("pathways:session_new", lambda s: [], _session),
    "create a course": Action("pathways:course_new", lambda s: [], _course),
    "assign to a course": Action(
        "pathways:course_assign", lambda s: [s.course], _body("pathways:course_assign")
    ),
    "create an internship": Action(
        "pathways:internship_new", _enrolment("referred"), _body("pathways:internship_new")
    ),
    "record an internship month": Action(
        "pathways:internship_month_add",
        lambda s: [s.internship],
        _body("pathways:internship_month_add"),
    ),
    "edit the catalogue": Action(
        "pathways:catalogue_edit",
        lambda s: [SupportForm.objects.get(name=PSYCHOLOGY)],
        _support_form,
    ),
    "edit an employer": Action(
        "pathways:employer_edit",
        lambda s: [Employer.objects.get()],
        _employer,
    ),
    "manage the budget": Action(
        "partners:budget_line_new", lambda s: [s.project], _body("partners:budget_line_new")
    ),
    "view the dashboard": Action("reporting:dashboard", lambda s: [s.project]),
    "export the funder list": Action("reporting:participants_csv", lambda s: [s.project]),
    "run the data-quality check": Action("reporting:quality", lambda s: [s.project]),
    "import participants": Action("participants:import", lambda s: [], _import),
    "use the admin": Action("admin:index", lambda s: []),
}

LOGIN_PAGES = {"/konto/logowanie/", "/admin/login/"}


def test_the_table_has_every_action_and_persona():
    assert set(EXPECTED) == set(ACTIONS)
    assert PERSONAS == ["sw_lebork", "coordinator", "manager", "auditor", "nobody", "superuser"]
    assert {cell for row in EXPECTED.values() for cell in row.values()} <= {
        "allowed",
        "403",
        "404",
        "login",
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_the_role_decides(scope_world, login, action, persona):
    sw = scope_world
    own = sw.sets["own"]
    spec = ACTIONS[action]
    expected = EXPECTED[action][persona]
    client = login(sw.users[persona])
    url = reverse(spec.url, args=[getattr(a, "pk", a) for a in spec.args(own)])
    before = snapshot()
    if spec.body is None:
        response = client.get(url)
    else:
        response = client.post(url, spec.body(own, sw, persona))
    if response.streaming:
        b"".join(response.streaming_content)
    changes = changed_tables(before, snapshot())
    status = response.status_code
    location = urlparse(response.get("Location", "")).path
    if expected == "allowed":
        if spec.body is None:
            assert status == 200, f"{status} → {location}"
        else:
            assert status == 302, _errors(response)
            assert location not in LOGIN_PAGES
            assert changes, "accepted, but nothing was saved"
    elif expected == "login":
        assert (status, location) == (302, "/admin/login/")
        assert not changes, changes
    else:
        assert status == int(expected), f"{status} → {location}"
        assert not changes, f"refused, yet the database changed: {changes}"


def _errors(response) -> str:
    context = response.context or {}
    forms = [context[k] for k in ("form", "setup", "rows") if context.get(k) is not None]
    errors = [getattr(f, "errors", None) for f in forms]
    return f"{response.status_code}: {errors}"
