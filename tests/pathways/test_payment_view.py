"""Recording a payment to or for a participant."""

import datetime
from decimal import Decimal

import pytest

from partners.models import Funding
from pathways.models import Payment
from tests.factories import BudgetLineFactory

from .screens import (
    OTHERS,
    error_codes,
    messages_of,
    url,
)


def payment(world, payer: str = "MOPS Lębork", **changes) -> dict:
    return {
        "kind": Payment.Kind.TRAVEL_REFUND,
        "amount": "1 234,56",
        "paid_on": "30.06.2016",
        "period_start": "01.06.2016",
        "period_end": "30.06.2016",
        "document_number": "KW/06/2016/12",
        "budget_line": BudgetLineFactory(
            project=world.lebork, organisation=world.organisations[payer]
        ).pk,
        **changes,
    }


def test_a_payment_is_recorded_and_shown_with_the_totals(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    client = login(sw_lebork)
    assert client.get(url("payment_add", enrolment)).status_code == 200
    response = client.post(url("payment_add", enrolment), payment(world), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", enrolment)
    assert len(messages_of(response)) == 1
    paid = Payment.objects.get()
    assert (paid.amount, paid.paid_by.short_name, paid.recorded_by) == (
        Decimal("1234.56"),
        "MOPS Lębork",
        sw_lebork,
    )
    assert paid.paid_on == datetime.date(2016, 6, 30)
    assert response.context["page"].totals.total == Decimal("1234.56")
    assert "1\xa0234,56\xa0zł" in response.content.decode()


@pytest.mark.parametrize("typed", ["1234,56", "1 234,56", "1\xa0234,56", "1234.56"])
def test_the_amount_is_read_as_written(login, sw_lebork, with_pathway, world, typed):
    enrolment = with_pathway()
    response = login(sw_lebork).post(url("payment_add", enrolment), payment(world, amount=typed))
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("1234.56")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5,00", "min_value"),
        ("0", "min_value"),
        ("0,00", "min_value"),
        ("50 000,01", "max_value"),
        ("1 000 000", "max_value"),
        ("sto złotych", "invalid"),
    ],
)
def test_an_impossible_amount_is_refused_at_the_field(
    login, sw_lebork, with_pathway, world, typed, code
):
    enrolment = with_pathway()
    response = login(sw_lebork).post(url("payment_add", enrolment), payment(world, amount=typed))
    assert error_codes(response, "amount") == [code]
    assert not Payment.objects.exists()


def test_the_period_cannot_end_before_it_starts(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    response = login(sw_lebork).post(
        url("payment_add", enrolment), payment(world, period_end="31.05.2016")
    )
    assert error_codes(response, "period_end") == ["period_order"]
    assert not Payment.objects.exists()


def test_a_payment_cannot_be_dated_in_the_future(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    future = datetime.date.today() + datetime.timedelta(days=5)
    response = login(sw_lebork).post(
        url("payment_add", enrolment), payment(world, paid_on=f"{future:%d.%m.%Y}")
    )
    assert error_codes(response, "paid_on")
    assert not Payment.objects.exists()


def own_contribution_line(world, payer: str = "MOPS Lębork"):
    return BudgetLineFactory(
        project=world.lebork,
        organisation=world.organisations[payer],
        category="Zasiłki okresowe",
        funding=Funding.OWN_CONTRIBUTION,
    )


def test_a_benefit_is_paid_from_an_own_contribution_line(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    line = own_contribution_line(world)
    data = payment(world, kind=Payment.Kind.BENEFIT, amount="350,00", budget_line=line.pk)
    response = login(sw_lebork).post(url("payment_add", enrolment), data, follow=True)
    assert Payment.objects.get().funding == Payment.Funding.OWN_CONTRIBUTION
    totals = response.context["page"].totals
    assert (totals.grant, totals.own_contribution) == (Decimal("0"), Decimal("350.00"))


def test_a_benefit_on_a_grant_line_is_refused(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    response = login(sw_lebork).post(
        url("payment_add", enrolment), payment(world, kind=Payment.Kind.BENEFIT)
    )
    assert error_codes(response, "budget_line") == ["benefit_line"]
    assert not Payment.objects.exists()


def test_only_the_lines_of_the_users_own_organisation_are_offered(
    login, sw_lebork, manager, with_pathway, world
):
    enrolment = with_pathway()
    own = own_contribution_line(world)
    starostwo = payment(world, "Starostwo Lębork")["budget_line"]
    client = login(sw_lebork)
    offered = client.get(url("payment_add", enrolment)).context["form"].fields["budget_line"]
    assert {line.organisation.short_name for line in offered.queryset} == {"MOPS Lębork"}
    assert own in offered.queryset
    response = client.post(url("payment_add", enrolment), payment(world, budget_line=starostwo))
    assert error_codes(response, "budget_line") == ["invalid_choice"]
    assert not Payment.objects.exists()
    offered = login(manager).get(url("payment_add", enrolment)).context["form"]
    assert offered.fields["budget_line"].queryset.count() == 3  # every line of the project


def test_the_payer_and_funds_come_from_the_line(login, sw_lebork, with_pathway, world):
    enrolment = with_pathway()
    line = own_contribution_line(world)
    data = payment(world, kind=Payment.Kind.OTHER_COST, budget_line=line.pk)
    login(sw_lebork).post(url("payment_add", enrolment), data)
    paid = Payment.objects.get()
    assert (paid.paid_by, paid.funding) == (line.organisation, Funding.OWN_CONTRIBUTION)


@pytest.mark.parametrize("persona", [*OTHERS, "coordinator"])
def test_a_worker_of_another_partner_gets_404_and_nothing_changes(
    request, login, with_pathway, world, persona
):
    enrolment = with_pathway()
    client = login(request.getfixturevalue(persona))
    assert client.get(url("payment_add", enrolment)).status_code == 404
    assert client.post(url("payment_add", enrolment), payment(world)).status_code == 404
    assert not Payment.objects.exists()


def test_the_auditor_reads_but_gets_403(login, auditor, with_pathway, world):
    enrolment = with_pathway()
    client = login(auditor)
    response = client.get(url("detail", enrolment))
    assert response.status_code == 200
    assert url("payment_add", enrolment) not in response.content.decode()
    assert client.get(url("payment_add", enrolment)).status_code == 403
    assert client.post(url("payment_add", enrolment), payment(world)).status_code == 403
    assert not Payment.objects.exists()
