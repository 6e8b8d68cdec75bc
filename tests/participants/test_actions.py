"""Enrolment actions on their screens: each happy path, each refusal, and who may act."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from participants import services
from participants.models import (
    EligibilityCheck,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    SeatBooking,
)
from partners.models import SeatQuota

from .conftest import QUALIFIED, SIGNED

Status = Enrolment.Status
ENDED = datetime.date(2016, 9, 30)


def url(name: str, enrolment) -> str:
    return reverse(f"participants:{name}", args=[enrolment.pk])


def messages_of(response) -> list:
    return list(get_messages(response.wsgi_request))


def form_errors(response, field: str | None = None) -> list[str]:
    """The error codes at a field (None: above the form)."""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    errors = form.non_field_errors().as_data() if field is None else form.errors.as_data()
    errors = errors if field is None else errors.get(field, [])
    assert errors, f"no error at {field}: {form.errors}"
    return [error.code for error in errors]


def status_of(enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.status


@pytest.fixture
def qualified(register, manager):
    """A qualified candidate of MOPS Lębork with both documents signed."""

    def _qualified(**participant) -> Enrolment:
        enrolment = register("MOPS Lębork", **participant)
        services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
        return services.consent_record(
            user=manager,
            enrolment=enrolment,
            declaration_signed_on=SIGNED,
            data_protection_signed_on=SIGNED,
        )

    return _qualified


@pytest.fixture
def one_seat(world):
    SeatQuota.objects.filter(organisation=world.organisations["MOPS Lębork"]).update(seats=1)


# Who may act -----------------------------------------------------------------

VALID = {
    "qualify": {"qualified_on": "09.05.2016"},
    "reject": {"reason": "Nie spełnia kryteriów."},
    "override": {"justification": "Decyzja kierownika."},
    "consent": {"declaration_signed_on": "09.05.2016", "data_protection_signed_on": "09.05.2016"},
    "start_support": {"support_start": "16.05.2016"},
    "resign": {"end_date": "20.05.2016", "reason": "Przeprowadzka."},
    "exit": {"end_date": "30.09.2016", "completed_pathway": "True"},
    "follow_up": {"checked_on": "10.01.2017"},
}
POST_ONLY = {"qualify"}


def snapshot(enrolment) -> tuple:
    enrolment.refresh_from_db()
    return (
        enrolment.status,
        enrolment.history.count(),
        EligibilityCheck.objects.count(),
        SeatBooking.objects.count(),
        EnrolmentExit.objects.count(),
        FollowUp.objects.count(),
    )


@pytest.mark.parametrize("action", VALID)
@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "nobody"])
def test_a_worker_of_another_partner_gets_404_and_nothing_changes(
    request, login, qualified, persona, action
):
    enrolment = qualified()
    before = snapshot(enrolment)
    client = login(request.getfixturevalue(persona))
    if action not in POST_ONLY:
        assert client.get(url(action, enrolment)).status_code == 404
    assert client.post(url(action, enrolment), VALID[action]).status_code == 404
    assert snapshot(enrolment) == before


@pytest.mark.parametrize("action", VALID)
def test_the_auditor_reads_but_gets_403_on_every_action(login, qualified, auditor, action):
    enrolment = qualified()
    before = snapshot(enrolment)
    client = login(auditor)
    assert (
        client.get(reverse("participants:detail", args=[enrolment.participant_id])).status_code
        == 200
    )
    if action not in POST_ONLY:
        assert client.get(url(action, enrolment)).status_code == 403
    assert client.post(url(action, enrolment), VALID[action]).status_code == 403
    assert snapshot(enrolment) == before


def test_only_a_manager_may_override(login, register, manager, sw_lebork):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    client = login(sw_lebork)
    assert client.get(url("override", enrolment)).status_code == 403
    assert client.post(url("override", enrolment), VALID["override"]).status_code == 403
    assert status_of(enrolment) == Status.CANDIDATE


def test_a_missing_enrolment_is_404(login, manager):
    response = login(manager).get(reverse("participants:reject", args=[999999]))
    assert response.status_code == 404


# Qualification -----------------------------------------------------------------


def test_it_qualifies_an_eligible_candidate(login, register, sw_lebork):
    enrolment = register()
    response = login(sw_lebork).post(url("qualify", enrolment), {"qualified_on": "09.05.2016"})
    assert response.status_code == 302
    assert response.url == enrolment.get_absolute_url()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.qualified_on) == (Status.QUALIFIED, QUALIFIED)
    assert [m.level_tag for m in messages_of(response)] == ["success"]


def test_without_a_date_it_checks_for_today(login, register, sw_lebork):
    enrolment = register()
    assert login(sw_lebork).post(url("qualify", enrolment)).status_code == 302
    assert status_of(enrolment) == Status.QUALIFIED
    assert EligibilityCheck.objects.get().checked_on == datetime.date.today()


def test_an_ineligible_candidate_stays_a_candidate_and_hears_why(login, register, sw_lebork):
    enrolment = register(social_assistance_client=False)
    response = login(sw_lebork).post(url("qualify", enrolment), {"qualified_on": "09.05.2016"})
    assert response.status_code == 302
    assert status_of(enrolment) == Status.CANDIDATE
    check = EligibilityCheck.objects.get(enrolment=enrolment)
    assert not check.eligible
    [message] = messages_of(response)
    assert message.level_tag == "warning"
    assert check.failed_reasons[0]["message"] in str(message)


def test_it_refuses_a_check_dated_in_the_future(login, register, sw_lebork):
    enrolment = register()
    response = login(sw_lebork).post(url("qualify", enrolment), {"qualified_on": "01.01.2099"})
    assert form_errors(response, "qualified_on") == ["future"]
    assert status_of(enrolment) == Status.CANDIDATE
    assert not EligibilityCheck.objects.exists()


def test_qualification_is_post_only(login, register, sw_lebork):
    assert login(sw_lebork).get(url("qualify", register())).status_code == 405


def test_the_manager_qualifies_despite_the_rules_in_writing(login, register, manager):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    client = login(manager)
    unjustified = client.post(url("override", enrolment), {"justification": " "})
    assert form_errors(unjustified, "justification") == ["required"]
    assert status_of(enrolment) == Status.CANDIDATE
    response = client.post(url("override", enrolment), VALID["override"])
    assert response.status_code == 302
    assert status_of(enrolment) == Status.QUALIFIED
    check = EligibilityCheck.objects.get(enrolment=enrolment)
    assert (check.override_justification, check.overridden_by) == ("Decyzja kierownika.", manager)


def test_there_is_nothing_to_override_before_a_refusal(login, register, manager):
    enrolment = register()
    response = login(manager).post(url("override", enrolment), VALID["override"])
    assert form_errors(response) == ["nothing_to_override"]
    assert status_of(enrolment) == Status.CANDIDATE


def test_it_rejects_a_candidate_with_a_reason(login, register, sw_lebork):
    enrolment = register()
    response = login(sw_lebork).post(url("reject", enrolment), VALID["reject"])
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.rejection_reason) == (
        Status.REJECTED,
        "Nie spełnia kryteriów.",
    )


def test_a_rejection_needs_a_reason(login, register, sw_lebork):
    enrolment = register()
    response = login(sw_lebork).post(url("reject", enrolment), {"reason": "  "})
    assert form_errors(response, "reason") == ["required"]
    assert status_of(enrolment) == Status.CANDIDATE


def test_a_person_in_support_cannot_be_rejected(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    response = login(sw_lebork).post(url("reject", enrolment), VALID["reject"])
    assert form_errors(response) == ["wrong_status"]
    assert status_of(enrolment) == Status.IN_SUPPORT


# Consent ------------------------------------------------------------------------


def test_it_records_the_signature_dates(login, register, sw_lebork):
    enrolment = register()
    client = login(sw_lebork)
    page = client.get(url("consent", enrolment))
    assert 'placeholder="' in page.content.decode()
    response = client.post(url("consent", enrolment), VALID["consent"])
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.declaration_signed_on == enrolment.data_protection_signed_on == SIGNED


def test_the_consent_form_shows_the_recorded_dates_as_dd_mm_yyyy(login, qualified, sw_lebork):
    body = login(sw_lebork).get(url("consent", qualified())).content.decode()
    assert 'value="09.05.2016"' in body


def test_a_signature_in_the_future_is_refused(login, register, sw_lebork):
    enrolment = register()
    data = {"declaration_signed_on": "01.01.2099", "data_protection_signed_on": "09.05.2016"}
    response = login(sw_lebork).post(url("consent", enrolment), data)
    assert form_errors(response, "declaration_signed_on") == ["future"]
    enrolment.refresh_from_db()
    assert enrolment.data_protection_signed_on is None


# Start of support -----------------------------------------------------------------


def test_it_starts_support_taking_a_seat(login, qualified, sw_lebork):
    enrolment = qualified()
    response = login(sw_lebork).post(url("start_support", enrolment), VALID["start_support"])
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.support_start) == (
        Status.IN_SUPPORT,
        datetime.date(2016, 5, 16),
    )
    assert SeatBooking.objects.active().filter(enrolment=enrolment).count() == 1
    [message] = messages_of(response)
    assert message.level_tag == "success"
    assert "36" in str(message)  # the quota of MOPS Lębork


def test_support_does_not_start_without_consent(login, register, manager, sw_lebork):
    enrolment = register()
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    response = login(sw_lebork).post(url("start_support", enrolment), VALID["start_support"])
    assert form_errors(response) == ["no_consent"]
    assert status_of(enrolment) == Status.QUALIFIED
    assert not SeatBooking.objects.exists()


def test_support_does_not_start_before_registration(login, qualified, sw_lebork):
    enrolment = qualified()
    response = login(sw_lebork).post(
        url("start_support", enrolment), {"support_start": "01.05.2016"}
    )
    assert form_errors(response, "support_start") == ["before_registration"]
    assert status_of(enrolment) == Status.QUALIFIED


def test_a_double_post_books_one_seat(login, qualified, sw_lebork):
    enrolment = qualified()
    client = login(sw_lebork)
    first = client.post(url("start_support", enrolment), VALID["start_support"])
    second = client.post(url("start_support", enrolment), VALID["start_support"])
    assert first.status_code == 302
    assert form_errors(second) == ["wrong_status"]
    assert SeatBooking.objects.active().filter(enrolment=enrolment).count() == 1


def test_a_full_quota_puts_the_candidate_on_the_reserve_list(
    login, qualified, in_support, sw_lebork, one_seat
):
    in_support()
    enrolment = qualified()
    response = login(sw_lebork).post(url("start_support", enrolment), VALID["start_support"])
    assert response.status_code == 302
    assert status_of(enrolment) == Status.RESERVE
    assert not SeatBooking.objects.filter(enrolment=enrolment).exists()
    [message] = messages_of(response)
    assert message.level_tag == "warning"
    assert "MOPS Lębork" in str(message)
    assert " 1" in str(message)  # the position


# Leaving -------------------------------------------------------------------------


def test_a_resignation_frees_the_seat_for_the_first_in_line(login, in_support, sw_lebork, one_seat):
    leaving = in_support().enrolment
    first_in_line = in_support(last_name="Pierwsza").enrolment
    in_support(last_name="Druga")
    response = login(sw_lebork).post(url("resign", leaving), VALID["resign"])
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert (leaving.status, leaving.end_date) == (Status.DROPPED_OUT, datetime.date(2016, 5, 20))
    assert not SeatBooking.objects.active().exists()
    notices = [str(m) for m in messages_of(response)]
    offered = [text for text in notices if "Pierwsza" in text]
    assert len(offered) == 1
    assert f'href="{first_in_line.get_absolute_url()}"' in offered[0]
    assert "Druga" not in " ".join(notices)
    # the link is rendered as a link, not as escaped text
    page = login(sw_lebork).get(response.url)
    assert f'<a href="{first_in_line.get_absolute_url()}">' in page.content.decode()


def test_a_resignation_needs_a_reason(login, qualified, sw_lebork):
    enrolment = qualified()
    response = login(sw_lebork).post(url("resign", enrolment), {"end_date": "20.05.2016"})
    assert form_errors(response, "reason") == ["required"]
    assert status_of(enrolment) == Status.QUALIFIED


def test_it_records_a_completed_participation_with_its_outcomes(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    data = VALID["exit"] | {"employed": "on", "qualification_gained": "on"}
    response = login(sw_lebork).post(url("exit", enrolment), data)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == (Status.COMPLETED, ENDED)
    exit_data = EnrolmentExit.objects.get(enrolment=enrolment)
    assert exit_data.completed_pathway and exit_data.employed and exit_data.qualification_gained
    assert not exit_data.seeking_work
    assert exit_data.recorded_by == sw_lebork
    assert SeatBooking.objects.active().filter(enrolment=enrolment).count() == 1  # used, kept


def test_a_drop_out_is_recorded_with_its_reason(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    data = {"end_date": "30.09.2016", "completed_pathway": "False", "dropout_reason": "Choroba."}
    assert login(sw_lebork).post(url("exit", enrolment), data).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.dropout_reason) == (Status.DROPPED_OUT, "Choroba.")


def test_leaving_early_needs_a_reason(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    data = {"end_date": "30.09.2016", "completed_pathway": "False"}
    response = login(sw_lebork).post(url("exit", enrolment), data)
    assert form_errors(response, "dropout_reason") == ["no_reason"]
    assert status_of(enrolment) == Status.IN_SUPPORT
    assert not EnrolmentExit.objects.exists()


def test_the_end_cannot_come_before_the_start_of_support(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    data = VALID["exit"] | {"end_date": "15.05.2016"}
    response = login(sw_lebork).post(url("exit", enrolment), data)
    assert form_errors(response, "end_date") == ["before_start"]
    assert status_of(enrolment) == Status.IN_SUPPORT
    assert not EnrolmentExit.objects.exists()


def test_the_exit_form_needs_an_answer_about_the_pathway(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    response = login(sw_lebork).post(url("exit", enrolment), {"end_date": "30.09.2016"})
    assert form_errors(response, "completed_pathway") == ["required"]


# Follow-up -------------------------------------------------------------------------


@pytest.fixture
def ended(in_support, manager):
    def _ended() -> Enrolment:
        enrolment = in_support().enrolment
        services.enrolment_exit(
            user=manager, enrolment=enrolment, end_date=ENDED, completed_pathway=True
        )
        return enrolment

    return _ended


def test_it_records_the_situation_after_three_months(login, ended, sw_lebork):
    enrolment = ended()
    data = {
        "checked_on": "10.01.2017",
        "employed": "on",
        "contract_months": "6",
        "working_time": "0,5",
        "social_progress": "MOTIVATION",
        "social_progress_evidence": "Ankieta ex-post.",
    }
    response = login(sw_lebork).post(url("follow_up", enrolment), data)
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(enrolment=enrolment)
    assert follow_up.employed and follow_up.contract_months == 6
    assert str(follow_up.working_time) == "0.50"
    assert follow_up.recorded_by == sw_lebork


def test_a_second_follow_up_corrects_the_first(login, ended, sw_lebork):
    enrolment = ended()
    client = login(sw_lebork)
    client.post(url("follow_up", enrolment), {"checked_on": "10.01.2017"})
    page = client.get(url("follow_up", enrolment))
    assert 'value="10.01.2017"' in page.content.decode()
    client.post(url("follow_up", enrolment), {"checked_on": "12.01.2017", "self_employed": "on"})
    follow_up = FollowUp.objects.get(enrolment=enrolment)
    assert (follow_up.checked_on, follow_up.self_employed) == (datetime.date(2017, 1, 12), True)


def test_the_follow_up_comes_after_the_end(login, ended, sw_lebork):
    enrolment = ended()
    response = login(sw_lebork).post(url("follow_up", enrolment), {"checked_on": "30.09.2016"})
    assert form_errors(response, "checked_on") == ["follow_up_date"]
    assert not FollowUp.objects.exists()


def test_employment_at_follow_up_needs_its_details(login, ended, sw_lebork):
    enrolment = ended()
    data = {"checked_on": "10.01.2017", "employed": "on"}
    response = login(sw_lebork).post(url("follow_up", enrolment), data)
    assert form_errors(response)
    assert not FollowUp.objects.exists()


def test_no_follow_up_before_the_participation_ends(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    response = login(sw_lebork).post(url("follow_up", enrolment), {"checked_on": "10.01.2017"})
    assert form_errors(response) == ["wrong_status"]
    assert not FollowUp.objects.exists()
