"""The participant page: who sees it, which enrolments, checks, timeline, buttons, history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from participants import services
from participants.models import Enrolment, FollowUp
from partners.models import SeatQuota

from .conftest import QUALIFIED, SIGNED


def detail_url(participant) -> str:
    return reverse("participants:detail", args=[participant.pk])


def action_url(name: str, enrolment) -> str:
    return reverse(f"participants:{name}", args=[enrolment.pk])


@pytest.mark.parametrize("persona", ["sw_lebork", "manager", "auditor"])
def test_those_who_see_the_person_get_the_page_with_the_full_pesel(
    request, login, register, persona
):
    participant = register("MOPS Lębork").participant
    response = login(request.getfixturevalue(persona)).get(detail_url(participant))
    assert response.status_code == 200
    assert participant.pesel in response.content.decode()


@pytest.mark.parametrize("persona", ["sw_wicko", "sw_leszno", "coordinator", "nobody"])
def test_a_worker_of_another_partner_gets_404(request, login, register, persona):
    participant = register("MOPS Lębork").participant
    response = login(request.getfixturevalue(persona)).get(detail_url(participant))
    assert response.status_code == 404
    assert participant.pesel not in response.content.decode()


def test_a_missing_person_is_404_too(login, manager):
    assert login(manager).get(reverse("participants:detail", args=[999999])).status_code == 404


def test_only_the_enrolments_the_user_may_see_are_shown(
    login, register, superuser, sw_lebork, sw_leszno, world
):
    in_lebork = register("MOPS Lębork")
    in_leszno = services.enrol_registered_person(
        user=superuser,
        project=world.leszno,
        organisation=world.organisations["OPS Leszno"],
        pesel=in_lebork.participant.pesel,
        last_name=in_lebork.participant.last_name,
    )
    for user, seen, unseen in [
        (sw_lebork, in_lebork, in_leszno),
        (sw_leszno, in_leszno, in_lebork),
    ]:
        response = login(user).get(detail_url(in_lebork.participant))
        assert [card.enrolment for card in response.context["cards"]] == [seen]
        body = response.content.decode()
        assert f'id="enrolment-{seen.pk}"' in body
        assert f'id="enrolment-{unseen.pk}"' not in body
        assert unseen.project.title not in body


def test_the_card_shows_every_reason_of_the_latest_check(login, register, manager, sw_lebork):
    enrolment = register(social_assistance_client=False)
    check = services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    response = login(sw_lebork).get(detail_url(enrolment.participant))
    card = response.context["cards"][0]
    assert card.latest_check == check
    body = response.content.decode()
    for reason in check.reasons:
        assert reason["message"] in body
    assert body.count("✓") == 4
    assert body.count("✗") == 1


def test_the_override_justification_is_shown(login, register, manager, sw_lebork):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    services.eligibility_override(
        user=manager, enrolment=enrolment, justification="Wywiad środowiskowy z 5.05."
    )
    body = login(sw_lebork).get(detail_url(enrolment.participant)).content.decode()
    assert "Wywiad środowiskowy z 5.05." in body


def test_the_status_timeline_lists_every_change_in_order(login, in_support, sw_lebork):
    enrolment = in_support().enrolment
    response = login(sw_lebork).get(detail_url(enrolment.participant))
    timeline = response.context["cards"][0].timeline
    assert [change.new for change in timeline] == [
        Enrolment.Status.CANDIDATE.label,
        Enrolment.Status.QUALIFIED.label,
        Enrolment.Status.IN_SUPPORT.label,
    ]
    assert timeline[1].old == Enrolment.Status.CANDIDATE.label


def test_the_timeline_names_who_changed_the_status(login, register, sw_lebork):
    enrolment = register()
    client = login(sw_lebork)
    client.post(action_url("qualify", enrolment), {"qualified_on": "09.05.2016"})
    timeline = client.get(detail_url(enrolment.participant)).context["cards"][0].timeline
    assert timeline[-1].user == sw_lebork


def test_the_reserve_position_and_exit_data_are_shown(login, in_support, manager, world):
    SeatQuota.objects.filter(organisation=world.organisations["MOPS Lębork"]).update(seats=1)
    first = in_support().enrolment
    waiting = in_support().enrolment
    services.enrolment_exit(
        user=manager, enrolment=first, end_date=SIGNED.replace(month=9), completed_pathway=True
    )
    client = login(manager)
    card = client.get(detail_url(waiting.participant)).context["cards"][0]
    assert card.reserve_position == 1
    card = client.get(detail_url(first.participant)).context["cards"][0]
    assert card.exit.completed_pathway
    assert "follow_up" in card.actions


def test_the_buttons_follow_the_role_and_the_status(login, register, sw_lebork, auditor):
    enrolment = register()
    body = login(sw_lebork).get(detail_url(enrolment.participant)).content.decode()
    assert action_url("qualify", enrolment) in body
    assert action_url("reject", enrolment) in body
    assert action_url("start_support", enrolment) not in body  # not qualified yet
    assert action_url("exit", enrolment) not in body
    assert reverse("participants:edit", args=[enrolment.participant.pk]) in body
    body = login(auditor).get(detail_url(enrolment.participant)).content.decode()
    for name in ("qualify", "reject", "consent", "resign", "override"):
        assert action_url(name, enrolment) not in body
    assert reverse("participants:edit", args=[enrolment.participant.pk]) not in body


def test_a_qualified_person_is_offered_start_of_support_not_qualification(
    login, register, manager, sw_lebork
):
    enrolment = register()
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    body = login(sw_lebork).get(detail_url(enrolment.participant)).content.decode()
    assert action_url("start_support", enrolment) in body
    assert action_url("qualify", enrolment) not in body


def test_only_the_manager_is_offered_the_override(login, register, manager, sw_lebork):
    enrolment = register(social_assistance_client=False)
    services.enrolment_qualify(user=manager, enrolment=enrolment, on_date=QUALIFIED)
    url = action_url("override", enrolment)
    assert url in login(manager).get(detail_url(enrolment.participant)).content.decode()
    assert url not in login(sw_lebork).get(detail_url(enrolment.participant)).content.decode()


def test_the_manager_sees_who_changed_which_field(login, register, manager, sw_lebork):
    enrolment = register(town="Lębork")
    participant = enrolment.participant
    participant.town = "Nowa Wieś Lęborska"
    services.participant_update(user=manager, participant=participant)
    response = login(manager).get(detail_url(participant))
    changes = [change for entry in response.context["history"] for change in entry.changes]
    assert any(c.old == "Lębork" and c.new == "Nowa Wieś Lęborska" for c in changes)
    assert response.context["cards"][0].history  # the enrolment's changes too
    response = login(sw_lebork).get(detail_url(participant))
    assert response.context["history"] is None
    assert response.context["cards"][0].history == []
    assert "Lębork → Nowa Wieś Lęborska" not in response.content.decode()


def test_the_follow_up_is_shown_with_its_evidence(login, in_support, manager, sw_lebork):
    enrolment = in_support().enrolment
    services.enrolment_exit(
        user=manager,
        enrolment=enrolment,
        end_date=datetime.date(2016, 9, 30),
        completed_pathway=True,
        employed=True,
    )
    services.follow_up_record(
        user=manager,
        enrolment=enrolment,
        follow_up=FollowUp(
            checked_on=datetime.date(2017, 1, 10),
            employed=True,
            contract_months=6,
            working_time=Decimal("0.5"),
            social_progress="MOTIVATION",
            social_progress_evidence="Ankieta ex-post z 10.01.2017.",
        ),
    )
    response = login(sw_lebork).get(detail_url(enrolment.participant))
    card = response.context["cards"][0]
    assert card.follow_up.contract_months == 6
    body = response.content.decode()
    assert "Ankieta ex-post z 10.01.2017." in body
    assert "10.01.2017" in body
    assert "0,50" in body
    assert action_url("follow_up", enrolment) in body


def test_risk_factors_are_listed_or_said_to_be_none(login, manager, register):
    plain = register(social_assistance_client=True)
    body = login(manager).get(plain.participant.get_absolute_url()).content.decode()
    assert "nie odnotowano" in body.split("Czynniki ryzyka")[1][:300]
    marked = register(risk_after_prison=True, risk_other="przemoc w rodzinie")
    factors = [str(factor) for factor in marked.participant.risk_factors]
    assert factors == ["osoba opuszczająca zakład karny", "przemoc w rodzinie"]


def test_no_resignation_button_once_support_was_received(login, manager, in_support):
    enrolment = in_support().enrolment
    url = reverse("participants:resign", args=[enrolment.pk])
    assert url in login(manager).get(enrolment.participant.get_absolute_url()).content.decode()
    enrolment.participation_start = enrolment.support_start
    enrolment.save()
    assert url not in login(manager).get(enrolment.participant.get_absolute_url()).content.decode()
