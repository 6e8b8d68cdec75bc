"""Registering a new person: the happy path, every kind of bad input, and who may."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from stdnum.pl import pesel as stdnum_pesel

from participants import services
from participants.models import Enrolment, Participant
from partners.models import ProjectRole
from tests.factories import ParticipantFactory, ProjectRoleFactory, make_pesel

REGISTER = reverse("participants:register")
BORN = datetime.date(1980, 3, 15)
PESEL = make_pesel(BORN, "K", serial=456)


def form_data(world, **overrides) -> dict:
    data = {
        "project": world.lebork.pk,
        "organisation": world.organisations["MOPS Lębork"].pk,
        "registered_on": "02.05.2016",
        "first_name": "Anna",
        "last_name": "Kowalska",
        "pesel": PESEL,
        "other_identifier": "",
        "sex": "",
        "birth_date": "",
        "citizenship": "PL",
        "education": "ISCED_2",
        "commune": world.communes["Lębork"].pk,
        "town": "Lębork",
        "street": "Długa",
        "building_number": "5",
        "flat_number": "",
        "postcode": "84-300",
        "degurba": "2",
        "phone": "",
        "email": "",
        "labour_market_status": "INACTIVE",
        "labour_market_substatus": "",
        "social_assistance_client": "on",
        "disability": "NO",
        "disability_degree": "",
        "foreign_origin_or_minority": "NO",
        "homeless_or_housing_exclusion": "NO",
        "other_disadvantage": "NO",
        "risk_other": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def error_codes(response, field: str) -> list:
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data().get(field, [])
    assert errors, f"no error at {field}: {response.context['form'].errors}"
    return [error.code for error in errors]


def test_it_registers_a_candidate_reading_birth_date_and_sex_from_the_pesel(
    login, sw_lebork, world
):
    response = login(sw_lebork).post(REGISTER, form_data(world))
    participant = Participant.objects.get(pesel=PESEL)
    enrolment = Enrolment.objects.get(participant=participant)
    assert response.status_code == 302
    assert response.url == enrolment.get_absolute_url()
    assert (participant.birth_date, participant.sex) == (BORN, "K")
    assert (participant.first_name, participant.last_name) == ("Anna", "Kowalska")
    assert enrolment.status == Enrolment.Status.CANDIDATE
    assert enrolment.project == world.lebork
    assert enrolment.recruiting_organisation == world.organisations["MOPS Lębork"]
    assert enrolment.registered_on == datetime.date(2016, 5, 2)
    assert enrolment.history.first().history_user == sw_lebork


def test_a_birth_date_and_sex_that_match_the_pesel_are_accepted(login, sw_lebork, world):
    data = form_data(world, birth_date="15.03.1980", sex="K")
    assert login(sw_lebork).post(REGISTER, data).status_code == 302
    assert Participant.objects.filter(pesel=PESEL).exists()


def test_a_person_without_pesel_is_registered_with_another_identifier(login, sw_lebork, world):
    data = form_data(
        world,
        pesel="",
        no_pesel="on",
        other_identifier="paszport UA AB123456",
        sex="K",
        birth_date="15.03.1980",
        citizenship="NON_EU",
    )
    assert login(sw_lebork).post(REGISTER, data).status_code == 302
    participant = Participant.objects.get(other_identifier="paszport UA AB123456")
    assert participant.pesel == ""
    assert participant.birth_date == BORN


def test_the_manager_registers_for_any_recruiting_partner(login, manager, world):
    data = form_data(world, organisation=world.organisations["OPS Wicko"].pk)
    assert login(manager).post(REGISTER, data).status_code == 302
    enrolment = Enrolment.objects.get(participant__pesel=PESEL)
    assert enrolment.recruiting_organisation.short_name == "OPS Wicko"


def test_the_only_pair_is_preselected_and_dates_read_dd_mm_yyyy(login, sw_lebork, world):
    response = login(sw_lebork).get(REGISTER)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["project"] == world.lebork.pk
    assert form.initial["organisation"] == world.organisations["MOPS Lębork"].pk
    assert list(form.fields["project"].queryset) == [world.lebork]
    assert list(form.fields["organisation"].queryset) == [world.organisations["MOPS Lębork"]]
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f'value="{today}"' in response.content.decode()


def test_the_form_groups_the_fields_and_explains_the_funders_ones(login, sw_lebork):
    response = login(sw_lebork).get(REGISTER)
    fieldsets = response.context["form"].helper.layout.fields
    assert len(fieldsets) == 6  # the enrolment, then the five groups of the person's data
    assert body_has_help_text(response.content.decode())


def test_the_communes_offered_are_those_of_the_users_projects(login, sw_lebork, world):
    form = login(sw_lebork).get(REGISTER).context["form"]
    assert set(form.fields["commune"].queryset) == {
        world.communes["Lębork"],
        world.communes["Wicko"],
    }


def body_has_help_text(body: str) -> bool:
    return "ISCED" in body and "DEGURBA" in body and 'class="form-text' in body


def _last_digit_wrong(pesel: str) -> str:
    return pesel[:-1] + str((int(pesel[-1]) + 1) % 10)


def _impossible_date_pesel() -> str:
    body = "8002301234"  # 30 February 1980
    return body + stdnum_pesel.calc_check_digit(body)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"pesel": _last_digit_wrong(PESEL)}, "pesel", "checksum"),
        ({"pesel": _impossible_date_pesel()}, "pesel", "invalid_date"),
        ({"pesel": "1234"}, "pesel", "invalid_format"),
        ({"birth_date": "16.03.1980"}, "birth_date", "pesel_birth_date"),
        ({"sex": "M"}, "sex", "pesel_sex"),
        ({"birth_date": "30.02.1980"}, "birth_date", "invalid"),
        ({"postcode": "84300"}, "postcode", None),
        ({"email": "jan@@wp.pl"}, "email", "invalid"),
        ({"email": "jan.kowalski@wp"}, "email", "invalid"),
        ({"pesel": ""}, "pesel", "required"),
        ({"pesel": "", "no_pesel": "on", "sex": "K", "birth_date": "15.03.1980"}, None, None),
        ({"pesel": "", "no_pesel": "on", "other_identifier": "paszport X1"}, "birth_date", None),
        ({"last_name": ""}, "last_name", "required"),
        ({"labour_market_substatus": "LONG_TERM_UNEMPLOYED"}, "labour_market_substatus", None),
    ],
    ids=[
        "checksum",
        "impossible-date",
        "too-short",
        "birth-date-mismatch",
        "sex-mismatch",
        "impossible-birth-date",
        "postcode",
        "email-double-at",
        "email-no-domain",
        "no-pesel-at-all",
        "no-pesel-no-identifier",
        "no-pesel-no-birth-date",
        "no-surname",
        "substatus-not-for-status",
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_saves_nothing(
    login, sw_lebork, world, overrides, field, code
):
    field = field or "other_identifier"
    response = login(sw_lebork).post(REGISTER, form_data(world, **overrides))
    codes = error_codes(response, field)
    if code:
        assert code in codes
    assert Participant.objects.count() == 0
    assert Enrolment.objects.count() == 0


def test_it_refuses_a_commune_outside_the_project_area(login, manager, world):
    # A manager of both projects is offered the communes of both.
    ProjectRoleFactory(user=manager, project=world.leszno, role=ProjectRole.Role.PROJECT_MANAGER)
    data = form_data(world, commune=world.communes["Leszno"].pk)
    response = login(manager).post(REGISTER, data)
    error_codes(response, "commune")
    assert Participant.objects.count() == 0


def test_it_refuses_a_commune_the_user_is_not_offered(login, sw_lebork, world):
    data = form_data(world, commune=world.communes["Gdańsk"].pk)
    assert "invalid_choice" in error_codes(login(sw_lebork).post(REGISTER, data), "commune")
    assert Participant.objects.count() == 0


def test_it_refuses_a_duplicate_pesel_naming_only_the_other_partner(
    login, sw_lebork, register, world
):
    existing = register(
        "OPS Wicko", pesel=PESEL, born=BORN, first_name="Zofia", last_name="Wiśniewska"
    )
    response = login(sw_lebork).post(REGISTER, form_data(world))
    assert error_codes(response, "pesel") == ["pesel_registered"]
    message = response.context["form"].errors["pesel"][0]
    assert "OPS Wicko" in message
    body = response.content.decode()
    for secret in ("Zofia", "Wiśniewska", existing.participant.town + " " + "Krótka"):
        assert secret not in body
    assert Participant.objects.count() == 1
    assert Enrolment.objects.count() == 1


def test_a_person_registered_in_an_earlier_project_is_sent_to_enrol_them(
    login, superuser, sw_lebork, world
):
    services.participant_register(
        user=superuser,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        participant=ParticipantFactory.build(
            pesel=PESEL, born=BORN, commune=world.communes["Leszno"]
        ),
    )
    response = login(sw_lebork).post(REGISTER, form_data(world))
    assert error_codes(response, "pesel") == ["pesel_registered"]
    assert Enrolment.objects.count() == 1


def test_a_partner_the_user_may_not_register_for_is_refused(login, sw_lebork, world):
    data = form_data(world, organisation=world.organisations["OPS Wicko"].pk)
    assert "invalid_choice" in error_codes(login(sw_lebork).post(REGISTER, data), "organisation")
    assert Participant.objects.count() == 0


def test_a_project_and_partner_that_do_not_go_together_are_refused(login, superuser, world):
    data = form_data(world, organisation=world.organisations["OPS Leszno"].pk)
    codes = error_codes(login(superuser).post(REGISTER, data), "organisation")
    assert codes == ["not_recruiting_here"]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("persona", ["auditor", "coordinator", "nobody"])
def test_who_may_register_nowhere_gets_403(request, login, world, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, form_data(world)).status_code == 403
    assert Participant.objects.count() == 0


def test_a_worker_of_another_project_cannot_register_into_it(login, sw_leszno, world):
    response = login(sw_leszno).post(REGISTER, form_data(world))
    assert "invalid_choice" in error_codes(response, "project")
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("sw_lebork", True), ("manager", True), ("auditor", False), ("coordinator", False)],
)
def test_the_navbar_offers_registration_only_to_who_may_register(request, login, persona, shown):
    body = login(request.getfixturevalue(persona)).get(reverse("home")).content.decode()
    assert reverse("participants:list") in body
    assert (f'href="{REGISTER}"' in body) is shown


def test_a_bad_pesel_is_the_only_error_when_birth_date_and_sex_are_left_to_it(
    login, sw_lebork, world
):
    response = login(sw_lebork).post(REGISTER, form_data(world, pesel="44051401358"))
    assert list(response.context["form"].errors) == ["pesel"]


def test_the_only_project_is_preselected_for_a_manager_of_many_partners(login, manager, world):
    form = login(manager).get(REGISTER).context["form"]
    assert form["project"].value() == world.lebork.pk
    assert form["organisation"].value() is None  # three recruiting partners to choose from
