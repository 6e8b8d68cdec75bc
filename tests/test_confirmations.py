"""A confirmation before every action that destroys something or cannot be undone:
its GET page changes nothing and says what will happen (with a danger button and
"Anuluj"); the POST from that page does it; the page the action starts from offers a
link to the confirmation, never a form that POSTs it directly.

The inventory (issue 8): rejecting, a resignation and the end of participation (their
own form pages, with the consequences and a danger button); closing an internship
(likewise); deleting a budget line (its own page); confirming a participant import,
new backup codes and turning two-factor login off (a GET confirmation page each).
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from participants.models import Enrolment, ParticipantImport
from partners.models import BudgetLine, Organisation
from pathways.models import Internship

from .participants.test_import_views import UPLOAD, csv_file, person
from .test_two_factor import authenticator, backup_codes, code

User = get_user_model()

DANGER = re.compile(r'<button type="submit" class="btn btn-danger">')
CANCEL = "Anuluj"
WHAT_HAPPENS = "Co się stanie"


def text(response) -> str:
    return response.content.decode()


def posts_to(page: str, url: str) -> bool:
    """Whether the page has a form that POSTs to `url`."""
    return bool(re.search(rf'<form[^>]*method="post"[^>]*action="{re.escape(url)}"', page))


def links_to(page: str, url: str) -> bool:
    return f'href="{url}"' in page


def assert_confirmation(response, *phrases: str) -> str:
    assert response.status_code == 200
    page = text(response)
    assert WHAT_HAPPENS in page and DANGER.search(page) and CANCEL in page
    for phrase in phrases:
        assert phrase in page, phrase
    return page


def _enrolment(demo, username: str, status: str) -> Enrolment:
    user = User.objects.get(username=username)
    return (
        Enrolment.objects.for_user(user)
        .filter(project=demo, status=status, participation_start__isnull=True)
        .order_by("pk")
        .first()
        if status != Enrolment.Status.IN_SUPPORT
        else Enrolment.objects.for_user(user)
        .filter(project=demo, status=status)
        .order_by("pk")
        .first()
    )


# Enrolment actions: their own form pages are the confirmation -------------------------


@pytest.mark.parametrize(
    ("action", "status", "consequence", "data", "after"),
    [
        (
            "participants:reject",
            Enrolment.Status.CANDIDATE,
            "kandydatura zostanie odrzucona",
            {"reason": "Nie spełnia kryteriów"},
            Enrolment.Status.REJECTED,
        ),
        (
            "participants:resign",
            Enrolment.Status.QUALIFIED,
            "Rezygnacji nie można cofnąć",
            {"end_date": "", "reason": "Podjęła pracę"},
            Enrolment.Status.DROPPED_OUT,
        ),
        (
            "participants:exit",
            Enrolment.Status.IN_SUPPORT,
            "Zakończenia udziału nie można tu cofnąć",
            {"end_date": "", "completed_pathway": "True"},
            Enrolment.Status.COMPLETED,
        ),
    ],
)
def test_it_confirms_an_enrolment_action_before_doing_it(
    demo, login, action, status, consequence, data, after
):
    enrolment = _enrolment(demo, "sw.lebork", status)
    assert enrolment is not None, f"the demo has no {status} enrolment of MOPS Lębork"
    client = login(User.objects.get(username="sw.lebork"))
    url = reverse(action, args=[enrolment.pk])

    detail = text(client.get(enrolment.get_absolute_url()))
    assert links_to(detail, url) and not posts_to(detail, url)

    page = assert_confirmation(client.get(url), consequence, str(enrolment.participant))
    assert "btn btn-danger" in page
    enrolment.refresh_from_db()
    assert enrolment.status == status

    today = datetime.date.today().strftime("%d.%m.%Y")
    data = {key: value or today for key, value in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    enrolment.refresh_from_db()
    assert enrolment.status == after


def test_it_asks_before_closing_an_internship(demo, login):
    coordinator = User.objects.get(username="koord.starostwo")
    internship = Internship.objects.filter(enrolment__project=demo).order_by("pk").first()
    # The demo's internships are closed: reopen one so that it may be closed again.
    Internship.objects.filter(pk=internship.pk).update(status=Internship.Status.RUNNING)
    client = login(coordinator)
    url = reverse("pathways:internship_finish", args=[internship.pk])
    detail = text(client.get(reverse("pathways:internship_detail", args=[internship.pk])))
    assert not posts_to(detail, url)

    assert_confirmation(client.get(url), "Zamknięcia stażu nie można cofnąć")
    internship.refresh_from_db()
    assert internship.status == Internship.Status.RUNNING

    day = internship.end_date.strftime("%d.%m.%Y")
    response = client.post(url, {"status": Internship.Status.COMPLETED, "end_date": day})
    assert response.status_code == 302
    internship.refresh_from_db()
    assert internship.status == Internship.Status.COMPLETED


def test_it_asks_before_deleting_a_budget_line(demo, login):
    manager = User.objects.get(username="kierownik")
    line = BudgetLine.objects.create(
        project=demo,
        organisation=Organisation.objects.get(short_name="MOPS Lębork"),
        category="Materiały szkoleniowe (test)",
        planned_amount=100,
    )
    client = login(manager)
    url = reverse("partners:budget_line_delete", args=[demo.pk, line.pk])
    budget = text(client.get(reverse("partners:budget", args=[demo.pk])))
    assert links_to(budget, url) and not posts_to(budget, url)
    response = client.get(url)
    assert response.status_code == 200 and "btn btn-danger" in text(response)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert client.post(url).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


# Confirmation pages (aktywizacja.confirm) -------------------------------------------------


@pytest.mark.django_db(databases="__all__")
def test_it_asks_before_importing_a_file(demo, login):
    social_worker = User.objects.get(username="sw.lebork")
    client = login(social_worker)
    pair = f"{demo.pk}:{Organisation.objects.get(short_name='MOPS Lębork').pk}"
    client.post(UPLOAD, {"pair": pair, "file": csv_file([person(1), person(2)])})
    record = ParticipantImport.objects.get(created_by=social_worker)
    assert record.may_be_confirmed, record.errors
    url = reverse("participants:import_confirm", args=[record.pk])

    detail = text(client.get(record.get_absolute_url()))
    assert links_to(detail, url) and not posts_to(detail, url)

    assert_confirmation(
        client.get(url), "Nowe osoby: 2", "lebork-2016", "MOPS Lębork", "Zaimportuj 2 wiersze"
    )
    record.refresh_from_db()
    assert record.status == ParticipantImport.Status.PREVIEWED

    assert client.post(url).status_code == 302
    record.refresh_from_db()
    assert record.status == ParticipantImport.Status.IMPORTED


@pytest.mark.django_db(databases="__all__")
def test_an_auditor_gets_no_confirmation_page_for_an_import(demo, login):
    social_worker = User.objects.get(username="sw.lebork")
    pair = f"{demo.pk}:{Organisation.objects.get(short_name='MOPS Lębork').pk}"
    login(social_worker).post(UPLOAD, {"pair": pair, "file": csv_file([person(3)])})
    record = ParticipantImport.objects.get(created_by=social_worker)
    url = reverse("participants:import_confirm", args=[record.pk])
    assert login(User.objects.get(username="kontrola")).get(url).status_code == 403
    assert login(User.objects.get(username="sw.wicko")).get(url).status_code == 404


def _with_authenticator(client, user) -> TOTPDevice:
    device = authenticator(user)
    client.force_login(user)
    client.post(reverse("two_factor_verify"), {"code": code(device)})
    return device


def test_it_asks_before_renewing_the_backup_codes(demo, client):
    user = User.objects.get(username="sw.lebork")
    _with_authenticator(client, user)
    old = backup_codes(user)
    url = reverse("two_factor_backup_codes")
    settings_page = text(client.get(reverse("two_factor_settings")))
    assert links_to(settings_page, url) and not posts_to(settings_page, url)

    assert_confirmation(
        client.get(url), "10 niewykorzystanych kodów zapasowych", "Wygeneruj nowe kody zapasowe"
    )
    assert backup_codes(user) == old

    assert client.post(url).status_code == 200
    assert not set(old) & set(backup_codes(user))


def test_it_asks_before_turning_two_factor_login_off(demo, client):
    user = User.objects.get(username="sw.lebork")
    device = _with_authenticator(client, user)
    url = reverse("two_factor_disable")
    settings_page = text(client.get(reverse("two_factor_settings")))
    assert links_to(settings_page, url) and not posts_to(settings_page, url)

    page = assert_confirmation(client.get(url), "Logowanie będzie wymagać tylko hasła")
    assert posts_to(page, url) and 'name="code"' in page
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(url, {"code": code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_confirmation_page_has_a_trail_and_a_title(demo, client):
    user = User.objects.get(username="sw.lebork")
    _with_authenticator(client, user)
    page = text(client.get(reverse("two_factor_backup_codes")))
    assert "<title>Wygeneruj nowe kody zapasowe · Aktywizacja</title>" in page
    assert 'aria-current="page">Wygeneruj nowe kody zapasowe<' in page
