"""Deny by default: every URL pattern sends an anonymous visitor to a login page.

The walk covers every pattern the URLconf has, so a new view is checked the day it
is added; a public page must be listed in PUBLIC on purpose.
"""

import re
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open, by URL name. Keep this list short and deliberate.
PUBLIC = {"login", "admin:login"}

# Values for path parameters, by parameter name.
SAMPLE = {
    "pk": "1",
    "object_id": "1",
    "content_type_id": "1",
    "app_label": "partners",
    "project_pk": "1",
    "organisation_pk": "1",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (f"{namespace}{entry.name}" if entry.name else None)


def _example_path(route: str) -> str:
    """Turn a route or regex into a concrete path, filling parameters from SAMPLE."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE.get(m.group(1), "x"), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


ALL_PATTERNS = sorted(set(_walk(get_resolver().url_patterns)), key=lambda p: p[0])


def test_the_walk_finds_our_views():
    names = {name for _, name in ALL_PATTERNS}
    assert {"home", "partners:project_detail", "password_change", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_PATTERNS, ids=[p[0] or "/" for p in ALL_PATTERNS])
def test_an_anonymous_visitor_is_sent_to_log_in(client, route, name):
    if name in PUBLIC:
        pytest.skip("public on purpose")
    response = client.get(_example_path(route))
    assert response.status_code == 302, f"{route} answered {response.status_code}"
    target = urlparse(response["Location"]).path
    assert target in {reverse("login"), reverse("admin:login")}


@pytest.mark.django_db
def test_the_public_pages_really_open(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200
