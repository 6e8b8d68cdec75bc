"""The access log over the demo: every screen that shows a person records it; the
admin, the funder export and the export command do too."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from participants.models import (
    AccessAction,
    AccessEvent,
    AccessEventParticipant,
    AccessPurpose,
    Participant,
)

from .samples import own_paths

User = get_user_model()


def _last_event_pk() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _events_since(last_pk: int):
    return AccessEvent.objects.filter(pk__gt=last_pk)


def _people_in(events) -> set[int]:
    return set(
        AccessEventParticipant.objects.filter(event__in=events).values_list(
            "participant_id", flat=True
        )
    )


def _people_named_in(text: str, people: list[tuple[int, str, str, str]]) -> set[int]:
    found = set()
    for pk, first, last, pesel in people:
        if (
            f"{first} {last}" in text
            or f"{last} {first}" in text
            or (pesel and re.search(rf"\b{pesel}\b", text))
        ):
            found.add(pk)
    return found


@pytest.mark.parametrize("username", ["kierownik", "sw.lebork", "koord.starostwo"])
def test_every_screen_that_shows_a_person_records_it(demo, login, username):
    """The walk over every page of our own (GET, with in-scope objects of the demo):
    whoever a page names (first and last name, or PESEL) is in an access record written
    by that request. A new screen that shows people without recording fails here."""
    user = User.objects.get(username=username)
    client = login(user)
    people = list(Participant.objects.values_list("pk", "first_name", "last_name", "pesel"))
    opened = 0
    for name, path in own_paths(user, demo, skip={"logout", "login", "health"}):
        last = _last_event_pk()
        response = client.get(path)
        if response.status_code != 200 or response.get("Content-Type", "").startswith(
            "application/"
        ):
            continue
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        named = _people_named_in(text, people)
        recorded = _people_in(_events_since(last))
        assert named <= recorded, f"{name} shows people it does not record"
        opened += 1
    assert opened >= 25


def test_the_admin_records_what_it_shows(demo, login, superuser):
    client = login(superuser)
    person = Participant.objects.filter(enrolments__project=demo).first()
    last = _last_event_pk()
    assert (
        client.get(reverse("admin:participants_participant_change", args=[person.pk])).status_code
        == 200
    )
    assert person.pk in _people_in(_events_since(last))
    last = _last_event_pk()
    assert client.get(reverse("admin:participants_enrolment_changelist")).status_code == 200
    listed = _events_since(last).get()
    assert listed.action == AccessAction.LIST and listed.participant_count > 0


def test_the_funder_export_records_everyone_in_the_file(demo, login):
    client = login(User.objects.get(username="kierownik"))
    last = _last_event_pk()
    response = client.get(reverse("reporting:participants_csv", args=[demo.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=";"))
    event = _events_since(last).get()
    assert event.action == AccessAction.EXPORT
    assert event.purpose == AccessPurpose.REPORTING
    assert event.participant_count == len(rows) - 1


def test_the_export_command_records_it_without_a_user(demo, tmp_path):
    last = _last_event_pk()
    call_command(
        "export_funder_report",
        project=demo.short_name,
        format="csv",
        out=str(tmp_path / "u.csv"),
        stdout=io.StringIO(),
    )
    event = _events_since(last).get()
    assert (event.user, event.source, event.action) == (
        None,
        "export_funder_report",
        AccessAction.EXPORT,
    )
    assert event.participant_count > 0
