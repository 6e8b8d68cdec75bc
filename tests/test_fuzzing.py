"""Fuzzing (issue 7, item 7): every form, and every view, survives any input — hostile
text, impossible dates and numbers, foreign ids, broken files — with validation errors
on the form, never an exception, never a 500.

* `test_every_form_is_in_the_registry`: every Form and FormSet class our apps define
  (their forms, views, admin and two-factor modules) has an entry in
  `tests/fuzz_registry.py` saying how it is built; a new form fails here until added.
* `test_the_base_of_every_form_is_valid`: each entry's base submission is valid, so
  the fuzzing reaches the save path, not only the validation.
* `test_a_fuzzed_form_never_raises`: hypothesis mutates the base (a few fields, all of
  them, or none left) with values drawn by field type; `is_valid()`, and for a valid
  form its save through the service as the view does it, may end only in errors on
  the form (the service's ValidationError put back with `add_service_error`).
* `test_a_fuzzed_post_never_answers_500`: the same bodies POSTed to the view of each
  form, and random ones to every other own URL (`test_a_random_post_…`), by a persona
  allowed to use it, on in-scope objects of the demo; `test_a_fuzzed_query_…`: random
  query strings, by GET, to every own URL.
* `test_a_fuzzed_admin_form_never_answers_500`: the admin's add and change pages, their
  forms as the page sends them (inlines included), mutated, POSTed by the superuser.
* At the end, the bugs the fuzzing found, each as a plain test.

Deterministic and quick: `derandomize=True`, no example database, few examples (a
deeper run: `FUZZ_EXAMPLES=500 pytest tests/test_fuzzing.py`); each example runs in a
transaction rolled back at its end. The test client re-raises a view's exception:
nothing here catches it.
"""

import importlib
import inspect
import os
import pkgutil
from html.parser import HTMLParser

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from aktywizacja.forms import add_service_error
from partners.models import Organisation, Project
from pathways import forms_coordination as coordination_forms

from .conftest import verified_login
from .factories import PartnershipFactory
from .fuzz_registry import REGISTRY, SPECS, Base, Ctx, make_ctx
from .fuzz_values import DATES, EXTRA_KEYS, NUMBERS, TEXT, split, submissions, values_for
from .urlwalk import OWN_PATTERNS, PARAMETERS, QUERY_PARAMETERS, path_for

APPS = ("partners", "participants", "pathways", "reporting", "aktywizacja")

hypothesis_settings.register_profile(
    "aktywizacja-fuzz",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 15)),
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its own transaction back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
_PROFILE = hypothesis_settings.get_profile("aktywizacja-fuzz")
FORMS = hypothesis_settings(_PROFILE)
#: a view's request costs more than a form's validation: fewer examples per URL
VIEWS = hypothesis_settings(_PROFILE, max_examples=max(_PROFILE.max_examples // 4, 1))
QUERIES = hypothesis_settings(_PROFILE, max_examples=max(_PROFILE.max_examples // 7, 1))


@pytest.fixture(scope="module")
def _fuzz_world(_demo_loaded, django_db_blocker) -> Ctx:
    """Made once, inside the demo's transaction (rolled back after the module)."""
    with django_db_blocker.unblock():
        return make_ctx(Project.objects.get(short_name="lebork-2016"))


@pytest.fixture
def ctx(_fuzz_world, db) -> Ctx:
    return _fuzz_world.fresh()


def _logged_in(client, user) -> None:
    """Log `user` in once for the test, outside the examples' transactions (so that
    their rollback keeps the session); again after an example ended the session."""
    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if getattr(client, "_fuzz_login", None) != (user.pk, key.value if key else None):
        verified_login(client, user)
        client._fuzz_login = (user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value)


# Discovery ------------------------------------------------------------------------------


def our_form_classes() -> set[type]:
    """Every Form and FormSet class our apps' modules define or make (a formset made by
    `formset_factory` from one of ours counts)."""
    found = set()
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name.endswith(("wsgi", "asgi")):
                continue
            for value in vars(importlib.import_module(info.name)).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm | forms.BaseFormSet)
                    and any(c.__module__.split(".")[0] in APPS for c in value.__mro__)
                ):
                    found.add(value)
    return found


def test_every_form_is_in_the_registry():
    found = our_form_classes()
    missing = sorted(c.__qualname__ for c in found - set(REGISTRY))
    assert not missing, f"forms with no entry in tests/fuzz_registry.py: {missing}"
    gone = sorted(c.__qualname__ for c in set(REGISTRY) - found)
    assert not gone, f"the registry names forms no longer defined: {gone}"
    bases = [c for c, entry in REGISTRY.items() if isinstance(entry, Base)]
    print(
        f"\nfuzzing: {len(found) - len(bases)} of {len(found)} form classes fuzzed directly "
        f"({len(SPECS)} uses), {len(bases)} bases through their subclasses"
    )


# Form level -------------------------------------------------------------------------------


def _save(ctx: Ctx, spec, form) -> None:
    """The view's save path: the service, and its ValidationError on the form."""
    try:
        spec.save(ctx, form)
    except ValidationError as error:
        if isinstance(form, forms.BaseFormSet):
            form._non_form_errors = form.error_class(error.messages)
        else:
            add_service_error(form, error)


def _is_valid(form) -> bool:
    valid = form.is_valid()
    # what the page shows: rendering the errors must not fail either
    str(form.non_form_errors() if isinstance(form, forms.BaseFormSet) else form.errors)
    return valid


def _field_strategies(form) -> dict:
    """html name → the strategy of its values; a formset's management form and the
    fields of its first rows included."""
    if not isinstance(form, forms.BaseFormSet):
        return {bound.html_name: values_for(bound) for bound in form}
    strategies = {bound.html_name: NUMBERS for bound in form.management_form}
    for index, row in enumerate((form.forms or [form.empty_form])[:2]):
        for bound in row:
            strategies[bound.html_name.replace("__prefix__", str(index))] = values_for(bound)
    return strategies


IDS = [name for name, _spec in SPECS]


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=IDS)
def test_the_base_of_every_form_is_valid(ctx, name, spec):
    with transaction.atomic():
        form = spec.build(ctx, *split(spec.base(ctx)))
        assert _is_valid(form), (form.errors, getattr(form, "non_form_errors", list)())
        if spec.save is not None:
            _save(ctx, spec, form)
        transaction.set_rollback(True)


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=IDS)
@FORMS
@given(data=st.data())
def test_a_fuzzed_form_never_raises(ctx, name, spec, data):
    with transaction.atomic():
        ctx = ctx.fresh()
        strategies = _field_strategies(spec.build(ctx, None, None))
        submitted = data.draw(submissions(spec.base(ctx), strategies), label="submitted")
        form = spec.build(ctx, *split(submitted))
        if _is_valid(form) and spec.save is not None:
            _save(ctx, spec, form)
        transaction.set_rollback(True)


# View level ---------------------------------------------------------------------------------

#: what a view may answer to anything sent: a page, a redirect, or a refusal
ALLOWED = {200, 302, 400, 403, 404, 405, 429}
BY_URL = {spec.url: spec for _name, spec in SPECS if spec.url}
#: Who sends to a URL the manager may not use: turning two-factor login off, or
#: renewing backup codes, is tried by a social worker who has it on (a manager must
#: keep it, and gets 403 — which the fuzzing of the other URLs shows anyway).
PERSONA = {"two_factor_disable": "social_worker", "two_factor_backup_codes": "social_worker"}


def _path(ctx: Ctx, route: str, name: str) -> str:
    spec = BY_URL.get(name)
    values = spec.url_args(ctx) if spec else {}
    for parameter, model in PARAMETERS.get(name, {}).items():
        assert ctx.sample_pk(model), f"no sample of {model.__name__} in tests/demo_samples.py"
        values.setdefault(parameter, ctx.sample_pk(model))
    return path_for(route, values)


def test_every_form_with_a_view_is_posted_to_it():
    names = {name for _route, name in OWN_PATTERNS}
    assert set(BY_URL) | DOWNLOADS <= names
    print(
        f"\nfuzzing: {len(OWN_PATTERNS)} own URLs: {len(BY_URL)} posted their form mutated, "
        f"{len(names) - len(BY_URL) - len(DOWNLOADS)} random bodies, {len(DOWNLOADS)} downloads"
    )


#: Files slow to make, which read no body and, for a query, only the report's period
#: and partner (fuzzed on the report's page): one hostile POST and GET each, by
#: `test_a_download_ignores_what_is_sent`, not made over and over.
DOWNLOADS = {"participants:import_template", "reporting:report_pdf", "reporting:report_xlsx"}
WITH_FORM = [(r, n) for r, n in OWN_PATTERNS if n in BY_URL]
WITHOUT_FORM = [(r, n) for r, n in OWN_PATTERNS if n not in BY_URL and n not in DOWNLOADS]


def _post(ctx, client, route: str, name: str, body: dict) -> None:
    path = _path(ctx, route, name)
    response = client.post(path, body)
    assert response.status_code in ALLOWED, (path, response.status_code)


@pytest.mark.parametrize(("route", "name"), WITH_FORM, ids=[n for _r, n in WITH_FORM])
@VIEWS
@given(data=st.data())
def test_a_fuzzed_post_never_answers_500(ctx, client, route, name, data):
    """The view's form, sent as the base submission mutated."""
    _logged_in(client, getattr(ctx, PERSONA.get(name, "manager")))
    with transaction.atomic():
        ctx = ctx.fresh()
        spec = BY_URL[name]
        strategies = _field_strategies(spec.build(ctx, None, None))
        _post(ctx, client, route, name, data.draw(submissions(spec.base(ctx), strategies)))
        transaction.set_rollback(True)


@pytest.mark.parametrize(("route", "name"), WITHOUT_FORM, ids=[n or r for r, n in WITHOUT_FORM])
@QUERIES
@given(body=st.dictionaries(st.sampled_from(EXTRA_KEYS), TEXT, max_size=3))
def test_a_random_post_never_answers_500(ctx, client, route, name, body):
    """The other views: a page, a confirmation, an action without fields."""
    _logged_in(client, getattr(ctx, PERSONA.get(name, "manager")))
    with transaction.atomic():
        _post(ctx.fresh(), client, route, name, body)
        transaction.set_rollback(True)


QUERY_VALUES = st.one_of(
    DATES,
    NUMBERS,
    TEXT,
    st.sampled_from(["1", "2", "01.01.2017", "31.12.2017", "https://evil.example/", "//x"]),
)


QUERIED = [(r, n) for r, n in OWN_PATTERNS if n not in DOWNLOADS]


@pytest.mark.parametrize(("route", "name"), QUERIED, ids=[n or r for r, n in QUERIED])
@QUERIES
@given(
    query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), QUERY_VALUES, min_size=1, max_size=4)
)
def test_a_fuzzed_query_never_answers_500(ctx, client, route, name, query):
    _logged_in(client, ctx.manager)
    with transaction.atomic():
        path = _path(ctx, route, name)
        response = client.get(path, query)
        assert response.status_code in ALLOWED, (path, response.status_code)
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_a_download_ignores_what_is_sent(ctx, client, name):
    route = next(r for r, n in OWN_PATTERNS if n == name)
    _logged_in(client, ctx.manager)
    hostile = {"start": "31.12.9999", "organisation": "\x00", "x" * 99: "x" * 10_000}
    _post(ctx, client, route, name, hostile)  # they answer a POST as a GET


# The admin ------------------------------------------------------------------------------------


class PageForm(HTMLParser):
    """What a browser sends from a page's main form: its inputs (checked boxes only),
    the selected options, the text areas — hidden management forms included."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select, self._options, self._textarea, self._multiple = None, [], None, False

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or (not attrs.get("name") and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self._add(name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = name, []
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._multiple:
                chosen = [self._options[0][0]]  # a browser sends the first option
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def admin_pages() -> list[tuple[str, type, bool]]:
    """(id, model, change?) of every admin page with a form the superuser may send:
    the add page and the change page, where the model's admin allows them."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_active=True, is_staff=True)
    pages = []
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_add_permission(request):
            pages.append((f"{model._meta.label}-add", model, False))
        if model_admin.has_change_permission(request):
            pages.append((f"{model._meta.label}-change", model, True))
    return pages


ADMIN_PAGES = admin_pages()
_ADMIN_BASES: dict[str, dict] = {}


@pytest.mark.parametrize(("page", "model", "change"), ADMIN_PAGES, ids=[p[0] for p in ADMIN_PAGES])
@VIEWS
@given(data=st.data())
def test_a_fuzzed_admin_form_never_answers_500(ctx, client, page, model, change, data):
    meta = model._meta
    _logged_in(client, ctx.superuser)
    with transaction.atomic():
        if change:
            # A library's model the demo has no row of (auth's groups): the admin tells
            # that object 0 does not exist, whatever is sent.
            pk = ctx.sample_pk(model) or model._default_manager.values_list("pk", flat=True).first()
            path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk or 0])
        else:
            path = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        if path not in _ADMIN_BASES:
            parser = PageForm(f"{meta.model_name}_form")
            parser.feed(client.get(path).content.decode())
            _ADMIN_BASES[path] = parser.data
        base = _ADMIN_BASES[path]
        strategies = dict.fromkeys(base, st.one_of(TEXT, NUMBERS, DATES))
        body = data.draw(submissions(base, strategies), label="body")
        response = client.post(path, body)
        assert response.status_code in ALLOWED, (path, response.status_code)
        transaction.set_rollback(True)


# What the fuzzing found ---------------------------------------------------------------------
# Each was a 500; each is now an error on the form. Kept as plain tests, on purpose.


def test_a_report_period_outside_the_project_years_is_refused(ctx, client):
    """31.12.9999 has no next month: the dashboard's chart raised OverflowError."""
    url = reverse("reporting:dashboard", args=[ctx.demo.pk])
    client = verified_login(client, ctx.manager)
    response = client.get(url, {"start": "01.01.0001", "end": "31.12.9999"})
    assert response.status_code == 200
    assert "Wpisz datę od 01.01.2016 do 31.12.2019" in response.content.decode()


def _project_page(client, project) -> tuple[str, dict]:
    path = reverse("admin:partners_project_change", args=[project.pk])
    parser = PageForm("project_form")
    parser.feed(client.get(path).content.decode())
    return path, parser.data


def test_an_inline_row_repeating_a_saved_partner_is_refused(ctx, client):
    """A project page open in two tabs: a partner added in both reached the database's
    unique constraint (IntegrityError), unchecked for an inline's rows."""
    client = verified_login(client, ctx.superuser)
    path, data = _project_page(client, ctx.demo)
    leszno = Organisation.objects.get(short_name="OPS Leszno")
    PartnershipFactory(project=ctx.demo, organisation=leszno)  # in the other tab
    rows = int(data["partnerships-TOTAL_FORMS"][0])
    data |= {
        "partnerships-TOTAL_FORMS": [str(rows + 1)],
        f"partnerships-{rows}-organisation": [str(leszno.pk)],
    }
    response = client.post(path, data)
    assert response.status_code == 200
    assert "Ta organizacja jest już partnerem projektu." in response.content.decode()


def test_an_autocomplete_field_sent_no_id_is_an_error(ctx, client):
    """The admin's autocomplete widget looked " " up as an id to show the form again."""
    client = verified_login(client, ctx.superuser)
    path, data = _project_page(client, ctx.demo)
    data["partnerships-0-organisation"] = [" "]
    response = client.post(path, data)
    assert response.status_code == 200
    assert "Wybierz poprawną wartość" in response.content.decode()


def test_an_id_beyond_the_database_integers_is_an_error(ctx, client):
    """Looked up with `__in` (a many-to-many field of the admin, the rows of the
    attendance grid), such an id made the database refuse the query."""
    from pathways.forms import AttendanceFormSet, SessionForm

    from .fuzz_registry import _rows

    client = verified_login(client, ctx.superuser)
    path, data = _project_page(client, ctx.demo)
    data["communes"] = ["9223372036854775808"]
    response = client.post(path, data)
    assert response.status_code == 200
    assert "Wybierz poprawną wartość. 9223372036854775808" in response.content.decode()
    huge = _rows(ctx) | {"rows-0-enrolment": "9223372036854775808"}
    rows = AttendanceFormSet(
        huge, user=ctx.manager, session_form=SessionForm(huge, user=ctx.manager), prefix="rows"
    )
    assert not rows.is_valid()
    refusal = "Ta osoba nie należy do uczestników tego projektu, do których masz dostęp."
    assert rows.forms[0].non_field_errors() == [refusal]


def test_an_empty_row_of_the_attendance_grid_is_skipped(ctx):
    """A row sent empty beyond the grid's rows was valid, and its missing values
    raised KeyError when the rows were handed to the service."""
    from pathways.forms import AttendanceFormSet, SessionForm

    from .fuzz_registry import _rows

    def grid(data):
        session = SessionForm(data, user=ctx.manager)
        return AttendanceFormSet(data, user=ctx.manager, session_form=session, prefix="rows")

    rows = grid(_rows(ctx) | {"rows-TOTAL_FORMS": "2"})
    assert rows.is_valid()
    assert [row.enrolment for row in rows.attendance_rows()] == [ctx.rich]
    only_empty = _rows(ctx) | {"rows-0-enrolment": "", "rows-0-present": ""}
    nobody = grid(only_empty)
    assert not nobody.is_valid()
    assert nobody.non_form_errors() == ["Lista obecności jest pusta."]


def test_a_next_that_is_no_path_is_ignored(ctx, client):
    """`?next=abc` passed the same-site check and `redirect` took it for a URL name:
    NoReverseMatch, after the code page and after recording a medical examination."""
    verified_login(client, ctx.manager)
    response = client.get(reverse("two_factor_verify"), {"next": "0001-01-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    exam = reverse("pathways:medical_exam_add", args=[ctx.rich.pk]) + "?next=abc"
    body = REGISTRY[coordination_forms.MedicalExamForm].base(ctx)
    response = client.post(exam, body)
    assert response.status_code == 302
    assert response["Location"] == ctx.rich.get_absolute_url()
