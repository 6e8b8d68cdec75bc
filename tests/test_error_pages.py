"""Errors are shown in Polish, without technical details."""

from django.urls import reverse


def test_a_404_is_a_polish_page_without_details(login, sw_leszno, world, settings):
    settings.DEBUG = False
    response = login(sw_leszno).get(reverse("partners:project_detail", args=[world.lebork.pk]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nie znaleziono strony" in body
    assert "Project" not in body  # no model names, no query details


def test_the_500_page_renders_without_a_request_context(settings):
    from django.template.loader import render_to_string

    settings.DEBUG = False
    assert "Błąd serwera" in render_to_string("500.html")
