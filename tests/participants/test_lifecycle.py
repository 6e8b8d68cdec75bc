"""Registration, rejection, exit and follow-up: the rules of each step."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participants import services
from participants.models import Enrolment, FollowUp, Participant, SocialProgress
from tests.factories import ParticipantFactory, make_pesel

from .conftest import QUALIFIED, REGISTERED

Status = Enrolment.Status
EXITED = datetime.date(2017, 3, 31)
WOMAN_BORN = datetime.date(1970, 1, 1)


def test_registration_creates_the_person_and_a_candidacy(register, world):
    enrolment = register()
    assert enrolment.status == Status.CANDIDATE
    assert enrolment.registered_on == REGISTERED
    assert enrolment.recruiting_organisation == world.organisations["MOPS Lębork"]
    assert enrolment.history.count() == 1
    assert enrolment.participant.history.count() == 1


def test_registering_a_pesel_twice_names_only_the_partner(register, manager, world):
    first = register("MOPS Lębork")
    twin = ParticipantFactory.build(
        pesel=first.participant.pesel,
        birth_date=first.participant.birth_date,
        commune=world.communes["Wicko"],
    )
    with pytest.raises(ValidationError) as error:
        services.participant_register(
            user=manager,
            project=world.lebork,
            organisation=world.organisations["OPS Wicko"],
            participant=twin,
        )
    message = error.value.message_dict["pesel"][0]
    assert "MOPS Lębork" in message
    assert first.participant.last_name not in message
    assert Participant.objects.count() == 1


def test_a_commune_outside_the_area_is_refused_at_registration(register, world):
    with pytest.raises(ValidationError) as error:
        register(commune=world.communes["Gdańsk"])
    assert list(error.value.message_dict) == ["commune"]
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": datetime.date(1980, 1, 1)}, "birth_date"),
        (
            {"born": datetime.date(1970, 1, 1), "sex": "M", "pesel": make_pesel(WOMAN_BORN, "K")},
            "sex",
        ),
        ({"postcode": "84300"}, "postcode"),
        ({"email": "jan@@wp.pl"}, "email"),
        ({"pesel": "44051401358"}, "pesel"),
        (
            {"labour_market_substatus": "IN_EDUCATION", "labour_market_status": "EMPLOYED"},
            "labour_market_substatus",
        ),
        ({"disability_degree": "SEVERE"}, None),
    ],
)
def test_bad_personal_data_is_refused_and_nothing_saved(register, change, field):
    with pytest.raises(ValidationError) as error:
        register(**change)
    if field:
        assert field in error.value.message_dict
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_person_without_pesel_needs_another_identifier(register):
    with pytest.raises(ValidationError):
        register(pesel="", no_pesel=True, other_identifier="")
    enrolment = register(pesel="", no_pesel=True, other_identifier="paszport UA FE123456")
    assert enrolment.participant.pesel == ""


def test_only_a_recruiting_partner_registers(world, sw_wicko, coordinator, auditor, nobody):
    person = ParticipantFactory.build(commune=world.communes["Lębork"])
    for user, organisation in [
        (sw_wicko, "MOPS Lębork"),  # not their organisation
        (coordinator, "Starostwo Lębork"),  # no social-activation places
        (auditor, "MOPS Lębork"),
        (nobody, "MOPS Lębork"),
    ]:
        with pytest.raises(PermissionDenied):
            services.participant_register(
                user=user,
                project=world.lebork,
                organisation=world.organisations[organisation],
                participant=person,
            )


def test_a_rejection_needs_a_reason(register, manager):
    enrolment = register()
    with pytest.raises(ValidationError):
        services.enrolment_reject(user=manager, enrolment=enrolment, reason=" ")
    services.enrolment_reject(user=manager, enrolment=enrolment, reason="Nie mieszka na terenie.")
    enrolment.refresh_from_db()
    assert enrolment.status == Status.REJECTED


def test_completing_the_pathway_records_the_situation_on_leaving(in_support, manager):
    enrolment = in_support().enrolment
    exit_data = services.enrolment_exit(
        user=manager,
        enrolment=enrolment,
        end_date=EXITED,
        completed_pathway=True,
        seeking_work=True,
        qualification_gained=True,
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    assert enrolment.end_date == EXITED
    assert (exit_data.seeking_work, exit_data.qualification_gained, exit_data.employed) == (
        True,
        True,
        False,
    )
    assert enrolment.seat_bookings.active().count() == 1  # the seat was used


def test_leaving_early_needs_a_reason(in_support, manager):
    enrolment = in_support().enrolment
    with pytest.raises(ValidationError) as error:
        services.enrolment_exit(
            user=manager, enrolment=enrolment, end_date=EXITED, completed_pathway=False
        )
    assert "dropout_reason" in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.status == Status.IN_SUPPORT


def test_leaving_early_for_a_job(in_support, manager):
    enrolment = in_support().enrolment
    exit_data = services.enrolment_exit(
        user=manager,
        enrolment=enrolment,
        end_date=EXITED,
        completed_pathway=False,
        dropout_reason="Podjęcie zatrudnienia.",
        left_for_job=True,
        employed=True,
    )
    assert exit_data.left_for_job
    enrolment.refresh_from_db()
    assert enrolment.status == Status.DROPPED_OUT


def test_an_end_before_the_start_is_refused(in_support, manager):
    enrolment = in_support().enrolment
    with pytest.raises(ValidationError) as error:
        services.enrolment_exit(
            user=manager,
            enrolment=enrolment,
            end_date=QUALIFIED,
            completed_pathway=True,
        )
    assert "end_date" in error.value.message_dict


def test_an_end_in_the_future_is_refused(in_support, manager):
    enrolment = in_support().enrolment
    with pytest.raises(ValidationError):
        services.enrolment_exit(
            user=manager,
            enrolment=enrolment,
            end_date=datetime.date.today() + datetime.timedelta(days=1),
            completed_pathway=True,
        )


@pytest.fixture
def finished(in_support, manager):
    enrolment = in_support().enrolment
    services.enrolment_exit(
        user=manager, enrolment=enrolment, end_date=EXITED, completed_pathway=True
    )
    return enrolment


def test_the_follow_up_records_employment_and_progress(finished, manager):
    follow_up = services.follow_up_record(
        user=manager,
        enrolment=finished,
        follow_up=FollowUp(
            checked_on=datetime.date(2017, 7, 3),
            employed=True,
            contract_months=6,
            working_time=Decimal("0.50"),
            social_progress=SocialProgress.MOTIVATION,
            social_progress_evidence="Ankieta ex post: samoocena 2 → 4.",
        ),
    )
    assert finished.follow_up == follow_up
    corrected = services.follow_up_record(
        user=manager,
        enrolment=finished,
        follow_up=FollowUp(checked_on=datetime.date(2017, 7, 4), employed=False),
    )
    assert FollowUp.objects.count() == 1
    assert corrected.pk == follow_up.pk


@pytest.mark.parametrize(
    "data",
    [
        {"checked_on": EXITED},  # not after the end
        {"checked_on": datetime.date(2017, 7, 3), "employed": True},  # no contract details
        {"checked_on": datetime.date(2017, 7, 3), "social_progress": "HEALTH"},  # no evidence
        {
            "checked_on": datetime.date(2017, 7, 3),
            "employed": True,
            "contract_months": 3,
            "working_time": Decimal("1.5"),
        },
    ],
)
def test_a_bad_follow_up_is_refused(finished, manager, data):
    with pytest.raises(ValidationError):
        services.follow_up_record(user=manager, enrolment=finished, follow_up=FollowUp(**data))
    assert not FollowUp.objects.exists()


def test_no_follow_up_before_leaving(in_support, manager):
    with pytest.raises(ValidationError):
        services.follow_up_record(
            user=manager,
            enrolment=in_support().enrolment,
            follow_up=FollowUp(checked_on=datetime.date(2017, 7, 3)),
        )


def test_an_auditor_changes_nothing(finished, auditor):
    with pytest.raises(PermissionDenied):
        services.follow_up_record(
            user=auditor,
            enrolment=finished,
            follow_up=FollowUp(checked_on=datetime.date(2017, 7, 3)),
        )


def test_enrolling_a_registered_person_needs_the_matching_surname(register, sw_leszno, world):
    person = register().participant
    kwargs = {
        "user": sw_leszno,
        "project": world.leszno,
        "organisation": world.organisations["OPS Leszno"],
    }
    with pytest.raises(ValidationError):
        services.enrol_registered_person(pesel=person.pesel, last_name="Zgadywany", **kwargs)
    enrolment = services.enrol_registered_person(
        pesel=person.pesel, last_name=person.last_name.upper(), **kwargs
    )
    assert enrolment.participant == person
    with pytest.raises(ValidationError):
        services.enrol_registered_person(pesel=person.pesel, last_name=person.last_name, **kwargs)


def test_every_change_is_recorded_with_who_made_it(in_support, manager):
    enrolment = in_support().enrolment
    statuses = [(h.status, h.history_user) for h in enrolment.history.order_by("history_id")]
    assert statuses == [
        (Status.CANDIDATE, manager),
        (Status.QUALIFIED, manager),
        (Status.QUALIFIED, manager),  # consent dates
        (Status.IN_SUPPORT, manager),
    ]
    assert enrolment.participant.history.get().history_user == manager
