"""Forms a screen reader can use (WCAG 1.3.1, 3.3.1, 3.3.2, 4.1.2), checked on the HTML
of every page of our own, without a browser: every visible field has a label; and every
form that has a required field, sent empty, comes back with its errors announced and
linked — an error summary (role="alert", a heading, a link to each field at fault) at
its top, and each field at fault marked aria-invalid="true" and described by its error
text (aria-describedby naming ids that exist)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from .demo_samples import demo_samples
from .samples import in_scope_sample
from .urlwalk import OWN_PATTERNS, PARAMETERS, parameter_names, path_for

User = get_user_model()

FIELDS = {"input", "select", "textarea"}
NOT_TYPED_IN = {"hidden", "submit", "button", "reset", "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
NOT_PAGES = {"favicon", "health", "login", "logout"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    text: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class Tree(HTMLParser):
    """Just enough of a DOM: elements, their attributes, parents and text."""

    def __init__(self, html: str):
        super().__init__()
        self.root = self.current = Element("#document", {})
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data


def _hidden(element: Element) -> bool:
    return any(
        "hidden" in node.attrs or "d-none" in node.attrs.get("class", "").split()
        for node in [element, *element.ancestors()]
    )


def _typed_in(root: Element):
    """The fields a person fills: visible inputs, selects and text areas."""
    for element in root.walk():
        if element.tag in FIELDS and not _hidden(element):
            if element.tag == "input" and element.attrs.get("type", "text") in NOT_TYPED_IN:
                continue
            yield element


def unlabelled(document: Element) -> list[str]:
    """Visible fields with no accessible name from a label or an ARIA attribute."""
    labelled = {
        e.attrs["for"]
        for e in document.walk()
        if e.tag == "label" and e.attrs.get("for") and e.all_text().strip()
    }
    ids = {e.attrs["id"]: e for e in document.walk() if e.attrs.get("id")}
    missing = []
    for element in _typed_in(document):
        named_by = element.attrs.get("aria-labelledby", "").split()
        if (
            element.attrs.get("id") in labelled
            or element.attrs.get("aria-label", "").strip()
            or (named_by and all(i in ids and ids[i].all_text().strip() for i in named_by))
            or any(a.tag == "label" and a.all_text().strip() for a in element.ancestors())
        ):
            continue
        missing.append(element.attrs.get("name") or element.attrs.get("id") or element.tag)
    return missing


def error_problems(document: Element) -> list[str]:
    """What keeps a form's errors from being announced and found, on a page that came
    back with them."""
    ids = {e.attrs["id"] for e in document.walk() if e.attrs.get("id")}
    problems = []
    summaries = [e for e in document.walk() if "data-error-summary" in e.attrs]
    if not summaries:
        return ["no error summary"]
    for summary in summaries:
        if summary.attrs.get("role") != "alert":
            problems.append("the error summary is not role=alert")
        if summary.attrs.get("tabindex") != "-1":
            problems.append("the error summary cannot take the focus")
        if not any(e.tag in {"h2", "h3"} for e in summary.walk()):
            problems.append("the error summary has no heading")
        items = [e for e in summary.walk() if e.tag == "li"]
        if not items:
            problems.append("the error summary lists no error")
        for link in (e for e in summary.walk() if e.tag == "a"):
            target = link.attrs.get("href", "")
            if not target.startswith("#") or target[1:] not in ids:
                problems.append(f"the summary links to {target!r}, which is not on the page")
    for element in _typed_in(document):
        name = element.attrs.get("name")
        invalid = "is-invalid" in element.attrs.get("class", "").split()
        if invalid and element.attrs.get("aria-invalid") != "true":
            problems.append(f"{name}: shown invalid without aria-invalid")
        if element.attrs.get("aria-invalid") == "true":
            # a group of radios or boxes is described through its fieldset
            group = next((a for a in element.ancestors() if a.tag == "fieldset"), element)
            described = (
                element.attrs.get("aria-describedby") or group.attrs.get("aria-describedby", "")
            ).split()
            if not described:
                problems.append(f"{name}: aria-invalid without aria-describedby")
            problems += [
                f"{name}: described by #{i}, not on the page" for i in described if i not in ids
            ]
    marked = [e for e in _typed_in(document) if e.attrs.get("aria-invalid") == "true"]
    if not marked and not any(
        e.tag == "li" and not any(a.tag == "a" for a in e.walk())
        for s in summaries
        for e in s.walk()
    ):
        problems.append("no field is marked aria-invalid and no error stands alone")
    return problems


def _main_form(document: Element) -> Element | None:
    """The form a person fills on the page: the first POST form in <main> with a
    required field (a form with nothing required, sent empty, would act)."""
    main = next((e for e in document.walk() if e.tag == "main"), document)
    for form in (e for e in main.walk() if e.tag == "form"):
        if form.attrs.get("method", "get").lower() != "post":
            continue
        if any("required" in e.attrs for e in _typed_in(form)):
            return form
    return None


def _empty_body(form: Element) -> dict[str, str]:
    """What a browser sends from the form emptied: its hidden fields only."""
    return {
        e.attrs["name"]: e.attrs.get("value", "")
        for e in form.walk()
        if e.tag == "input" and e.attrs.get("type") == "hidden" and e.attrs.get("name")
    }


def _pages(user, demo):
    """(URL name, path) of every page of our own the user opens, parameters from the
    user's in-scope sample first, then the demo's others."""
    samples = demo_samples(demo)
    for route, name in OWN_PATTERNS:
        if name in NOT_PAGES:
            continue
        options = {}
        for parameter in parameter_names(route):
            model = PARAMETERS[name][parameter]
            first = in_scope_sample(model, user, demo)
            options[parameter] = [o for o in [first, *samples.get(model, [])] if o is not None]
        if not all(options.values()):
            continue
        tries = max([len(v) for v in options.values()] or [1])
        for index in range(min(tries, 6)):
            yield name, path_for(route, {p: v[min(index, len(v) - 1)] for p, v in options.items()})


@dataclass
class Walk:
    pages: int = 0
    forms: int = 0
    problems: list[str] = field(default_factory=list)


def _walk(client, user, demo) -> Walk:
    walk, seen = Walk(), set()
    for name, path in _pages(user, demo):
        if name in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        seen.add(name)
        walk.pages += 1
        document = Tree(response.content.decode()).root
        walk.problems += [f"{name}: {f} has no label" for f in unlabelled(document)]
        form = _main_form(document)
        if form is None:
            continue
        action = form.attrs.get("action") or path
        answer = client.post(action, _empty_body(form))
        if answer.status_code != 200:
            walk.problems.append(f"{name}: sent empty, answered {answer.status_code}")
            continue
        walk.forms += 1
        sent = Tree(answer.content.decode()).root
        walk.problems += [f"{name} (sent empty): {p}" for p in error_problems(sent)]
        walk.problems += [f"{name} (sent empty): {f} has no label" for f in unlabelled(sent)]
    return walk


@pytest.mark.parametrize("username", ["kierownik", "sw.lebork", "koord.starostwo"])
def test_every_form_labels_its_fields_and_announces_its_errors(demo, login, username):
    user = User.objects.get(username=username)
    walk = _walk(login(user), user, demo)
    print(f"\n{username}: {walk.pages} pages, {walk.forms} forms sent empty")
    assert walk.pages >= 20 and walk.forms >= 5, walk
    assert not walk.problems, "\n".join(dict.fromkeys(walk.problems))


def test_the_login_form_announces_its_errors(client, db):
    response = client.post("/konto/logowanie/", {})
    document = Tree(response.content.decode()).root
    assert error_problems(document) == []
    assert unlabelled(document) == []


def test_the_summary_links_the_errors_of_a_form_to_its_fields(demo, login):
    manager = User.objects.get(username="kierownik")
    response = login(manager).post("/uczestnicy/nowy/", {})
    document = Tree(response.content.decode()).root
    summary = next(e for e in document.walk() if "data-error-summary" in e.attrs)
    assert "Formularz zawiera błędy" in summary.all_text()
    links = [e.attrs["href"] for e in summary.walk() if e.tag == "a"]
    assert "#id_pesel" in links or "#id_first_name" in links, links
    first_name = next(e for e in document.walk() if e.attrs.get("id") == "id_first_name")
    assert first_name.attrs["aria-invalid"] == "true"
    assert "id_first_name_error" in first_name.attrs["aria-describedby"].split()


def test_a_tree_finds_an_unlabelled_field_and_a_broken_description():
    html = (
        '<main><form method="post"><input name="a" required aria-invalid="true" '
        'aria-describedby="gone"><label for="b">B</label><input id="b" name="b">'
        '<label>C <input name="c"></label><input type="hidden" name="h"></form></main>'
    )
    document = Tree(html).root
    assert unlabelled(document) == ["a"]
    assert "no error summary" in error_problems(document)
    assert _empty_body(_main_form(document)) == {"h": ""}
