"""Every action says what it did: a successful POST leaves a success message, shown on
the page it leads to; a refusal by a rule says why, in Polish.

`POST_VIEWS` lists every URL pattern whose view handles POST (found from the views
themselves, see `handles_post`): each is either a `Case` (a valid body, sent by a
persona, on objects of tests/scope_world.py's `own` partner set), a test of its own
below (`SEPARATE`), or the reason it is exempt. A new POST view missing here fails
`test_the_registry_lists_every_post_view`.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.contrib.messages import constants
from django.urls import reverse

from partners.models import BudgetLine
from pathways.forms_coordination import EmployerForm
from pathways.models import Employer, SupportForm
from tests.scope_world import BODIES, PSYCHOLOGY, PartnerSet, ScopeWorld, form_body
from tests.test_role_matrix import ACTIONS
from tests.test_two_factor import authenticator, code
from tests.urlwalk import OWN_PATTERNS


@dataclass(frozen=True)
class Case:
    #: the URL's arguments, from the own partner set
    args: Callable[[PartnerSet], list]
    #: the body a user of the screen sends
    body: Callable[[PartnerSet, ScopeWorld], dict]
    persona: str = "manager"


def _same(name: str) -> Callable[[PartnerSet, ScopeWorld], dict]:
    return BODIES[name]


def _as_in_matrix(action: str, persona: str = "manager"):
    body = ACTIONS[action].body
    return lambda s, sw: body(s, sw, persona)


def _enrolment(state: str) -> Callable[[PartnerSet], list]:
    return lambda s: [s.enrolments[state]]


def _enrol_existing(s: PartnerSet, sw: ScopeWorld) -> dict:
    """A person of the Leszno project, enrolled now in Lębork by MOPS Lębork."""
    person = sw.sets["leszno"].enrolments["candidate"].participant
    return {
        "project": s.project.pk,
        "organisation": s.organisation.pk,
        "pesel": person.pesel,
        "last_name": person.last_name,
        "registered_on": "02.05.2016",
    }


def _new_employer(s: PartnerSet, sw: ScopeWorld) -> dict:
    return form_body(EmployerForm(instance=Employer())) | {
        "name": "Kwiaciarnia „Róża”",
        "nip": "7740001454",
        "street": "Młynarska 3",
        "postcode": "84-300",
        "town": "Lębork",
    }


def _new_support_form(s: PartnerSet, sw: ScopeWorld) -> dict:
    return _as_in_matrix("edit the catalogue")(s, sw) | {"name": "Warsztaty kulinarne"}


SEPARATE = "tested by a test of its own below"

#: URL name → how a successful POST is made, or why the view is exempt.
POST_VIEWS: dict[str, Case | str] = {
    "login": "Django's login: it leads on to the page asked for, which is the answer",
    "logout": "the session ends: the login page is the answer",
    "password_change": "Django's view: it leads to a page saying the password is changed",
    "two_factor_verify": "the second step of the login: it leads on to the page asked for",
    "favicon": "a redirect to the icon, not an action",
    "two_factor_setup": SEPARATE,
    "two_factor_disable": SEPARATE,
    "two_factor_backup_codes": SEPARATE,
    "partners:budget_line_new": Case(lambda s: [s.project], _same("partners:budget_line_new")),
    "partners:budget_line_edit": Case(
        lambda s: [s.project, s.budget_line], _same("partners:budget_line_edit")
    ),
    "partners:budget_line_delete": Case(
        lambda s: [s.project, s.budget_line], _same("partners:budget_line_delete")
    ),
    "participants:register": Case(lambda s: [], _as_in_matrix("register a participant")),
    "participants:enrol_existing": Case(lambda s: [], _enrol_existing),
    "participants:edit": Case(lambda s: [s.participant], _same("participants:edit")),
    "participants:qualify": Case(_enrolment("candidate"), _same("participants:qualify")),
    "participants:reject": Case(_enrolment("candidate"), _same("participants:reject")),
    "participants:override": Case(_enrolment("ineligible"), _same("participants:override")),
    "participants:consent": Case(_enrolment("candidate"), _same("participants:consent")),
    "participants:start_support": Case(
        _enrolment("qualified"), _same("participants:start_support")
    ),
    "participants:resign": Case(_enrolment("qualified"), _same("participants:resign")),
    "participants:exit": Case(_enrolment("referred"), _same("participants:exit")),
    "participants:follow_up": Case(_enrolment("finished"), _same("participants:follow_up")),
    "participants:import": Case(lambda s: [], _as_in_matrix("import participants")),
    "participants:import_confirm": Case(
        lambda s: [s.participant_import], _same("participants:import_confirm")
    ),
    "pathways:edit": Case(_enrolment("referred"), _same("pathways:edit")),
    "pathways:goal_add": Case(_enrolment("in_support"), _same("pathways:goal_add")),
    "pathways:goal_status": Case(lambda s: [s.goal], _same("pathways:goal_status")),
    "pathways:plan_add": Case(_enrolment("in_support"), _same("pathways:plan_add")),
    "pathways:refer": Case(_enrolment("in_support"), _same("pathways:refer")),
    "pathways:payment_add": Case(_enrolment("referred"), _as_in_matrix("record a payment")),
    "pathways:session_new": Case(lambda s: [], _as_in_matrix("record a session")),
    "pathways:course_new": Case(lambda s: [], _as_in_matrix("create a course")),
    "pathways:course_assign": Case(lambda s: [s.course], _same("pathways:course_assign")),
    "pathways:certificate": Case(lambda s: [s.course_participation], _same("pathways:certificate")),
    "pathways:employer_new": Case(lambda s: [], _new_employer),
    "pathways:employer_edit": Case(
        lambda s: [Employer.objects.get()], _as_in_matrix("edit an employer")
    ),
    "pathways:catalogue_new": Case(lambda s: [], _new_support_form),
    "pathways:catalogue_edit": Case(
        lambda s: [SupportForm.objects.get(name=PSYCHOLOGY)], _as_in_matrix("edit the catalogue")
    ),
    "pathways:medical_exam_add": Case(_enrolment("referred"), _same("pathways:medical_exam_add")),
    "pathways:internship_new": Case(_enrolment("referred"), _same("pathways:internship_new")),
    "pathways:internship_month_add": Case(
        lambda s: [s.internship], _same("pathways:internship_month_add")
    ),
    "pathways:internship_finish": Case(
        lambda s: [s.internship], _same("pathways:internship_finish")
    ),
}


def handles_post(callback) -> bool:
    """Whether a view takes POST: a class-based view with `post`, a function allowed
    POST by `require_http_methods`/`require_POST`, or one that reads `request.POST`."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = callback
    while function is not None:
        for cell in function.__closure__ or ():
            value = cell.cell_contents
            if isinstance(value, list | tuple) and "POST" in value:
                return True
        function = getattr(function, "__wrapped__", None)
    return "POST" in inspect.getsource(inspect.unwrap(callback))


def post_views() -> set[str]:
    from django.urls import resolve

    from tests.urlwalk import example_path

    names = set()
    for route, name in OWN_PATTERNS:
        callback = resolve(example_path(route)).func
        if handles_post(callback):
            names.add(name or route)
    return names


def test_the_registry_lists_every_post_view():
    assert set(POST_VIEWS) == post_views()


CASES = {name: case for name, case in POST_VIEWS.items() if isinstance(case, Case)}

MESSAGE_LEVELS = {constants.SUCCESS: "success", constants.INFO: "info"}


def shown_messages(response) -> list[tuple[str, str]]:
    """(level tag, text) of the messages the page shows."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_successful_post_says_what_it_did(scope_world, login, name):
    sw, case = scope_world, CASES[name]
    own = sw.sets["own"]
    client = login(sw.users[case.persona])
    url = reverse(name, args=[getattr(a, "pk", a) for a in case.args(own)])
    response = client.post(url, case.body(own, sw))
    errors = response.context and [
        getattr(response.context.get(k), "errors", None) for k in ("form", "rows")
    ]
    assert response.status_code == 302, errors
    page = client.get(response["Location"])
    assert page.status_code == 200, urlparse(response["Location"]).path
    said = shown_messages(page)
    assert any(level == "success" for level, _text in said), said
    html = page.content.decode()
    assert 'data-message="success"' in html
    assert 'role="status"' in html


def test_the_message_is_above_the_breadcrumbs_and_dismissible(scope_world, login):
    sw = scope_world
    own = sw.sets["own"]
    client = login(sw.users["manager"])
    url = reverse("pathways:goal_add", args=[own.enrolments["in_support"].pk])
    page = client.post(url, BODIES["pathways:goal_add"](own, sw), follow=True)
    html = page.content.decode()
    alert = html.index('data-message="success"')
    assert alert < html.index('class="breadcrumb"')
    block = html[html.rindex("<div", 0, alert) : html.index("</div>", alert)]
    assert 'role="status"' in block
    assert "alert-dismissible" in block
    assert 'data-bs-dismiss="alert"' in block
    assert 'aria-label="Zamknij"' in block
    name = str(own.enrolments["in_support"].participant)
    assert f"Dodano cel do ścieżki reintegracji: {name}." in block


def test_a_refusal_by_a_rule_says_why_as_an_alert(scope_world, login):
    """The eligibility check refuses a 16-year-old: the page says so, in Polish."""
    sw = scope_world
    own = sw.sets["own"]
    client = login(sw.users["manager"])
    enrolment = own.enrolments["ineligible"]
    url = reverse("participants:qualify", args=[enrolment.pk])
    page = client.post(url, BODIES["participants:qualify"](own, sw), follow=True)
    html = page.content.decode()
    assert [level for level, _text in shown_messages(page)] == ["warning"]
    alert = html.index('data-message="warning"')
    block = html[html.rindex("<div", 0, alert) : html.index("</div>", alert)]
    assert 'role="alert"' in block
    assert "nie spełnia" in block or "niespełni" in block or "kryteri" in block, block


def test_a_refused_deletion_says_why(scope_world, login):
    """A budget line with spending on it is not deleted, and the page says why."""
    sw = scope_world
    own = sw.sets["own"]
    client = login(sw.users["manager"])
    payment = BODIES["pathways:payment_add"](own, sw)
    payment_url = reverse("pathways:payment_add", args=[own.enrolments["referred"].pk])
    client.post(payment_url, payment, follow=True)  # its own message shown and gone
    line = BudgetLine.objects.get(pk=own.budget_line.pk)
    url = reverse("partners:budget_line_delete", args=[own.project.pk, line.pk])
    page = client.post(url, {}, follow=True)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    said = shown_messages(page)
    assert [level for level, _text in said] == ["error"], said
    assert 'role="alert"' in page.content.decode()


# Two-factor login: each of its POST views, through its own flow ----------------------
# (the scope world's social worker: the module already holds that world)


def test_turning_two_factor_login_on_says_so(client, scope_world):
    sw_lebork = scope_world.users["sw_lebork"]
    from tests.test_two_factor import SETUP, password_login

    password_login(client, sw_lebork)
    client.get(SETUP)
    device = sw_lebork.totpdevice_set.get(confirmed=False)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 200
    assert ("success", "Logowanie dwuetapowe jest włączone.") in shown_messages(response)


def test_turning_two_factor_login_off_says_so(client, scope_world):
    sw_lebork = scope_world.users["sw_lebork"]
    from tests.test_two_factor import DISABLE, VERIFY, password_login

    device = authenticator(sw_lebork)
    password_login(client, sw_lebork)
    client.post(VERIFY, {"code": code(device)})
    response = client.post(DISABLE, {"code": code(device, steps_ahead=1)}, follow=True)
    assert any(level == "success" for level, _text in shown_messages(response))


def test_new_backup_codes_say_so(client, scope_world):
    sw_lebork = scope_world.users["sw_lebork"]
    from tests.test_two_factor import RENEW, VERIFY, password_login

    device = authenticator(sw_lebork)
    password_login(client, sw_lebork)
    client.post(VERIFY, {"code": code(device)})
    response = client.post(RENEW)
    assert response.status_code == 200
    assert any(level == "success" for level, _text in shown_messages(response))
