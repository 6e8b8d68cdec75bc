"""The import screens: upload, preview, confirm, history; the record of every import.

Tasks run inline (`ImmediateBackend`, tests/conftest.py), so a POST returns when the
background run has ended."""

import csv
import datetime
import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from aktywizacja.lists import records
from participants import tasks
from participants.imports import HEADERS, MAX_BYTES
from participants.models import Enrolment, Participant, ParticipantImport
from participants.pesel import parse_pesel
from tests.factories import MembershipFactory, UserFactory, make_pesel

# Every test may run a task whose progress goes through the "progress" alias (PostgreSQL).
pytestmark = pytest.mark.django_db(databases="__all__")

Status = ParticipantImport.Status
UPLOAD = reverse("participants:import")
HISTORY = reverse("participants:import_list")


def person(number: int, **changes) -> dict:
    """A valid row for the Lębork project: an economically inactive woman, a client of
    social assistance, living in Wicko; `changes` replace cells by header."""
    born = datetime.date(1980 + number % 16, 1 + number % 12, 1 + number % 28)
    row = dict.fromkeys(HEADERS, "")
    row |= {
        "PESEL": make_pesel(born, "K", number),
        "Imię": "Anna",
        "Nazwisko": f"Importowana-{number}",
        "Wykształcenie": "gimnazjalne (ISCED 2)",
        "Gmina": "Wicko",
        "Miejscowość": "Wicko",
        "Nr budynku": str(number + 1),
        "Kod pocztowy": "84-352",
        "DEGURBA": "3",
        "Status na rynku pracy": "osoba bierna zawodowo",
        "Klient pomocy społecznej": "Tak",
        "Osoba z niepełnosprawnościami": "Nie",
        "Mniejszość, migrant, obce pochodzenie": "Nie",
        "Bezdomność lub wykluczenie z dostępu do mieszkań": "Nie",
        "Inna niekorzystna sytuacja społeczna": "Nie",
        "Data rejestracji": "02.05.2016",
    }
    return row | changes


def csv_file(rows: list[dict], name: str = "lista.csv") -> SimpleUploadedFile:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def pair(world, organisation: str = "MOPS Lębork", project=None) -> str:
    return f"{(project or world.lebork).pk}:{world.organisations[organisation].pk}"


@pytest.fixture
def upload(world, login):
    """Upload a file as `user`; the response after the redirect (the detail page)."""

    def _upload(user, file, organisation: str = "MOPS Lębork"):
        client = login(user)
        return client.post(UPLOAD, {"pair": pair(world, organisation), "file": file}, follow=True)

    return _upload


def confirm(client, record: ParticipantImport):
    return client.post(reverse("participants:import_confirm", args=[record.pk]), follow=True)


# The upload page ---------------------------------------------------------------------


def test_the_upload_page_states_the_limits_and_offers_the_template(world, sw_lebork, login):
    response = login(sw_lebork).get(UPLOAD)
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("participants:import_template") in text
    assert HISTORY in text
    assert "10 MB" in text
    assert "10\xa0000" in text
    # a social worker of one centre in one project: that pair only
    assert [key for key, _label in response.context["form"].fields["pair"].choices] == [pair(world)]


def test_a_manager_chooses_among_the_recruiting_partners(world, manager, login):
    choices = login(manager).get(UPLOAD).context["form"].fields["pair"].choices
    assert {key for key, _label in choices} == {
        pair(world, name) for name in ("PCPR Lębork", "MOPS Lębork", "OPS Wicko")
    }


@pytest.mark.parametrize("persona", ["auditor", "coordinator", "nobody"])
def test_who_cannot_register_anyone_cannot_import(request, login, persona):
    user = request.getfixturevalue(persona)
    assert login(user).get(UPLOAD).status_code == 403


def test_another_partners_pair_is_refused(world, sw_lebork, upload):
    response = upload(sw_lebork, csv_file([person(1)]), organisation="OPS Wicko")
    assert "pair" in response.context["form"].errors
    assert not ParticipantImport.objects.exists()


def test_the_template_downloads(sw_lebork, login):
    response = login(sw_lebork).get(reverse("participants:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


# Preview, then import --------------------------------------------------------------------


def test_a_valid_file_is_previewed_then_imported(world, sw_lebork, upload, login):
    response = upload(sw_lebork, csv_file([person(n) for n in range(5)]))
    record = ParticipantImport.objects.get()
    assert response.redirect_chain == [(record.get_absolute_url(), 302)]
    assert record.status == Status.PREVIEWED
    assert (record.rows_total, record.new, record.updated, record.invalid) == (5, 5, 0, 0)
    assert not Participant.objects.exists()  # a preview writes nothing
    assert bytes(record.content)  # kept for the import
    text = response.content.decode()
    assert 'data-count="new">5<' in text
    assert reverse("participants:import_confirm", args=[record.pk]) in text
    assert "http-equiv" not in text  # finished: no refreshing

    response = confirm(login(sw_lebork), record)

    record.refresh_from_db()
    assert record.status == Status.IMPORTED
    assert bytes(record.content) == b""
    assert record.rows_done == 5
    assert record.started_at <= record.finished_at
    assert record.duration is not None
    enrolments = Enrolment.objects.filter(project=world.lebork)
    assert enrolments.count() == 5
    assert {e.recruiting_organisation.short_name for e in enrolments} == {"MOPS Lębork"}
    assert Participant.objects.count() == 5
    text = response.content.decode()
    assert reverse("participants:list") in text
    assert 'data-count="new">5<' in text


def test_the_record_keeps_who_when_which_file_and_the_counts(world, sw_lebork, upload, login):
    upload(sw_lebork, csv_file([person(n) for n in range(3)], name="rekrutacja maj.csv"))
    record = ParticipantImport.objects.get()
    confirm(login(sw_lebork), record)
    record.refresh_from_db()
    assert record.created_by == sw_lebork
    assert record.created_at is not None
    assert record.file_name == "rekrutacja maj.csv"
    assert record.file_size > 0
    assert (record.project, record.organisation) == (
        world.lebork,
        world.organisations["MOPS Lębork"],
    )
    assert (record.new, record.updated, record.unchanged, record.invalid) == (3, 0, 0, 0)
    # the history names who acted, and never holds the file
    assert {h.history_user for h in record.history.all()} == {sw_lebork}
    assert not hasattr(record.history.first(), "content")


def test_the_same_file_again_changes_nobody(world, sw_lebork, upload, login):
    rows = [person(n) for n in range(3)]
    upload(sw_lebork, csv_file(rows))
    confirm(login(sw_lebork), ParticipantImport.objects.get())
    upload(sw_lebork, csv_file(rows))
    second = ParticipantImport.objects.first()
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    assert Participant.objects.count() == 3


def test_three_bad_rows_are_listed_and_cannot_be_imported(world, sw_lebork, upload, login):
    rows = [person(n) for n in range(10)]
    rows[1]["PESEL"] = rows[1]["PESEL"][:10] + str((int(rows[1]["PESEL"][10]) + 1) % 10)
    rows[4]["Data rejestracji"] = "2 maja 2016"
    rows[7]["Gmina"] = "Gdańsk"

    response = upload(sw_lebork, csv_file(rows))

    record = ParticipantImport.objects.get()
    assert record.status == Status.PREVIEWED
    assert record.invalid == 3
    assert [(e["row"], e["column"]) for e in record.errors] == [
        (3, "PESEL"),
        (6, "Data rejestracji"),
        (9, "Gmina"),
    ]
    assert bytes(record.content) == b""  # it can never be imported: the file is gone
    text = response.content.decode()
    assert text.count("<tr>") == 1 + 3  # the header and one row per error
    assert "Gdańsk" in text
    assert reverse("participants:import_confirm", args=[record.pk]) not in text
    assert UPLOAD in text

    response = confirm(login(sw_lebork), record)

    record.refresh_from_db()
    assert record.status == Status.PREVIEWED
    assert list(response.context["messages"])
    assert not Participant.objects.exists()


def test_a_quota_overflow_is_refused_before_any_row(world, sw_wicko, upload, login):
    rows = [person(n, **{"Data rozpoczęcia wsparcia": "16.05.2016"}) for n in range(31)]
    response = upload(sw_wicko, csv_file(rows), organisation="OPS Wicko")
    record = ParticipantImport.objects.get()
    assert record.status == Status.PREVIEWED
    assert "30" in record.refused and "1" in record.refused
    text = response.content.decode()
    assert escape(record.refused) in text
    assert reverse("participants:import_confirm", args=[record.pk]) not in text
    confirm(login(sw_wicko), record)
    assert not Participant.objects.exists()


def test_a_row_gone_wrong_since_the_preview_fails_the_whole_import(
    world, sw_lebork, manager, upload, login, register
):
    rows = [person(n) for n in range(4)]
    upload(sw_lebork, csv_file(rows))
    record = ParticipantImport.objects.get()
    # meanwhile OPS Wicko enrols the third person in the project
    pesel = rows[2]["PESEL"]
    register("OPS Wicko", pesel=pesel, birth_date=parse_pesel(pesel).birth_date)

    confirm(login(sw_lebork), record)

    record.refresh_from_db()
    assert record.status == Status.FAILED
    assert [e["row"] for e in record.errors] == [4]
    assert bytes(record.content) == b""
    assert Participant.objects.count() == 1  # only the one OPS Wicko registered


# Bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("lista.csv", b"", "empty"),
        ("lista.xlsx", bytes(range(256)) * 8, "unreadable"),
        ("lista.csv", b"\x00\x01\x02binary\xff\xfe" * 50, "unreadable"),
        ("lista.csv", "Nazwisko;Imię;Wiek\nKowalska;Anna;40\n".encode(), "unreadable"),
        ("lista.csv", ";".join(HEADERS).encode(), "unreadable"),
        ("lista.pdf", b"%PDF-1.4 whatever", "unreadable"),
    ],
    ids=["empty", "binary-xlsx", "binary-csv", "wrong-header", "header-only", "pdf"],
)
def test_a_bad_file_is_refused_on_the_form_and_not_stored(sw_lebork, upload, name, content, code):
    response = upload(sw_lebork, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.code == code
    assert escape(error.messages[0]) in response.content.decode()
    assert not ParticipantImport.objects.exists()


def test_a_file_over_ten_megabytes_is_refused_unread(sw_lebork, upload, monkeypatch):
    def unread(*args, **kwargs):
        raise AssertionError("a file over the limit is read")

    monkeypatch.setattr("participants.forms_import.read_table", unread)
    big = SimpleUploadedFile("lista.csv", b"x" * (MAX_BYTES + 1))
    response = upload(sw_lebork, big)
    [message] = response.context["form"].errors["file"]
    assert "10" in message
    assert not ParticipantImport.objects.exists()


# Running -----------------------------------------------------------------------------------


def _record(world, user, **fields) -> ParticipantImport:
    fields = {
        "project": world.lebork,
        "organisation": world.organisations["MOPS Lębork"],
        "created_by": user,
        "file_name": "lista.csv",
        "file_size": 10,
    } | fields
    return ParticipantImport.objects.create(**fields)


def test_a_running_import_shows_its_progress_and_follows_it(world, sw_lebork, login):
    """No self-refresh (the user could not stop it): a script polls the progress
    (tests/test_progress.py), and a link refreshes the page without JavaScript."""
    record = _record(world, sw_lebork, status=Status.IMPORTING, rows_total=200, rows_done=50)
    text = login(sw_lebork).get(record.get_absolute_url()).content.decode()
    assert "http-equiv" not in text
    assert '<progress class="w-100" max="200" value="50"' in text
    assert "import-progress.js" in text


def test_before_any_progress_the_bar_is_indeterminate(world, sw_lebork, login):
    record = _record(world, sw_lebork, status=Status.UPLOADED, rows_total=200)
    text = login(sw_lebork).get(record.get_absolute_url()).content.decode()
    assert "http-equiv" not in text
    assert '<progress class="w-100" max="200" aria-labelledby' in text


@pytest.fixture
def progress_connection():
    """Closes the progress connection a test opened (PostgreSQL), as a run does."""
    yield
    if tasks.progress_db() != "default":
        connections[tasks.progress_db()].close()


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_progress_is_written_every_fifty_rows(world, sw_lebork, progress_connection):
    record = _record(world, sw_lebork, status=Status.PREVIEWING, rows_total=120)
    progress = tasks.progress_reporter(record.pk)
    progress(49)
    record.refresh_from_db()
    assert record.rows_done == 0
    progress(50)
    record.refresh_from_db()
    assert record.rows_done == 50


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_progress_shows_while_the_imports_transaction_is_open(
    world, sw_lebork, progress_connection
):
    if tasks.progress_db() == "default":
        pytest.skip("SQLite has one writer at a time: the progress shows at the end")
    record = _record(world, sw_lebork, status=Status.IMPORTING, rows_total=120)
    other = connections.create_connection("default")  # another request's connection
    try:
        with transaction.atomic():  # the import's transaction, open
            Participant.objects.exists()
            tasks.progress_reporter(record.pk)(100)
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT rows_done FROM participants_participantimport WHERE id = %s",
                    [record.pk],
                )
                assert cursor.fetchone() == (100,)
    finally:
        other.close()


def test_a_failing_progress_write_does_not_stop_the_import(world, sw_lebork, monkeypatch, caplog):
    record = _record(world, sw_lebork, status=Status.PREVIEWING, rows_total=120)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ParticipantImport.objects, "using", broken)
    tasks.progress_reporter(record.pk)(50)  # logged, not raised
    assert "progress not written (RuntimeError)" in caplog.text


def test_the_progress_alias_is_a_mirror_of_the_database_on_postgresql(settings):
    expected = "progress" if "progress" in settings.DATABASES else "default"
    assert tasks.progress_db() == expected
    if expected == "progress":
        assert settings.DATABASES["progress"]["TEST"]["MIRROR"] == "default"
        assert settings.DATABASES["progress"]["NAME"] == settings.DATABASES["default"]["NAME"]
    else:
        assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def test_a_run_reports_progress(world, sw_lebork, upload, monkeypatch):
    seen = []
    real = tasks.progress_reporter

    def spy(import_id):
        report = real(import_id)

        def progress(done):
            seen.append(done)
            report(done)

        return progress

    monkeypatch.setattr(tasks, "progress_reporter", spy)
    upload(sw_lebork, csv_file([person(n) for n in range(3)]))
    assert seen == [1, 2, 3]


def test_an_unexpected_error_fails_the_import_without_personal_data_in_the_log(
    world, sw_lebork, upload, monkeypatch, caplog
):
    rows = [person(1)]

    def broken(**kwargs):
        raise RuntimeError(f"duplicate key (pesel)=({rows[0]['PESEL']})")

    monkeypatch.setattr(tasks, "import_run", broken)
    with caplog.at_level(logging.ERROR, logger="participants.tasks"):
        response = upload(sw_lebork, csv_file(rows))
    record = ParticipantImport.objects.get()
    assert record.status == Status.FAILED
    assert record.refused
    assert bytes(record.content) == b""
    assert "RuntimeError" in caplog.text
    assert rows[0]["PESEL"] not in caplog.text
    assert rows[0]["PESEL"] not in record.refused
    assert escape(record.refused) in response.content.decode()
    assert not Participant.objects.exists()


def test_a_task_run_twice_does_nothing_the_second_time(world, sw_lebork, upload, login):
    upload(sw_lebork, csv_file([person(1)]))
    record = ParticipantImport.objects.get()
    confirm(login(sw_lebork), record)
    tasks.import_confirm.call(record.pk)
    tasks.import_preview.call(record.pk)
    record.refresh_from_db()
    assert record.status == Status.IMPORTED
    assert Participant.objects.count() == 1


def test_a_newer_upload_abandons_an_unconfirmed_preview(world, sw_lebork, upload, login):
    upload(sw_lebork, csv_file([person(1)], name="pierwszy.csv"))
    upload(sw_lebork, csv_file([person(1), person(2)], name="drugi.csv"))
    first, second = (
        ParticipantImport.objects.get(file_name="pierwszy.csv"),
        (ParticipantImport.objects.get(file_name="drugi.csv")),
    )
    assert first.status == Status.FAILED
    assert bytes(first.content) == b""
    assert second.may_be_confirmed
    confirm(login(sw_lebork), first)
    assert not Participant.objects.exists()


# Who sees and who confirms ---------------------------------------------------------------


@pytest.fixture
def lebork_preview(world, sw_lebork, upload) -> ParticipantImport:
    upload(sw_lebork, csv_file([person(1), person(2)]))
    return ParticipantImport.objects.get()


def test_another_partner_neither_sees_nor_confirms_an_import(
    lebork_preview, sw_wicko, sw_leszno, login
):
    for user in (sw_wicko, sw_leszno):
        client = login(user)
        assert client.get(lebork_preview.get_absolute_url()).status_code == 404
        url = reverse("participants:import_confirm", args=[lebork_preview.pk])
        assert client.post(url).status_code == 404
        assert lebork_preview.file_name not in client.get(HISTORY).content.decode()
    lebork_preview.refresh_from_db()
    assert lebork_preview.status == Status.PREVIEWED
    assert not Participant.objects.exists()


def test_a_manager_sees_every_partners_imports(
    world, lebork_preview, sw_wicko, manager, upload, login
):
    upload(sw_wicko, csv_file([person(7)], name="wicko.csv"), organisation="OPS Wicko")
    response = login(manager).get(HISTORY)
    names = [record.file_name for record in records(response.context["table"])]
    assert sorted(names) == ["lista.csv", "wicko.csv"]
    text = response.content.decode()
    assert sw_wicko.get_full_name() in text
    assert login(manager).get(lebork_preview.get_absolute_url()).status_code == 200


def test_each_social_worker_sees_their_own_centres_imports(
    world, lebork_preview, sw_lebork, sw_wicko, upload, login
):
    upload(sw_wicko, csv_file([person(7)], name="wicko.csv"), organisation="OPS Wicko")
    names = [r.file_name for r in records(login(sw_lebork).get(HISTORY).context["table"])]
    assert names == ["lista.csv"]


def test_an_auditor_reads_but_cannot_confirm(lebork_preview, auditor, login):
    client = login(auditor)
    assert client.get(lebork_preview.get_absolute_url()).status_code == 200
    url = reverse("participants:import_confirm", args=[lebork_preview.pk])
    assert client.post(url).status_code == 403
    lebork_preview.refresh_from_db()
    assert lebork_preview.status == Status.PREVIEWED


def test_a_colleague_of_the_uploader_cannot_confirm_it(world, lebork_preview, login):
    colleague = UserFactory(username="sw.lebork.2")
    MembershipFactory(user=colleague, organisation=world.organisations["MOPS Lębork"])
    url = reverse("participants:import_confirm", args=[lebork_preview.pk])
    assert login(colleague).post(url).status_code == 403
    assert not Participant.objects.exists()


def test_the_projects_manager_may_confirm_it(lebork_preview, manager, login):
    confirm(login(manager), lebork_preview)
    lebork_preview.refresh_from_db()
    assert lebork_preview.status == Status.IMPORTED
    assert Participant.objects.count() == 2


def test_confirming_asks_first_and_only_a_post_imports(lebork_preview, sw_lebork, login):
    url = reverse("participants:import_confirm", args=[lebork_preview.pk])
    response = login(sw_lebork).get(url)
    assert response.status_code == 200
    assert 'class="btn btn-danger"' in response.content.decode()
    lebork_preview.refresh_from_db()
    assert lebork_preview.status == Status.PREVIEWED


def test_anonymous_users_are_sent_to_log_in(lebork_preview, client):
    client.logout()
    for url in (
        UPLOAD,
        HISTORY,
        reverse("participants:import_template"),
        lebork_preview.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("participants:import_confirm", args=[lebork_preview.pk]))
    assert response.status_code == 302
    lebork_preview.refresh_from_db()
    assert lebork_preview.status == Status.PREVIEWED


def test_the_history_asks_a_bounded_number_of_queries(world, sw_lebork, manager, login):
    client = login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connections["default"]) as captured:
            assert client.get(HISTORY).status_code == 200
        return len(captured)

    _record(world, sw_lebork, status=Status.IMPORTED)
    few = queries()
    for number in range(30):
        _record(world, sw_lebork, file_name=f"lista-{number}.csv", status=Status.IMPORTED)
    assert queries() == few
    response = client.get(HISTORY, {"page": 2})
    assert len(records(response.context["table"])) == 6


def test_the_admin_shows_the_record_but_never_the_file(login, lebork_preview, superuser, client):
    login(superuser)
    url = reverse("admin:participants_participantimport_change", args=[lebork_preview.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert lebork_preview.file_name in response.content.decode()
    assert "content" not in response.context["adminform"].form.fields
    add = reverse("admin:participants_participantimport_add")
    assert client.get(add).status_code == 403
