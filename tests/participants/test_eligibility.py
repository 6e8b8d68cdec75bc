"""Eligibility: every rule alone, every reason stored, and the manager's override."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participants import services
from participants.models import Answer, EligibilityCheck, Enrolment, LabourMarketStatus

from .conftest import QUALIFIED


def failed_codes(check: EligibilityCheck) -> list[str]:
    return [reason["code"] for reason in check.failed_reasons]


def test_an_eligible_candidate_is_qualified_with_every_reason_stored(register, manager):
    enrolment = register()
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    enrolment.refresh_from_db()
    assert check.eligible
    assert [r["code"] for r in check.reasons] == [
        "area",
        "age",
        "labour_market",
        "at_risk",
        "not_enrolled",
    ]
    assert all(r["passed"] for r in check.reasons)
    assert (check.checked_by, check.checked_on) == (manager, QUALIFIED)
    assert enrolment.status == Enrolment.Status.QUALIFIED
    assert enrolment.qualified_on == QUALIFIED


def test_living_outside_the_area_is_a_reason(register, manager, world):
    enrolment = register()
    participant = enrolment.participant
    participant.commune = world.communes["Gdańsk"]
    participant.save()
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["area"]
    assert "Gdańsk" in check.failed_reasons[0]["message"]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANDIDATE


def test_being_under_the_minimum_age_on_the_day_is_a_reason(register, manager):
    # 18 on 10.05.2016: one day too young on the 9th, old enough on the 10th.
    enrolment = register(born=datetime.date(1998, 5, 10))
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["age"]
    assert "17" in check.failed_reasons[0]["message"]
    check = services.enrolment_qualify(
        user=manager, enrolment=enrolment, on_date=datetime.date(2016, 5, 10)
    )
    assert check.eligible


def test_the_minimum_age_is_a_project_setting(register, manager, world):
    world.lebork.min_age = 25
    world.lebork.save()
    enrolment = register(born=datetime.date(1995, 1, 1))
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["age"]


def test_a_labour_market_status_the_project_does_not_admit_is_a_reason(register, manager):
    enrolment = register(labour_market_status=LabourMarketStatus.UNEMPLOYED_REGISTERED)
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["labour_market"]


def test_not_being_at_risk_of_exclusion_is_a_reason(register, manager):
    enrolment = register(social_assistance_client=False)
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["at_risk"]


@pytest.mark.parametrize(
    "risk",
    [
        {"disability": Answer.YES},
        {"risk_long_term_unemployed": True},
        {"risk_after_prison": True},
        {"risk_homeless": True},
        {"risk_caring_for_dependant": True},
        {"risk_addiction_in_treatment": True},
        {"risk_other": "ofiara przemocy w rodzinie"},
    ],
)
def test_any_risk_factor_makes_a_person_at_risk(register, manager, risk):
    enrolment = register(social_assistance_client=False, **risk)
    assert services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED).eligible


def test_support_in_another_project_is_a_reason(in_support, sw_leszno, world):
    started = in_support()
    person = started.enrolment.participant
    other = services.enrol_registered_person(
        user=sw_leszno,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        pesel=person.pesel,
        last_name=person.last_name,
        registered_on=QUALIFIED,
    )
    check = services.enrolment_qualify(user=sw_leszno, enrolment=other, on_date=QUALIFIED)
    assert failed_codes(check) == ["area", "not_enrolled"]  # and lives in Lębork, not Leszno


def test_a_refusal_lists_every_failed_reason(register, manager, world):
    enrolment = register(
        born=datetime.date(2000, 1, 1),
        social_assistance_client=False,
        labour_market_status=LabourMarketStatus.EMPLOYED,
    )
    enrolment.participant.commune = world.communes["Gdańsk"]
    enrolment.participant.save()
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    assert failed_codes(check) == ["area", "age", "labour_market", "at_risk"]


def test_a_manager_overrides_a_refusal_in_writing(register, manager):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    with pytest.raises(ValidationError):
        services.eligibility_override(user=manager, enrolment=enrolment, justification="  ")
    check = services.eligibility_override(
        user=manager, enrolment=enrolment, justification="Decyzja MOPS o przyznaniu zasiłku w toku."
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.QUALIFIED
    assert (check.overridden_by, check.eligible) == (manager, False)


def test_a_social_worker_cannot_override(register, manager, sw_lebork):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=sw_lebork, enrolment=enrolment, on_date=QUALIFIED)
    with pytest.raises(PermissionDenied):
        services.eligibility_override(user=sw_lebork, enrolment=enrolment, justification="bo tak")


def test_there_is_nothing_to_override_before_a_check(register, manager):
    with pytest.raises(ValidationError):
        services.eligibility_override(user=manager, enrolment=register(), justification="x")


def test_an_auditor_cannot_qualify(register, auditor):
    with pytest.raises(PermissionDenied):
        services.enrolment_qualify(user=auditor, enrolment=register(), on_date=QUALIFIED)


def test_a_social_worker_of_another_partner_cannot_qualify(register, sw_wicko):
    with pytest.raises(PermissionDenied):
        services.enrolment_qualify(user=sw_wicko, enrolment=register("MOPS Lębork"))
