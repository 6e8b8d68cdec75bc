"""Importing a participant list (`participants.imports.import_run`): all or nothing,
PESEL as the key, and the rules of the screens (scope, eligibility, seat quotas)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from participants import services
from participants.imports import RowError, import_run, read_table
from participants.models import EligibilityCheck, Enrolment, Participant, SeatBooking
from tests.factories import ParticipantFactory, make_pesel

from .importing import LEADING_ZERO_PESEL, REGISTERED_ON, csv_bytes, row, rows, table, xlsx_table

Status = Enrolment.Status
REGISTERED = datetime.date(2016, 5, 2)
UNEXPECTED = "An unexpected error; nothing was written."
#: a full start of support: both documents signed, then the seat
IN_SUPPORT = {
    "Data podpisania deklaracji": "09.05.2016",
    "Data podpisania oświadczenia RODO": "09.05.2016",
    "Data rozpoczęcia wsparcia": "16.05.2016",
}


@pytest.fixture
def wicko(world):
    return world.organisations["OPS Wicko"]


@pytest.fixture
def run(world, sw_wicko, wicko):
    """Import rows (or a read table) into the Lębork project for OPS Wicko."""

    def _run(data, *, dry_run=False, user=None, organisation=None, **kwargs):
        return import_run(
            user=user or sw_wicko,
            project=world.lebork,
            organisation=organisation or wicko,
            table=data if hasattr(data, "numbers") else table(data),
            dry_run=dry_run,
            **kwargs,
        )

    return _run


def written() -> tuple[int, int, int, int]:
    return (
        Participant.objects.count(),
        Enrolment.objects.count(),
        EligibilityCheck.objects.count(),
        SeatBooking.objects.count(),
    )


# A valid file --------------------------------------------------------------------------


def test_it_registers_every_row_as_a_qualified_candidate_of_the_partner(run, world, wicko):
    outcome = run(rows(30))
    assert (outcome.total, outcome.new, outcome.updated, outcome.invalid) == (30, 30, 0, 0)
    assert outcome.ok and outcome.errors == []
    enrolments = Enrolment.objects.filter(project=world.lebork)
    assert enrolments.count() == 30
    assert set(enrolments.values_list("recruiting_organisation", "status", "registered_on")) == {
        (wicko.pk, Status.QUALIFIED, REGISTERED)
    }
    person = Participant.objects.get(pesel=row(7)["PESEL"])
    assert (person.last_name, person.commune, person.sex) == (
        "Testowa-7",
        world.communes["Wicko"],
        "K",
    )
    assert person.birth_date == datetime.date(1987, 8, 8)  # read from the PESEL


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(run):
    outcome = run(rows(5), dry_run=True)
    assert (outcome.new, outcome.invalid) == (5, 0)
    assert written() == (0, 0, 0, 0)


def test_progress_is_reported_after_each_row(run):
    seen = []
    run(rows(4), dry_run=True, progress=seen.append)
    assert seen == [1, 2, 3, 4]


def test_the_polish_labels_are_read_whatever_the_language(run):
    with translation.override("en"):
        outcome = run(rows(2), dry_run=True)
    assert outcome.ok, outcome.errors


# All or nothing ------------------------------------------------------------------------


def test_three_bad_rows_in_thirty_write_nothing_and_each_is_reported(run):
    data = rows(30)
    bad_pesel = data[4]["PESEL"][:10] + str((int(data[4]["PESEL"][10]) + 1) % 10)
    data[4]["PESEL"] = bad_pesel  # row 6 of the file
    data[11]["Data rejestracji"] = "2 maja 2016"  # row 13
    data[26]["Gmina"] = "Gdańsk"  # row 28
    expected = [
        RowError(
            6,
            "PESEL",
            gettext("This PESEL has a wrong check digit: one of the digits is mistyped."),
        ),
        RowError(
            13,
            "Data rejestracji",
            gettext("“%(value)s” is not a date: write it as dd.mm.rrrr, e.g. 05.03.2016.")
            % {"value": "2 maja 2016"},
        ),
        RowError(
            28,
            "Gmina",
            gettext("“%(value)s” is not a commune of the project's area: %(communes)s.")
            % {"value": "Gdańsk", "communes": "Lębork, Wicko"},
        ),
    ]

    preview = run(data, dry_run=True)
    outcome = run(data)

    for result in (preview, outcome):
        assert (result.total, result.invalid) == (30, 3)
        assert result.errors == expected
        assert not result.ok
    assert written() == (0, 0, 0, 0)


def test_an_error_in_the_middle_of_the_file_leaves_the_database_as_it_was(run, monkeypatch, caplog):
    data = rows(30)
    run(data[:1])  # a person already imported, whose phone the file changes
    data[0]["Telefon"] = "700800900"
    before = written()
    qualify, calls = services.enrolment_qualify, []

    def failing_at_the_15th(**kwargs):
        calls.append(kwargs["enrolment"])
        if len(calls) == 15:
            raise RuntimeError("the database went away")
        return qualify(**kwargs)

    monkeypatch.setattr(services, "enrolment_qualify", failing_at_the_15th)

    outcome = run(data)

    # the first row is an update (no qualification); the 15th call is the 16th row
    assert outcome.errors == [RowError(17, "", gettext(UNEXPECTED))]
    assert outcome.invalid == 1
    assert written() == before
    assert Participant.objects.get().phone == "600100200"
    assert "RuntimeError" in caplog.text
    assert data[15]["PESEL"] not in caplog.text  # no personal data in the log


# PESEL is the key ----------------------------------------------------------------------


def test_the_same_file_twice_adds_nobody_twice(run):
    data = rows(30)
    run(data)
    again = run(data)
    assert (again.new, again.updated, again.unchanged, again.invalid) == (0, 0, 30, 0)
    assert written()[:2] == (30, 30)


def test_a_changed_phone_is_one_update(run):
    data = rows(30)
    run(data)
    data[9]["Telefon"] = "700800900"
    again = run(data)
    assert (again.new, again.updated, again.unchanged) == (0, 1, 29)
    assert Participant.objects.get(pesel=data[9]["PESEL"]).phone == "700800900"
    assert written()[:2] == (30, 30)


def test_a_repeated_pesel_names_the_row_it_first_appeared_in(run):
    data = rows(6)
    data[4]["PESEL"] = data[1]["PESEL"]  # rows 6 and 3 of the file
    outcome = run(data)
    assert outcome.errors == [
        RowError(
            6, "PESEL", gettext("This PESEL is already in row %(row)d of the file.") % {"row": 3}
        )
    ]
    assert written() == (0, 0, 0, 0)


@pytest.fixture
def leading_zero():
    """A row for a woman born in 1908: her PESEL starts with 0."""
    data = row(1, {"PESEL": LEADING_ZERO_PESEL})
    assert data["PESEL"].startswith("0")
    return data


def test_a_leading_zero_pesel_stored_as_a_number_is_refused_with_the_fix(run, leading_zero):
    stored_as_number = xlsx_table([leading_zero | {"PESEL": int(leading_zero["PESEL"])}])
    outcome = run(stored_as_number)
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "PESEL")]
    assert outcome.errors[0].message == gettext(
        "The PESEL is stored as a number, so a leading zero may be lost: format the "
        "PESEL column as text and type the 11 digits again."
    )
    assert written() == (0, 0, 0, 0)


def test_a_pesel_that_lost_its_leading_zero_in_a_csv_is_refused_with_the_fix(run, leading_zero):
    ten_digits = leading_zero | {"PESEL": leading_zero["PESEL"][1:]}
    outcome = run(read_table(csv_bytes([ten_digits]), "lista.csv"))
    assert outcome.errors == [
        RowError(
            2,
            "PESEL",
            gettext(
                "The PESEL has %(count)d digits: the spreadsheet probably dropped its leading "
                "zero. Format the PESEL column as text and type the 11 digits again."
            )
            % {"count": 10},
        )
    ]
    assert written() == (0, 0, 0, 0)


def test_a_leading_zero_pesel_written_as_text_is_kept(run, leading_zero):
    outcome = run(xlsx_table([leading_zero]))
    assert outcome.ok and outcome.new == 1
    person = Participant.objects.get()
    assert person.pesel == leading_zero["PESEL"]
    assert person.birth_date == datetime.date(1908, 3, 15)


# Seat quotas ---------------------------------------------------------------------------


def test_a_file_that_would_overfill_the_quota_is_refused_before_any_row(run):
    data = rows(32, IN_SUPPORT)  # OPS Wicko has 30 seats
    expected = gettext(
        "The file would take %(needed)d seats of %(organisation)s, but only %(free)d "
        "are free: %(over)d too many. Leave the start of support empty for %(over)d "
        "people; they can start when seats are freed."
    ) % {"needed": 32, "free": 30, "over": 2, "organisation": "OPS Wicko"}
    for dry_run in (True, False):
        outcome = run(data, dry_run=dry_run)
        assert outcome.refused == expected
        assert not outcome.ok and outcome.total == 32
        assert (outcome.new, outcome.errors) == (0, [])
    assert written() == (0, 0, 0, 0)


def test_a_start_of_support_books_a_seat_of_the_partner(run, world, wicko):
    data = rows(5)
    data[1] |= IN_SUPPORT
    data[3] |= IN_SUPPORT
    outcome = run(data)
    assert outcome.ok and outcome.new == 5
    started = Enrolment.objects.filter(status=Status.IN_SUPPORT)
    assert {e.participant.pesel for e in started} == {data[1]["PESEL"], data[3]["PESEL"]}
    assert {e.support_start for e in started} == {datetime.date(2016, 5, 16)}
    bookings = SeatBooking.objects.active()
    assert bookings.count() == 2
    assert {b.quota.organisation for b in bookings} == {wicko}
    assert Enrolment.objects.filter(status=Status.QUALIFIED).count() == 3

    # the same file again: the two hold their seats already, nothing more is booked
    again = run(data)
    assert (again.unchanged, again.refused) == (5, "")
    assert SeatBooking.objects.active().count() == 2


def test_a_start_of_support_without_the_signed_documents_is_a_row_error(run):
    data = rows(3)
    data[2]["Data rozpoczęcia wsparcia"] = "16.05.2016"
    outcome = run(data)
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "")]
    assert outcome.errors[0].message == gettext(
        "Support cannot be recorded before the participation declaration and the "
        "data-protection statement are signed; enter their dates first."
    )
    assert written() == (0, 0, 0, 0)


# Scope ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "auditor", "nobody"])
def test_nobody_imports_into_another_partner(run, request, world, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        run(rows(3), user=user, organisation=world.organisations["MOPS Lębork"])
    assert written() == (0, 0, 0, 0)


def test_the_manager_imports_for_any_recruiting_partner(run, manager, world):
    outcome = run(rows(3), user=manager, organisation=world.organisations["MOPS Lębork"])
    assert outcome.ok
    assert set(Enrolment.objects.values_list("recruiting_organisation__short_name", flat=True)) == {
        "MOPS Lębork"
    }


# Eligibility ---------------------------------------------------------------------------


def test_a_person_under_age_on_the_registration_day_is_a_row_error(run):
    data = rows(3)
    data[1]["PESEL"] = make_pesel(datetime.date(1998, 5, 3), "K", 7)  # 18 the next day
    outcome = run(data)
    age = gettext("Is %(age)d years old on %(day)s, under the required %(min)d.") % {
        "age": 17,
        "day": REGISTERED_ON,
        "min": 18,
    }
    assert outcome.errors == [
        RowError(3, "", gettext("Not eligible for the project: %(reasons)s") % {"reasons": age})
    ]
    assert written() == (0, 0, 0, 0)


def test_a_status_the_project_does_not_admit_is_a_row_error(run):
    data = rows(2)
    data[0]["Status na rynku pracy"] = "osoba pracująca"
    outcome = run(data)
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "")]
    assert outcome.errors[0].message.startswith(
        gettext("Not eligible for the project: %(reasons)s").split("%")[0]
    )


def test_a_value_off_the_list_is_an_error_at_its_column(run):
    data = rows(2)
    data[1]["Wykształcenie"] = "średnie"
    data[1]["Klient pomocy społecznej"] = "może"
    outcome = run(data)
    assert [(e.row, e.column) for e in outcome.errors] == [
        (3, "Wykształcenie"),
        (3, "Klient pomocy społecznej"),
    ]
    assert outcome.errors[1].message == gettext("Write “Tak” or “Nie”.")


# People already registered -------------------------------------------------------------


def test_a_person_enrolled_by_another_partner_is_a_row_error(run, register):
    enrolment = register("MOPS Lębork")
    person = enrolment.participant
    data = rows(2)
    data[1] |= {"PESEL": person.pesel, "Nazwisko": person.last_name, "Telefon": "700800900"}
    outcome = run(data)
    assert outcome.errors == [
        RowError(
            3,
            "PESEL",
            gettext("This person is enrolled in the project by %(organisation)s.")
            % {"organisation": "MOPS Lębork"},
        )
    ]
    person.refresh_from_db()
    assert person.phone != "700800900"
    assert written()[:2] == (1, 1)


@pytest.fixture
def from_leszno(world, superuser):
    """A woman registered in the Leszno project, who has since moved to Wicko."""
    return services.participant_register(
        user=superuser,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        participant=ParticipantFactory.build(
            last_name="Wiśniewska", commune=world.communes["Leszno"]
        ),
        registered_on=REGISTERED,
    ).participant


def test_a_person_from_another_project_is_enrolled_and_updated(run, world, wicko, from_leszno):
    data = rows(2)
    data[1] |= {"PESEL": from_leszno.pesel, "Nazwisko": "Wiśniewska"}
    outcome = run(data)
    assert (outcome.new, outcome.updated, outcome.invalid) == (1, 1, 0)
    assert Participant.objects.count() == 2
    enrolment = Enrolment.objects.get(participant=from_leszno, project=world.lebork)
    assert (enrolment.recruiting_organisation, enrolment.status) == (wicko, Status.QUALIFIED)
    from_leszno.refresh_from_db()
    assert from_leszno.commune == world.communes["Wicko"]  # the file's new address
    # the Leszno enrolment stays
    assert from_leszno.enrolments.count() == 2


def test_a_person_from_another_project_under_another_surname_reveals_nothing(run, from_leszno):
    data = rows(1)
    data[0] |= {"PESEL": from_leszno.pesel, "Nazwisko": "Kowalska"}
    outcome = run(data)
    assert outcome.errors == [
        RowError(
            2,
            "",
            gettext("No registered person has this PESEL and surname; register them as new."),
        )
    ]
    from_leszno.refresh_from_db()
    assert from_leszno.last_name == "Wiśniewska"
    assert from_leszno.enrolments.count() == 1
