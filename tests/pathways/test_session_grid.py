"""A session with its attendance grid: one submit, one `session_record`, all rows or none."""

import datetime
from decimal import Decimal

import pytest

from pathways.models import Attendance, Session

from .screens import (
    CAREER,
    PSYCHOLOGY,
    SESSION_DAY,
    error_codes,
    support_form,
    url,
)

NEW = url("session_new")


def choice(world, form: str = PSYCHOLOGY, provider: str = "MOPS Lębork", project=None) -> dict:
    return {
        "project": (project or world.lebork).pk,
        "provider": world.organisations[provider].pk,
        "support_form": support_form(form).pk,
        "date": f"{SESSION_DAY:%d.%m.%Y}",
    }


def grid(world, rows, *, hours: str = "2", **session) -> dict:
    """The POST of the grid: `rows` are (enrolment, present, hours or "")."""
    data = {
        **choice(world, **session),
        "hours": hours,
        "specialist": "Anna Nowak, psycholog",
        "place": "MOPS, sala 2",
        "is_group": "on",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
    }
    for index, (enrolment, present, row_hours) in enumerate(rows):
        data[f"rows-{index}-enrolment"] = str(enrolment.pk)
        data[f"rows-{index}-hours"] = row_hours
        if present:
            data[f"rows-{index}-present"] = "on"
    return data


def row_errors(response) -> dict[int, list[str]]:
    """The error codes of each row, by enrolment."""
    assert response.status_code == 200, response.status_code
    return {
        row.enrolment_object.pk if row.enrolment_object else None: [
            error.code for errors in row.errors.as_data().values() for error in errors
        ]
        for row in response.context["rows"].forms
        if row.errors
    }


def nothing_saved() -> bool:
    return not Session.objects.exists() and not Attendance.objects.exists()


# Building the grid ---------------------------------------------------------------------


def test_the_grid_lists_the_centres_people_in_support(
    login, sw_lebork, with_pathway, qualified_candidate, world
):
    mine = [with_pathway(last_name="Adamska"), with_pathway(last_name="Zielińska")]
    with_pathway("OPS Wicko", last_name="Wicka")  # another centre's
    qualified_candidate(last_name="Kandydatka")  # not in support
    client = login(sw_lebork)
    assert client.get(NEW).context["form"] is None  # first the choice
    response = client.get(NEW, choice(world))
    assert response.status_code == 200
    rows = response.context["rows"].forms
    assert [row.enrolment_object for row in rows] == mine
    assert "Adamska" in response.content.decode()


def test_a_vocational_grid_lists_those_referred_to_the_provider(
    login, coordinator, with_pathway, refer_to, world
):
    sent = with_pathway(last_name="Skierowana")
    refer_to(sent)
    with_pathway(last_name="Nieskierowana")
    response = login(coordinator).get(NEW, choice(world, CAREER, "Starostwo Lębork"))
    assert [row.enrolment_object for row in response.context["rows"].forms] == [sent]


def test_the_choice_is_checked_before_the_grid(login, sw_lebork, superuser, world):
    response = login(sw_lebork).get(NEW, choice(world, provider="Starostwo Lębork"))
    assert error_codes(response, "provider", form="setup") == ["invalid_choice"]
    response = login(superuser).get(NEW, choice(world, provider="OPS Leszno"))
    assert error_codes(response, "provider", form="setup") == ["not_a_partner"]
    response = login(superuser).get(NEW, choice(world, CAREER))
    assert error_codes(response, "support_form", form="setup") == ["not_a_provider"]
    assert response.context["rows"] is None


# Recording -------------------------------------------------------------------------------


def test_one_submit_records_every_row(login, sw_lebork, with_pathway, world):
    came, late, away = (
        with_pathway(last_name=name) for name in ("Obecna", "Spóźniona", "Nieobecna")
    )
    response = login(sw_lebork).post(
        NEW, grid(world, [(came, True, ""), (late, True, "1,5"), (away, False, "")])
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("session_detail", session)
    assert (session.hours, session.specialist, session.created_by) == (
        Decimal("2.0"),
        "Anna Nowak, psycholog",
        sw_lebork,
    )
    hours = {a.enrolment_id: (a.present, a.hours) for a in session.attendances.all()}
    assert hours == {
        came.pk: (True, Decimal("2.0")),
        late.pk: (True, Decimal("1.5")),
        away.pk: (False, Decimal("0")),
    }
    for enrolment in (came, late, away):
        enrolment.refresh_from_db()
    assert came.participation_start == late.participation_start == SESSION_DAY
    assert away.participation_start is None


def test_one_refused_row_refuses_the_whole_list(
    login, sw_lebork, with_pathway, qualified_candidate, world
):
    fine, candidate = (
        with_pathway(last_name="Wspierana"),
        qualified_candidate(last_name="Kandydatka"),
    )
    response = login(sw_lebork).post(NEW, grid(world, [(fine, True, ""), (candidate, True, "")]))
    assert row_errors(response) == {candidate.pk: ["not_in_support"]}
    assert nothing_saved()
    fine.refresh_from_db()
    assert fine.participation_start is None
    assert "data-row-error" in response.content.decode()


def test_more_hours_than_the_session_are_refused(login, sw_lebork, with_pathway, world):
    enrolment, other = with_pathway(last_name="Pierwsza"), with_pathway(last_name="Druga")
    response = login(sw_lebork).post(
        NEW, grid(world, [(enrolment, True, "3"), (other, True, "")], hours="2")
    )
    assert row_errors(response) == {enrolment.pk: ["too_many_hours"]}
    assert nothing_saved()


def test_vocational_support_needs_a_referral(login, manager, with_pathway, refer_to, world):
    sent, kept = with_pathway(last_name="Skierowana"), with_pathway(last_name="Zostaje")
    refer_to(sent)
    rows = [(sent, True, ""), (kept, True, "")]
    response = login(manager).post(NEW, grid(world, rows, form=CAREER, provider="Starostwo Lębork"))
    assert row_errors(response) == {kept.pk: ["no_referral"]}
    assert nothing_saved()


def test_a_provider_outside_the_project_is_refused(login, superuser, with_pathway, world):
    enrolment = with_pathway()
    response = login(superuser).post(
        NEW, grid(world, [(enrolment, True, "")], provider="OPS Leszno")
    )
    assert error_codes(response, "provider") == ["not_a_partner"]
    assert nothing_saved()


def test_the_session_itself_is_validated(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    response = client.post(NEW, grid(world, [(enrolment, True, "")], hours="13"))
    assert error_codes(response, "hours") == ["max_value"]
    response = client.post(NEW, {**grid(world, [(enrolment, True, "")]), "specialist": ""})
    assert error_codes(response, "specialist") == ["required"]
    response = client.post(NEW, grid(world, []))
    assert [e.code for e in response.context["rows"].non_form_errors().as_data()] == ["no_rows"]
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = client.post(
        NEW, {**grid(world, [(enrolment, True, "")]), "date": f"{future:%d.%m.%Y}"}
    )
    assert error_codes(response, "date") == ["future"]
    assert nothing_saved()


# Who may record ------------------------------------------------------------------------


def test_a_worker_of_another_partner_cannot_put_our_people_on_their_list(
    login, sw_wicko, sw_leszno, with_pathway, world
):
    ours = with_pathway(last_name="Nasza")
    response = login(sw_wicko).post(NEW, grid(world, [(ours, True, "")], provider="OPS Wicko"))
    assert row_errors(response) == {None: ["scope"]}  # not even named
    assert "Nasza" not in response.content.decode()
    response = login(sw_leszno).post(NEW, grid(world, [(ours, True, "")]))
    assert error_codes(response, "project") == ["invalid_choice"]
    assert nothing_saved()
    ours.refresh_from_db()
    assert ours.participation_start is None


@pytest.mark.parametrize("persona", ["auditor", "nobody"])
def test_who_records_for_no_provider_gets_403(request, login, with_pathway, world, persona):
    enrolment = with_pathway()
    client = login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.get(NEW, choice(world)).status_code == 403
    assert client.post(NEW, grid(world, [(enrolment, True, "")])).status_code == 403
    assert nothing_saved()


def test_the_navbar_offers_sessions_to_those_who_record(login, sw_lebork, auditor):
    assert f'href="{NEW}"' in login(sw_lebork).get("/").content.decode()
    assert f'href="{NEW}"' not in login(auditor).get("/").content.decode()


# The session's page -------------------------------------------------------------------


@pytest.fixture
def recorded(login, sw_lebork, with_pathway, world):
    """A MOPS Lębork session with one participant present, one absent."""
    rows = [
        (with_pathway(last_name="Obecna"), True, ""),
        (with_pathway(last_name="Nieobecna"), False, ""),
    ]
    login(sw_lebork).post(NEW, grid(world, rows))
    return Session.objects.get()


@pytest.mark.parametrize("persona", ["sw_lebork", "auditor", "manager"])
def test_the_session_page_shows_the_list(request, login, recorded, persona):
    response = login(request.getfixturevalue(persona)).get(url("session_detail", recorded))
    assert response.status_code == 200
    assert len(response.context["attendances"]) == 2
    assert response.context["present"] == 1
    assert "Nieobecna" in response.content.decode()


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "nobody"])
def test_the_session_page_is_404_outside_the_scope(request, login, recorded, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(url("session_detail", recorded)).status_code == 404


# A class of a course -------------------------------------------------------------------


def test_a_course_class_lists_the_course_participants_and_records_them(
    login, coordinator, world, referred_to_starostwo, refer_to, in_support
):
    from pathways import services
    from tests.pathways.coordination import COURSE_START, new_course

    course = new_course(coordinator, world)
    services.course_assign(user=coordinator, course=course, enrolment=referred_to_starostwo)
    refer_to(in_support(last_name="Niezapisana").enrolment)  # referred, not on the course
    client = login(coordinator)

    opened = client.get(NEW, {"course": course.pk})
    assert opened.status_code == 200
    assert opened.context["setup"]["project"].value() == world.lebork.pk
    assert opened.context["setup"]["provider"].value() == world.organisations["Starostwo Lębork"].pk

    day = f"{COURSE_START:%d.%m.%Y}"
    chosen = {
        "project": world.lebork.pk,
        "provider": world.organisations["Starostwo Lębork"].pk,
        "support_form": support_form("Kursy i szkolenia specjalistyczne").pk,
        "date": day,
        "course": course.pk,
    }
    built = client.get(NEW, chosen)
    listed = [row.initial["enrolment"] for row in built.context["rows"].forms]
    assert listed == [referred_to_starostwo.pk]

    data = chosen | {
        "hours": "6",
        "specialist": "instruktor UDT",
        "place": "",
        "is_group": "on",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-enrolment": str(referred_to_starostwo.pk),
        "rows-0-present": "on",
        "rows-0-hours": "",
    }
    assert client.post(NEW, data).status_code == 302
    assert Session.objects.get().course == course
