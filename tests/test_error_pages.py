"""Errors are shown in Polish, without technical details.

With DEBUG off every error code has its own generic page: no traceback, no model
names, no SQL, no reason of the CSRF check; 400, the CSRF failure and 500 render
without a request context (the layout `error_standalone.html`).
"""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path, reverse

# Views that fail on purpose, mounted beside the project's URLs for these tests only
# (`@pytest.mark.urls(__name__)`); the handlers are Django's defaults, as in production.
LEAK = "SELECT pesel FROM participants_participant WHERE id = 1 -- Participant"


@login_not_required
def _server_error(request):
    raise RuntimeError(LEAK)


@login_not_required
def _bad_request(request):
    raise BadRequest(LEAK)


@login_not_required
def _suspicious(request):
    raise SuspiciousOperation(LEAK)


urlpatterns = [
    path("test/500/", _server_error),
    path("test/400/", _bad_request),
    path("test/400-suspicious/", _suspicious),
    path("", include("aktywizacja.urls")),
]

DETAILS = ("Traceback", "SELECT", "participants_participant", "Participant", "pesel", "CSRF")


def _assert_generic(body: str) -> None:
    for detail in DETAILS:
        assert detail not in body, detail


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_404_is_a_polish_page_without_details(login, sw_leszno, world):
    response = login(sw_leszno).get(reverse("partners:project_detail", args=[world.lebork.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nie znaleziono strony" in body
    assert "Project" not in body  # no model names, no query details
    _assert_generic(body)


def test_an_unknown_address_is_the_same_404_even_anonymously(client):
    response = client.get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.content.decode()
    _assert_generic(response.content.decode())


def test_a_403_is_a_polish_page_without_details(login, auditor):
    response = login(auditor).get(reverse("participants:register"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Brak dostępu" in body
    assert "Twoja rola nie pozwala na tę czynność." in body
    _assert_generic(body)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test/400/", "/test/400-suspicious/"])
def test_a_400_is_a_polish_page_without_details(client, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nieprawidłowe żądanie" in body
    _assert_generic(body)


def test_a_disallowed_host_gets_the_polish_400(client):
    response = client.get(reverse("login"), headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in response.content.decode()
    _assert_generic(response.content.decode())


def test_a_csrf_failure_is_a_polish_page_without_the_reason(sw_lebork):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "sw.lebork", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formularz wygasł" in body
    assert "Nic nie zostało zapisane." in body
    _assert_generic(body)
    assert "not set" not in body  # the reason ("CSRF cookie not set.") stays out


@pytest.mark.urls(__name__)
def test_a_500_is_a_polish_page_without_details(client):
    client.raise_request_exception = False
    response = client.get("/test/500/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Błąd serwera" in body
    _assert_generic(body)


@pytest.mark.parametrize(
    ("template", "title"),
    [
        ("500.html", "Błąd serwera"),
        ("400.html", "Nieprawidłowe żądanie"),
        ("403_csrf.html", "Formularz wygasł"),
    ],
)
def test_the_standalone_pages_render_without_a_request_context(template, title):
    body = render_to_string(template)
    assert title in body
    assert 'lang="pl"' in body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("url", "status"), [("/test/500/", 500), ("/nie-ma/", 404)])
def test_error_pages_carry_the_content_security_policy(client, url, status):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    assert "script-src 'self'" in response["Content-Security-Policy"]
