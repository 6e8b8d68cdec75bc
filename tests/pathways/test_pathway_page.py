"""The pathway page: what it shows, to whom, and in how many queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways import services
from pathways.models import Payment, PlannedSupport
from tests.factories import BudgetLineFactory

from .screens import (
    OTHERS,
    PSYCHOLOGY,
    SESSION_DAY,
    support_form,
    url,
)


def counselling(user, world, enrolment, day, hours="2"):
    return services.session_record(
        user=user,
        project=world.lebork,
        support_form=support_form(PSYCHOLOGY),
        provider=world.organisations["MOPS Lębork"],
        date=day,
        hours=Decimal(hours),
        specialist="Anna Nowak, psycholog",
        rows=[services.AttendanceRow(enrolment=enrolment, present=True)],
    )


def pay(user, world, enrolment, day, amount="120.00"):
    return services.payment_record(
        user=user,
        payment=Payment(
            enrolment=enrolment,
            kind=Payment.Kind.TRAVEL_REFUND,
            amount=Decimal(amount),
            paid_on=day,
            period_start=day.replace(day=1),
            period_end=day,
            document_number=f"KW/{day:%m}/1",
            budget_line=BudgetLineFactory(
                project=enrolment.project, organisation=world.organisations["MOPS Lębork"]
            ),
        ),
    )


@pytest.fixture
def full(with_pathway, manager, sw_lebork, world):
    """A pathway with a goal, a plan of 10 hours of counselling, two sessions (4 hours)
    and a payment between them."""
    enrolment = with_pathway(last_name="Pełna")
    pathway = enrolment.pathway
    services.goal_add(user=manager, pathway=pathway, description="Podjęcie terapii.")
    services.planned_support_add(
        user=manager,
        pathway=pathway,
        support_form=support_form(PSYCHOLOGY),
        provider=world.organisations["MOPS Lębork"],
        planned_start=datetime.date(2016, 6, 1),
        planned_end=datetime.date(2016, 8, 31),
        planned_hours=Decimal("10"),
    )
    counselling(sw_lebork, world, enrolment, SESSION_DAY)
    pay(sw_lebork, world, enrolment, datetime.date(2016, 6, 10))
    counselling(sw_lebork, world, enrolment, datetime.date(2016, 6, 13))
    return enrolment


def test_the_social_worker_sees_the_whole_pathway(login, sw_lebork, full):
    response = login(sw_lebork).get(url("detail", full))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.pathway.needs in response.content.decode()
    assert [goal.description for goal in page.goals] == ["Podjęcie terapii."]
    assert [item.support_form.name for item in page.items] == [PSYCHOLOGY]
    progress = page.progress[0]
    assert (progress.planned, progress.attended, progress.percent) == (
        Decimal("10"),
        Decimal("4.0"),
        Decimal("40"),
    )
    assert [(entry.kind, entry.day.day) for entry in page.timeline] == [
        ("session", 6),
        ("payment", 10),
        ("session", 13),
    ]
    assert page.totals.total == page.totals.grant == Decimal("120.00")
    assert "120,00\xa0zł" in response.content.decode()
    assert page.last_change.user is not None


def test_the_recruiting_worker_gets_the_action_buttons(login, sw_lebork, full):
    content = login(sw_lebork).get(url("detail", full)).content.decode()
    for name in ("edit", "plan_add", "refer", "payment_add", "goal_add"):
        assert url(name, full) in content


def test_the_auditor_reads_without_any_action(login, auditor, full):
    response = login(auditor).get(url("detail", full))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("edit", "plan_add", "refer", "payment_add", "goal_add"):
        assert url(name, full) not in content
    assert reverse("pathways:goal_status", args=[full.pathway.goals.get().pk]) not in content


@pytest.mark.parametrize("persona", [*OTHERS, "coordinator"])
def test_outside_the_scope_the_page_is_404(request, login, full, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(url("detail", full)).status_code == 404


def test_a_page_without_a_pathway_offers_to_write_one(login, sw_lebork, in_support):
    enrolment = in_support().enrolment
    response = login(sw_lebork).get(url("detail", enrolment))
    assert response.status_code == 200
    assert response.context["page"].pathway is None
    assert url("edit", enrolment) in response.content.decode()
    assert url("plan_add", enrolment) not in response.content.decode()


def test_a_vocational_partner_sees_the_page_only_after_the_referral(
    login, coordinator, full, refer_to
):
    client = login(coordinator)
    assert client.get(url("detail", full)).status_code == 404
    refer_to(full)
    response = client.get(url("detail", full))
    assert response.status_code == 200
    assert [r.to_organisation.short_name for r in response.context["page"].referrals] == [
        "Starostwo Lębork"
    ]
    assert url("edit", full) not in response.content.decode()  # reads, the centre edits


def test_the_participant_page_links_each_pathway(login, sw_lebork, full, qualified_candidate):
    client = login(sw_lebork)
    content = client.get(reverse("participants:detail", args=[full.participant_id])).content
    assert url("detail", full) in content.decode()
    candidate = qualified_candidate()
    content = client.get(reverse("participants:detail", args=[candidate.participant_id])).content
    assert url("detail", candidate) in content.decode()


def test_the_queries_do_not_grow_with_the_support_received(
    login, sw_lebork, with_pathway, world, manager
):
    few, many = with_pathway(last_name="Dwie"), with_pathway(last_name="Osiem")
    for enrolment, sessions in ((few, 2), (many, 8)):
        services.planned_support_add(
            user=manager,
            pathway=enrolment.pathway,
            support_form=support_form(PSYCHOLOGY),
            provider=world.organisations["MOPS Lębork"],
            planned_start=SESSION_DAY,
            planned_end=datetime.date(2016, 12, 31),
            planned_hours=Decimal("20"),
        )
        for week in range(sessions):
            day = SESSION_DAY + datetime.timedelta(weeks=week)
            counselling(sw_lebork, world, enrolment, day)
            pay(sw_lebork, world, enrolment, day)
    assert PlannedSupport.objects.count() == 2
    client = login(sw_lebork)
    client.get(url("detail", few))  # warm up the session and the scope
    counts = []
    for enrolment in (few, many):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", enrolment)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 31  # the page and the layout (navbar, roles, scope, two-factor)
