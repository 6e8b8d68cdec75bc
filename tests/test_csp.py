"""The Content-Security-Policy: sent on every page, and every page satisfies it.

The policy allows nothing inline, so the pages must carry no <script> without src, no
on…= event handler, no style attribute and no javascript: URL. The main pages of the
demo are rendered and parsed to prove it (a real browser check: README, "Production").
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from aktywizacja.csp import ADMIN_STYLE_ATTRIBUTES, style_hash
from participants.models import Participant
from pathways.models import Course, Internship, Pathway, PlannedSupport, Session

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


class InlineCode(HTMLParser):
    """Collects what the policy would block: inline scripts, handlers, styles."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


# --- The parser itself ------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x"</script>',
        '<a href="#" onclick="go()">x</a>',
        '<body onload="go()">',
        '<div style="width: 50%">x</div>',
        '<img src="x.png" style="border:0"/>',
        '<a href="JavaScript:alert(1)">x</a>',
        '<form action=" javascript:void(0)"></form>',
        "<style>p { color: red }</style>",
    ],
)
def test_the_parser_catches_inline_code(html):
    assert inline_code(html) != []


def test_the_parser_lets_external_code_through():
    html = (
        '<link rel="stylesheet" href="/static/x.css"><script src="/static/x.js"></script>'
        '<a href="/x/" class="btn">x</a><svg><rect width="40" fill="#0d6efd"/></svg>'
    )
    assert inline_code(html) == []


# --- The header -------------------------------------------------------------------


def test_the_login_page_sends_the_policy(client):
    response = client.get(reverse("login"))
    assert _directives(response["Content-Security-Policy"]) == POLICY


def test_the_policy_has_no_unsafe_source(login, sw_lebork):
    header = login(sw_lebork).get(reverse("home"))["Content-Security-Policy"]
    assert "unsafe" not in header
    assert "nonce" not in header
    assert _directives(header) == POLICY


def test_the_admin_may_apply_one_style_attribute_by_its_hash(login, superuser):
    response = login(superuser).get(reverse("admin:index"))
    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    # The hash Chromium names when it blocks simple_history's `style="border-top: 0"`.
    allowed = "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"
    assert directives == {**POLICY, "style-src-attr": allowed}
    assert style_hash("border-top: 0") in allowed


def test_outside_the_admin_no_style_attribute_is_allowed(login, sw_lebork):
    header = login(sw_lebork).get(reverse("participants:list"))["Content-Security-Policy"]
    assert "style-src-attr" not in header


# --- Every main page satisfies it -------------------------------------------------


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _main_pages(demo) -> dict[str, str]:
    """The main pages of the demo, by a label for the failure message."""
    participant = Participant.objects.filter(enrolments__project=demo).order_by("pk").first()
    # The pathway with the most planned support: its page shows the progress bars.
    pathway = (
        Pathway.objects.filter(enrolment__project=demo)
        .annotate(planned=Count("items"))
        .order_by("-planned", "pk")
        .first()
    )
    session = Session.objects.filter(project=demo).order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    internship = Internship.objects.order_by("pk").first()
    project = [demo.pk]
    return {
        "home": reverse("home"),
        "project": reverse("partners:project_detail", args=project),
        "participant list": reverse("participants:list"),
        "participant list, searched": reverse("participants:list") + "?q=a",
        "participant": reverse("participants:detail", args=[participant.pk]),
        "participant edit": reverse("participants:edit", args=[participant.pk]),
        "pathway": reverse("pathways:detail", args=[pathway.enrolment_id]),
        "session": reverse("pathways:session_detail", args=[session.pk]),
        "session, choice": reverse("pathways:session_new"),
        "internships": reverse("pathways:internships"),
        "internship": reverse("pathways:internship_detail", args=[internship.pk]),
        "courses": reverse("pathways:courses"),
        "course": reverse("pathways:course_detail", args=[course.pk]),
        "referred": reverse("pathways:referred"),
        "employers": reverse("pathways:employers"),
        "catalogue": reverse("pathways:catalogue"),
        "dashboard": reverse("reporting:dashboard", args=project),
        "report": reverse("reporting:report", args=project),
        "indicators help": reverse("reporting:help"),
        "quality": reverse("reporting:quality", args=project),
        "exports": reverse("reporting:exports", args=project),
        "budget": reverse("partners:budget", args=project),
        "import": reverse("participants:import"),
        "import history": reverse("participants:import_list"),
        "password change": reverse("password_change"),
    }


def test_the_main_pages_have_no_inline_code(demo, login):
    client = login(_user("kierownik"))
    checked = {}
    for label, url in _main_pages(demo).items():
        response = client.get(url)
        assert response.status_code == 200, f"{label}: {url} answered {response.status_code}"
        assert "Content-Security-Policy" in response, label
        checked[label] = inline_code(response.content.decode())
    assert {label: problems for label, problems in checked.items() if problems} == {}
    assert len(checked) == 25


def test_the_progress_bars_are_drawn_without_a_style(demo, login):
    planned = PlannedSupport.objects.filter(
        pathway__enrolment__project=demo, planned_hours__gt=0
    ).first()
    enrolment_pk = planned.pathway.enrolment_id
    response = login(_user("kierownik")).get(reverse("pathways:detail", args=[enrolment_pk]))
    html = response.content.decode()
    assert 'class="progress-svg-bar"' in html
    assert inline_code(html) == []


def test_the_attendance_grid_has_no_inline_code(demo, login):
    session = Session.objects.filter(project=demo, provider__short_name="MOPS Lębork").first()
    choice = {
        "project": session.project_id,
        "provider": session.provider_id,
        "support_form": session.support_form_id,
        "date": f"{session.date:%d.%m.%Y}",
    }
    response = login(_user("sw.lebork")).get(reverse("pathways:session_new"), choice)
    assert response.status_code == 200
    html = response.content.decode()
    assert "input-hours" in html  # the grid is there, its width a class
    assert inline_code(html) == []


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_the_public_pages_have_no_inline_code(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:participants_participant_changelist", "admin:auth_user_add"],
)
def test_the_admin_pages_have_no_inline_code(demo, login, superuser, url_name):
    response = login(superuser).get(reverse(url_name))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_the_admin_history_page_has_only_the_allowed_style(demo, login, superuser):
    participant = Participant.objects.order_by("pk").first()
    url = reverse("admin:participants_participant_history", args=[participant.pk])
    response = login(superuser).get(url)
    assert response.status_code == 200
    allowed = [f"<p style={style!r}>" for style in ADMIN_STYLE_ATTRIBUTES]
    assert inline_code(response.content.decode()) == allowed
