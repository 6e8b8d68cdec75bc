"""The health endpoint: public, uncached, silent about details, honest about the database."""

from unittest import mock

from django.db import OperationalError
from django.urls import reverse

URL = "/zdrowie/"


def test_it_lives_at_zdrowie():
    assert reverse("health") == URL


def test_it_answers_ok_to_anyone(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_it_is_never_cached(client):
    cache_control = client.get(URL)["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control


def test_it_answers_a_head_request(client):
    assert client.head(URL).status_code == 200


def test_it_refuses_a_post(client):
    assert client.post(URL).status_code == 405


def _broken(*, failing: str) -> dict:
    """Database connections whose "connect" or "query" fails."""
    error = OperationalError("could not connect to server at db.internal:5432")
    connection = mock.MagicMock()
    if failing == "query":
        connection.cursor.return_value.__enter__.return_value.execute.side_effect = error
    else:
        connection.cursor.side_effect = error
    return {"default": connection}


def test_it_answers_503_without_details_when_the_database_is_down(client, caplog):
    with mock.patch("aktywizacja.health.connections", _broken(failing="connect")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "no-store" in response["Cache-Control"]
    # The reason is logged for the operators, never sent to the caller.
    assert "db.internal" in caplog.text
    assert "db.internal" not in response.content.decode()


def test_it_answers_503_when_the_query_fails(client):
    with mock.patch("aktywizacja.health.connections", _broken(failing="query")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_a_logged_in_user_gets_the_same_answer(login, sw_lebork):
    response = login(sw_lebork).get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_is_not_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    # …while every other page is.
    assert client.get(reverse("login")).status_code == 301
