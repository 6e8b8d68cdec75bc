"""Progress of the long runs: the import's progress endpoint and page, and the
download-token cookie the export and report files set (reporting/downloads.py)."""

import pytest
from django.urls import reverse

from participants.models import AccessEvent, ParticipantImport
from reporting.downloads import COOKIE_PREFIX, COOKIE_SECONDS

Status = ParticipantImport.Status
TOKEN = "0123456789abcdef0123456789abcdef"


def _running(record: ParticipantImport, status=Status.PREVIEWING, done=120, total=500):
    ParticipantImport.objects.filter(pk=record.pk).update(
        status=status, rows_done=done, rows_total=total
    )
    record.refresh_from_db()
    return record


def _progress(client, record):
    return client.get(reverse("participants:import_progress", args=[record.pk]))


# The import ---------------------------------------------------------------------------


def test_it_tells_the_progress_of_a_check(scope_world, login):
    sw = scope_world
    record = _running(sw.sets["own"].participant_import)
    before = AccessEvent.objects.count()
    response = _progress(login(sw.users["sw_lebork"]), record)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "running": True,
        "status": "PREVIEWING",
        "done": 120,
        "total": 500,
        "text": "Sprawdzono 120 z 500 wierszy.",
    }
    assert AccessEvent.objects.count() == before  # counts only: nobody is shown


def test_it_tells_the_progress_of_an_import_and_its_end(scope_world, login):
    sw = scope_world
    client = login(sw.users["manager"])
    record = _running(sw.sets["own"].participant_import, Status.IMPORTING, 1, 1)
    assert _progress(client, record).json()["text"] == "Zaimportowano 1 z 1 wiersza."
    record = _running(record, Status.IMPORTED, 1, 1)
    answer = _progress(client, record).json()
    assert answer["running"] is False
    assert answer["text"] == "Gotowe, stan: zaimportowany."


@pytest.mark.parametrize("persona", ["sw_wicko", "coordinator", "sw_leszno", "nobody"])
def test_another_partners_import_is_404(scope_world, login, persona):
    sw = scope_world
    response = _progress(login(sw.users[persona]), sw.sets["own"].participant_import)
    assert response.status_code == 404


def test_it_needs_a_login(scope_world, client):
    response = _progress(client, scope_world.sets["own"].participant_import)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_get_only(scope_world, login):
    sw = scope_world
    url = reverse("participants:import_progress", args=[sw.sets["own"].participant_import.pk])
    assert login(sw.users["manager"]).post(url).status_code == 405


def test_a_running_import_page_has_a_bar_the_script_moves_and_no_refresh(scope_world, login):
    sw = scope_world
    record = _running(sw.sets["own"].participant_import)
    response = login(sw.users["sw_lebork"]).get(record.get_absolute_url())
    html = response.content.decode()
    assert "http-equiv" not in html  # no self-refresh the user cannot stop
    progress_url = reverse("participants:import_progress", args=[record.pk])
    assert f'data-import-progress="{progress_url}"' in html
    assert '<progress class="w-100" max="500" value="120"' in html
    assert 'aria-live="polite"' in html
    assert "Sprawdzono 120 z 500 wierszy." in html
    assert 'src="/static/js/import-progress.js"' in html
    assert f'href="{record.get_absolute_url()}" data-progress-refresh>Odśwież</a>' in html


def test_a_finished_import_page_has_no_polling(scope_world, login):
    sw = scope_world
    record = _running(sw.sets["own"].participant_import, Status.PREVIEWED, 1, 1)
    html = login(sw.users["sw_lebork"]).get(record.get_absolute_url()).content.decode()
    assert "import-progress.js" not in html
    assert "data-import-progress" not in html


# The downloads ------------------------------------------------------------------------


def _file(client, name: str, project, token: str | None):
    query = {"download_token": token} if token is not None else {}
    response = client.get(reverse(name, args=[project.pk]), query)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


FILES = [
    "reporting:participants_csv",
    "reporting:participants_xlsx",
    "reporting:report_xlsx",
]


@pytest.mark.parametrize("name", FILES)
def test_a_file_sets_the_cookie_of_its_token(scope_world, login, name):
    sw = scope_world
    response = _file(login(sw.users["manager"]), name, sw.sets["own"].project, TOKEN)
    assert response.status_code == 200
    cookie = response.cookies[COOKIE_PREFIX + TOKEN]
    assert cookie.value == "1"
    assert cookie["max-age"] == COOKIE_SECONDS
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


@pytest.mark.parametrize(
    "token", ["", "short", "x" * 65, "abc;def=ghi0123456789", "ąęó0123456789abcdef", "a b" * 8]
)
def test_a_token_of_another_shape_sets_no_cookie(scope_world, login, token):
    sw = scope_world
    response = _file(
        login(sw.users["manager"]), "reporting:participants_csv", sw.sets["own"].project, token
    )
    assert response.status_code == 200
    assert not [name for name in response.cookies if name.startswith(COOKIE_PREFIX)]


def test_without_a_token_there_is_no_cookie(scope_world, login):
    sw = scope_world
    response = _file(
        login(sw.users["manager"]), "reporting:participants_xlsx", sw.sets["own"].project, None
    )
    assert not [name for name in response.cookies if name.startswith(COOKIE_PREFIX)]


def test_a_refused_file_sets_no_cookie_and_drops_the_token(scope_world, login):
    """A selection that cannot make a file goes back to the page, which gets no token."""
    sw = scope_world
    project = sw.sets["own"].project
    client = login(sw.users["manager"])
    url = reverse("reporting:participants_csv", args=[project.pk])
    response = client.get(url, {"start": "nonsense", "download_token": TOKEN})
    assert response.status_code == 302
    assert "download_token" not in response["Location"]
    assert not [name for name in response.cookies if name.startswith(COOKIE_PREFIX)]
    url = reverse("reporting:report_xlsx", args=[project.pk])
    response = client.get(url, {"start": "nonsense", "download_token": TOKEN})
    assert response.status_code == 302
    assert "download_token" not in response["Location"]


def test_the_export_page_says_what_the_file_holds(scope_world, login):
    from reporting.funder import FUNDER_COLUMNS

    sw = scope_world
    project = sw.sets["own"].project
    html = login(sw.users["manager"]).get(reverse("reporting:exports", args=[project.pk]))
    html = html.content.decode()
    columns = len(FUNDER_COLUMNS)
    assert f"jeden wiersz na uczestnika i {columns} kolumn" in html
    assert html.count("data-download ") == 4
    assert 'role="status" aria-live="polite" data-download-status' in html
    assert 'data-busy-text="Przygotowuję plik…"' in html
    assert 'data-done-text="Plik został pobrany."' in html
    assert 'src="/static/js/download-progress.js"' in html
