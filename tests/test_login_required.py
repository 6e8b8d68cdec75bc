"""Deny by default: every URL pattern sends an anonymous visitor to a login page.

The walk covers every pattern the URLconf has, so a new view is checked the day it
is added; a public page must be listed in PUBLIC on purpose.
"""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.urlwalk import ALL_PATTERNS, example_path

# Pages anyone may open, by URL name. Keep this list short and deliberate.
PUBLIC = {"login", "admin:login", "health", "favicon"}

PROTECTED = [(route, name) for route, name in ALL_PATTERNS if name not in PUBLIC]


def test_the_walk_finds_our_views():
    names = {name for _, name in ALL_PATTERNS}
    assert {"home", "partners:project_detail", "password_change", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), PROTECTED, ids=[p[0] or "/" for p in PROTECTED])
def test_an_anonymous_visitor_is_sent_to_log_in(client, route, name):
    for method in ("get", "post"):
        response = getattr(client, method)(example_path(route))
        assert response.status_code == 302, f"{method} {route} answered {response.status_code}"
        target = urlparse(response["Location"]).path
        assert target in {reverse("login"), reverse("admin:login")}


@pytest.mark.django_db
def test_the_public_pages_really_open(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200
