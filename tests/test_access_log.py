"""The access log: every look at a person's data is on record, append-only, without
PESEL or names, and a manager can list it for the person (GDPR art. 15)."""

import csv
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from aktywizacja.lists import records
from participants.access_log import access_history, access_record, purpose_for
from participants.models import (
    AccessAction,
    AccessEvent,
    AccessEventParticipant,
    AccessPurpose,
    Enrolment,
    Participant,
)

from .factories import EnrolmentFactory, ParticipantFactory

User = get_user_model()


def _events_since(last_pk: int):
    return AccessEvent.objects.filter(pk__gt=last_pk)


def _last_event_pk() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _people_in(event_qs) -> set[int]:
    return set(
        AccessEventParticipant.objects.filter(event__in=event_qs).values_list(
            "participant_id", flat=True
        )
    )


# The record itself -------------------------------------------------------------------------


@pytest.fixture
def two_people(world, sw_lebork):
    people = [
        EnrolmentFactory(
            project=world.lebork, recruiting_organisation=world.organisations["MOPS Lębork"]
        ).participant
        for _ in range(2)
    ]
    return people


def test_a_record_links_the_people_once_and_holds_no_personal_data(two_people, sw_lebork):
    first, second = two_people
    event = access_record(
        [first, second.pk, first], action=AccessAction.VIEW, user=sw_lebork, source="test"
    )
    assert event.participant_count == 2
    assert set(event.participants.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert event.organisation.short_name == "MOPS Lębork"
    assert event.purpose == AccessPurpose.CASEWORK
    stored = " ".join(
        str(v) for v in AccessEvent.objects.filter(pk=event.pk).values().get().values()
    )
    for person in two_people:
        assert person.pesel not in stored
        assert person.last_name not in stored


def test_nobody_shown_means_no_record(sw_lebork):
    assert access_record([], action=AccessAction.LIST, user=sw_lebork) is None
    assert access_record(Participant.objects.none(), action=AccessAction.LIST) is None
    assert not AccessEvent.objects.exists()


def test_a_queryset_of_something_else_is_refused(two_people):
    with pytest.raises(TypeError):
        access_record(Enrolment.objects.all(), action=AccessAction.LIST)


def test_the_purpose_follows_the_role(world, sw_lebork, manager, auditor, superuser):
    assert purpose_for(sw_lebork, world.lebork, AccessAction.VIEW) == AccessPurpose.CASEWORK
    assert purpose_for(manager, world.lebork, AccessAction.VIEW) == AccessPurpose.MANAGEMENT
    assert purpose_for(auditor, world.lebork, AccessAction.VIEW) == AccessPurpose.AUDIT
    assert purpose_for(auditor, None, AccessAction.LIST) == AccessPurpose.AUDIT
    assert purpose_for(superuser, None, AccessAction.VIEW) == AccessPurpose.ADMINISTRATION
    assert purpose_for(sw_lebork, None, AccessAction.EXPORT) == AccessPurpose.REPORTING
    assert purpose_for(manager, None, AccessAction.IMPORT) == AccessPurpose.RECRUITMENT


def test_the_log_cannot_be_changed_or_deleted(two_people, sw_lebork):
    event = access_record(two_people, action=AccessAction.VIEW, user=sw_lebork)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).update(action=AccessAction.LIST)
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessEventParticipant.objects.all().delete()
    # the people it names cannot be deleted from under it either
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=two_people[0].pk).delete()


def test_on_postgresql_the_database_refuses_changes_too(two_people, sw_lebork):
    event = access_record(two_people, action=AccessAction.VIEW, user=sw_lebork)
    table = AccessEvent._meta.db_table
    if connection.vendor != "postgresql":
        # SQLite (the embedded default) has only the models' guard, tested above.
        assert connection.vendor == "sqlite"
        return
    for statement in (
        f"UPDATE {table} SET action = 'LIST' WHERE id = %s",  # noqa: S608 (our table name)
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(InternalError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AccessEvent.objects.get(pk=event.pk).action == AccessAction.VIEW


# Screens record what they show --------------------------------------------------------------


def test_opening_a_person_records_ip_screen_and_no_search_terms(
    login, sw_lebork, two_people, settings
):
    person = two_people[0]
    client = login(sw_lebork)
    last = _last_event_pk()
    response = client.get(
        reverse("participants:detail", args=[person.pk]) + f"?q={person.pesel}",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    event = _events_since(last).get()
    assert (event.action, event.source, event.ip) == (
        AccessAction.VIEW,
        "participants:detail",
        "10.1.2.3",
    )
    assert event.user == sw_lebork
    assert person.pesel not in event.source


def test_sending_a_form_about_a_person_is_recorded_as_such(login, sw_lebork, two_people):
    enrolment = two_people[0].enrolments.get()
    client = login(sw_lebork)
    last = _last_event_pk()
    client.post(reverse("participants:consent", args=[enrolment.pk]), {})
    assert _events_since(last).get().action == AccessAction.EDIT


def test_a_refused_look_writes_nothing(login, sw_leszno, two_people):
    client = login(sw_leszno)
    response = client.get(reverse("participants:detail", args=[two_people[0].pk]))
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_a_list_records_the_people_of_its_page_only(login, sw_lebork, world):
    for _ in range(30):
        EnrolmentFactory(
            project=world.lebork, recruiting_organisation=world.organisations["MOPS Lębork"]
        )
    client = login(sw_lebork)
    response = client.get(reverse("participants:list"))
    event = AccessEvent.objects.get()
    shown = [p.pk for p in records(response.context["table"])]
    assert event.action == AccessAction.LIST
    assert event.participant_count == len(shown) == 25
    assert _people_in([event]) == set(shown)


# Exports, imports, commands ------------------------------------------------------------


def test_an_import_records_the_people_it_wrote(world, sw_lebork):
    from participants.imports import import_run

    from .participants.importing import rows, table

    outcome = import_run(
        user=sw_lebork,
        project=world.lebork,
        organisation=world.organisations["MOPS Lębork"],
        table=table(rows(2)),
        dry_run=False,
    )
    assert outcome.ok, outcome.errors
    event = AccessEvent.objects.get()
    assert event.action == AccessAction.IMPORT and event.participant_count == 2
    assert _people_in([event]) == set(Participant.objects.values_list("pk", flat=True))


def test_a_dry_run_import_records_nothing(world, sw_lebork):
    from participants.imports import import_run

    from .participants.importing import rows, table

    import_run(
        user=sw_lebork,
        project=world.lebork,
        organisation=world.organisations["MOPS Lębork"],
        table=table(rows(1)),
        dry_run=True,
    )
    assert not AccessEvent.objects.exists()


# The list for the person (art. 15) ---------------------------------------------------------


def test_the_manager_lists_who_consulted_a_person(login, manager, sw_lebork, two_people):
    person = two_people[0]
    login(sw_lebork).get(reverse("participants:detail", args=[person.pk]))
    client = login(manager)
    page = client.get(reverse("participants:access_history", args=[person.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kto przeglądał dane" in body
    assert "MOPS Lębork" in body
    assert "participants:detail" in body
    events = list(access_history(person))
    # the manager's own look is recorded first, for the person's request
    assert events[0].purpose == AccessPurpose.DATA_SUBJECT_REQUEST
    assert events[0].user == manager
    assert events[1].user == sw_lebork


def test_the_list_downloads_as_csv_with_formulae_neutralised(login, manager, sw_lebork, two_people):
    sw_lebork.first_name = "=HYPERLINK(1)"
    sw_lebork.save()
    person = two_people[0]
    login(sw_lebork).get(reverse("participants:detail", args=[person.pk]))
    response = login(manager).get(reverse("participants:access_history_csv", args=[person.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="dostep-do-danych-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Czas", "Użytkownik"]
    assert any(r[1].startswith("'=HYPERLINK") for r in rows[1:])
    assert person.last_name not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    # the coordinator does not see MOPS Lębork's people at all (none was referred)
    [("sw_lebork", 403), ("auditor", 403), ("coordinator", 404)],
)
def test_only_a_manager_gives_the_list(login, request, two_people, persona, status):
    client = login(request.getfixturevalue(persona))
    for name in ("participants:access_history", "participants:access_history_csv"):
        response = client.get(reverse(name, args=[two_people[0].pk]))
        assert response.status_code == status
    assert not AccessEvent.objects.exists()


def test_outside_the_scope_the_list_is_not_found(login, sw_leszno, two_people, world):
    from .factories import ProjectRoleFactory

    other = User.objects.create(username="kierownik.leszno")
    ProjectRoleFactory(user=other, project=world.leszno, role="PROJECT_MANAGER")
    client = login(other)
    response = client.get(reverse("participants:access_history", args=[two_people[0].pk]))
    assert response.status_code == 404


# Logs never hold people's data --------------------------------------------------------------


def test_logs_and_errors_name_nobody(login, sw_lebork, world, caplog):
    person = ParticipantFactory()
    EnrolmentFactory(
        participant=person,
        project=world.lebork,
        recruiting_organisation=world.organisations["MOPS Lębork"],
    )
    client = login(sw_lebork)
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("participants:detail", args=[person.pk]))
        client.get(reverse("participants:list") + f"?q={person.last_name}")
        client.get(f"/uczestnicy/999999/?q={person.pesel}")
        client.post(reverse("participants:edit", args=[person.pk]), {"pesel": "12345678901"})
    logged = caplog.text
    assert person.pesel not in logged
    assert person.last_name not in logged
