"""The budget plan in the app: the project manager adds, changes and deletes budget
lines; everyone who sees the project reads it (partner staff only their own lines);
a line money was paid from keeps its partner and source of funds, and its plan
cannot fall below what was paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import BudgetLine, Funding
from partners.services import budget_line_delete, budget_line_save
from pathways.models import Payment
from tests.factories import BudgetLineFactory, EnrolmentFactory, OrganisationFactory, UserFactory

NBSP = "\xa0"


def budget_url(project) -> str:
    return reverse("partners:budget", args=[project.pk])


def new_url(project) -> str:
    return reverse("partners:budget_line_new", args=[project.pk])


def edit_url(line) -> str:
    return reverse("partners:budget_line_edit", args=[line.project_id, line.pk])


def delete_url(line) -> str:
    return reverse("partners:budget_line_delete", args=[line.project_id, line.pk])


def line_of(world, organisation="MOPS Lębork", category="Dojazdy", **fields) -> BudgetLine:
    fields.setdefault("planned_amount", Decimal("5000.00"))
    return BudgetLineFactory(
        project=world.lebork,
        organisation=world.organisations[organisation],
        category=category,
        **fields,
    )


def form_data(world, **changes) -> dict:
    return {
        "organisation": world.organisations["MOPS Lębork"].pk,
        "category": "Dojazdy",
        "funding": Funding.GRANT,
        "planned_amount": "1 234,56",
    } | changes


def pay(line: BudgetLine, amount: str) -> Payment:
    enrolment = EnrolmentFactory(project=line.project, recruiting_organisation=line.organisation)
    day = datetime.date(2016, 6, 30)
    return Payment.objects.create(
        enrolment=enrolment, kind=Payment.Kind.TRAVEL_REFUND, amount=Decimal(amount),
        paid_on=day, period_start=day.replace(day=1), period_end=day, document_number="D/1",
        budget_line=line, paid_by=line.organisation, funding=line.funding,
        recorded_by=UserFactory(),
    )  # fmt: skip


def lines() -> list[tuple]:
    return list(BudgetLine.objects.order_by("pk").values_list())


@pytest.fixture
def funded(world):
    """The Lębork project: 60 000,00 zł, 89,5% grant."""
    world.lebork.budget_total = Decimal("60000.00")
    world.lebork.grant_share, world.lebork.own_contribution_share = Decimal("89.5"), Decimal("10.5")
    world.lebork.save()
    return world


# The manager adds, changes, deletes -----------------------------------------------------


def test_the_manager_adds_a_line_typed_the_polish_way(login, manager, world):
    client = login(manager)
    assert client.get(new_url(world.lebork)).status_code == 200
    response = client.post(new_url(world.lebork), form_data(world))
    assert response.status_code == 302
    assert response.url == budget_url(world.lebork)
    line = BudgetLine.objects.get()
    assert (line.project, line.organisation, line.category, line.funding) == (
        world.lebork,
        world.organisations["MOPS Lębork"],
        "Dojazdy",
        Funding.GRANT,
    )
    assert line.planned_amount == Decimal("1234.56")
    assert line.history.count() == 1
    assert line.history.first().history_user == manager
    page = client.get(response.url).content.decode()
    assert "Dojazdy" in page
    assert f"1{NBSP}234,56{NBSP}zł" in page


def test_the_new_form_offers_only_the_projects_partners(login, manager, world):
    wicko = world.organisations["OPS Wicko"]
    response = login(manager).get(new_url(world.lebork) + f"?organisation={wicko.pk}")
    form = response.context["form"]
    partners = ("PCPR Lębork", "MOPS Lębork", "OPS Wicko", "Starostwo Lębork")
    assert set(form.fields["organisation"].queryset) == {world.organisations[n] for n in partners}
    assert form.initial["organisation"] == str(wicko.pk)


def test_the_manager_changes_a_line(login, manager, world):
    line = line_of(world)
    client = login(manager)
    form = client.get(edit_url(line)).context["form"]
    assert form.instance == line
    data = form_data(
        world,
        category="Dojazdy na zajęcia",
        funding=Funding.OWN_CONTRIBUTION,
        planned_amount="7\xa0500,00",  # as the form shows it back, with a no-break space
        organisation=world.organisations["OPS Wicko"].pk,
    )
    response = client.post(edit_url(line), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.organisation, line.category, line.funding, line.planned_amount) == (
        world.organisations["OPS Wicko"],
        "Dojazdy na zajęcia",
        Funding.OWN_CONTRIBUTION,
        Decimal("7500.00"),
    )
    assert line.history.count() == 2
    assert line.history.first().history_user == manager


def test_the_manager_deletes_a_line_after_confirming(login, manager, world):
    line = line_of(world)
    client = login(manager)
    response = client.get(delete_url(line))
    assert response.status_code == 200
    assert BudgetLine.objects.filter(pk=line.pk).exists()  # GET only asks
    assert 'method="post"' in response.content.decode()
    response = client.post(delete_url(line))
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    history = BudgetLine.history.filter(id=line.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history.last().history_user == manager


def test_a_superuser_manages_the_budget_too(login, superuser, world):
    response = login(superuser).post(new_url(world.lebork), form_data(world))
    assert response.status_code == 302
    assert BudgetLine.objects.count() == 1


# Bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_amount": "-1,00"}, "planned_amount"),
        ({"planned_amount": "abc"}, "planned_amount"),
        ({"planned_amount": "12,345"}, "planned_amount"),
        ({"planned_amount": ""}, "planned_amount"),
        ({"category": ""}, "category"),
        ({"funding": "LOAN"}, "funding"),
    ],
)
def test_bad_input_is_refused_on_the_form(login, manager, world, changes, field):
    response = login(manager).post(new_url(world.lebork), form_data(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert BudgetLine.objects.count() == 0


def test_an_organisation_outside_the_partnership_is_refused(login, manager, world):
    outsiders = [world.organisations["OPS Leszno"], OrganisationFactory(short_name="Obca")]
    client = login(manager)
    for outsider in outsiders:
        response = client.post(new_url(world.lebork), form_data(world, organisation=outsider.pk))
        assert response.status_code == 200
        assert "organisation" in response.context["form"].errors
    assert BudgetLine.objects.count() == 0


def test_a_category_a_partner_already_has_is_refused(login, manager, world):
    line_of(world)
    before = lines()
    response = login(manager).post(new_url(world.lebork), form_data(world))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["category"]
    assert [e.code for e in errors] == ["duplicate_category"]
    assert "Ten partner ma już tę kategorię budżetową." in response.content.decode()
    assert lines() == before


def test_the_service_refuses_a_duplicate_category_too(manager, world):
    line_of(world)
    twin = BudgetLine(
        project=world.lebork,
        organisation=world.organisations["MOPS Lębork"],
        category="Dojazdy",
        planned_amount=Decimal("1.00"),
    )
    with pytest.raises(ValidationError):
        budget_line_save(user=manager, line=twin)
    assert BudgetLine.objects.count() == 1


def test_another_partner_may_have_the_same_category(login, manager, world):
    line_of(world)
    data = form_data(world, organisation=world.organisations["OPS Wicko"].pk)
    assert login(manager).post(new_url(world.lebork), data).status_code == 302
    assert BudgetLine.objects.filter(category="Dojazdy").count() == 2


# Lines money was paid from ----------------------------------------------------------------


def test_the_plan_cannot_fall_below_what_was_paid(login, manager, world):
    line = line_of(world)
    pay(line, "1000.00")
    pay(line, "234.56")
    before = lines()
    response = login(manager).post(edit_url(line), form_data(world, planned_amount="1 000,00"))
    assert response.status_code == 200
    errors = response.context["form"].errors["planned_amount"]
    assert (
        errors == [f"The plan cannot be lower than what was already paid (1{NBSP}234,56{NBSP}zł)."]
        or f"1{NBSP}234,56{NBSP}zł" in errors[0]
    )
    assert lines() == before
    assert line.history.count() == 1


def test_the_plan_may_fall_to_exactly_what_was_paid(manager, world):
    line = line_of(world)
    pay(line, "1234.56")
    line.planned_amount = Decimal("1234.56")
    budget_line_save(user=manager, line=line)
    line.refresh_from_db()
    assert line.planned_amount == Decimal("1234.56")


@pytest.mark.parametrize(
    "changes",
    [
        {"organisation": "OPS Wicko"},
        {"funding": Funding.OWN_CONTRIBUTION},
    ],
)
def test_partner_and_funding_of_a_paid_line_cannot_change(login, manager, world, changes):
    line = line_of(world)
    pay(line, "100.00")
    before = lines()
    data = {"planned_amount": "5 000,00"} | changes
    if "organisation" in changes:
        data["organisation"] = world.organisations[changes["organisation"]].pk
    response = login(manager).post(edit_url(line), form_data(world, **data))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["has_payments"]
    assert lines() == before


def test_the_service_refuses_to_move_a_paid_line_to_another_partner(manager, world):
    line = line_of(world)
    pay(line, "100.00")
    line.organisation = world.organisations["OPS Wicko"]
    with pytest.raises(ValidationError) as error:
        budget_line_save(user=manager, line=line)
    assert error.value.error_dict["__all__"][0].code == "has_payments"
    line.refresh_from_db()
    assert line.organisation == world.organisations["MOPS Lębork"]


def test_the_category_of_a_paid_line_may_still_change(login, manager, world):
    line = line_of(world)
    pay(line, "100.00")
    response = login(manager).post(edit_url(line), form_data(world, category="Bilety"))
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.category == "Bilety"


def test_a_paid_line_cannot_be_deleted(login, manager, world):
    line = line_of(world)
    pay(line, "100.00")
    client = login(manager)
    page = client.get(delete_url(line))
    assert page.status_code == 200
    assert page.context["has_payments"] is True
    response = client.post(delete_url(line), follow=True)
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with pytest.raises(ValidationError):
        budget_line_delete(user=manager, line=line)
    assert line.history.count() == 1


# Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["auditor", "sw_lebork", "coordinator"])
def test_who_sees_but_does_not_manage_gets_403(request, login, persona, world):
    line = line_of(world)
    client = login(request.getfixturevalue(persona))
    assert client.get(budget_url(world.lebork)).status_code == 200
    before = lines()
    assert client.get(new_url(world.lebork)).status_code == 403
    assert client.post(new_url(world.lebork), form_data(world, category="Nowa")).status_code == 403
    assert client.get(edit_url(line)).status_code == 403
    assert client.post(edit_url(line), form_data(world, planned_amount="1,00")).status_code == 403
    assert client.get(delete_url(line)).status_code == 403
    assert client.post(delete_url(line)).status_code == 403
    assert lines() == before


def test_the_services_refuse_who_does_not_manage(auditor, world):
    line = line_of(world)
    line.planned_amount = Decimal("1.00")
    with pytest.raises(PermissionDenied):
        budget_line_save(user=auditor, line=line)
    with pytest.raises(PermissionDenied):
        budget_line_delete(user=auditor, line=line)
    assert BudgetLine.objects.get().planned_amount == Decimal("5000.00")


def test_the_manager_of_another_project_gets_nothing_here(login, manager, world):
    # the Lębork manager sees neither Leszno's budget nor a Leszno line through Lębork
    leszno_line = BudgetLineFactory(
        project=world.leszno, organisation=world.organisations["OPS Leszno"]
    )
    client = login(manager)
    assert client.get(budget_url(world.leszno)).status_code == 404
    assert client.get(new_url(world.leszno)).status_code == 404
    wrong = [world.lebork.pk, leszno_line.pk]
    assert client.get(reverse("partners:budget_line_edit", args=wrong)).status_code == 404
    assert client.post(reverse("partners:budget_line_delete", args=wrong)).status_code == 404
    assert BudgetLine.objects.filter(pk=leszno_line.pk).exists()


@pytest.mark.parametrize("persona", ["sw_leszno", "nobody"])
def test_outsiders_get_404(request, login, persona, world):
    line = line_of(world)
    client = login(request.getfixturevalue(persona))
    for url in (budget_url(world.lebork), new_url(world.lebork), edit_url(line), delete_url(line)):
        assert client.get(url).status_code == 404
    assert client.post(delete_url(line)).status_code == 404
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_anonymous_is_sent_to_log_in(client, world):
    line = line_of(world)
    for url in (budget_url(world.lebork), new_url(world.lebork), edit_url(line), delete_url(line)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# The page -----------------------------------------------------------------------------------


def test_the_manager_sees_the_whole_plan_against_the_budget(login, manager, funded):
    world = funded
    line_of(world, planned_amount=Decimal("5000.00"))
    line_of(world, category="Zasiłki", funding=Funding.OWN_CONTRIBUTION,
            planned_amount=Decimal("3000.00"))  # fmt: skip
    line_of(world, "OPS Wicko", "Opieka", planned_amount=Decimal("2000.00"))
    response = login(manager).get(budget_url(world.lebork))
    plan = response.context["plan"]
    assert response.context["may_manage"] is True
    assert plan.whole_project is True
    by_partner = {p.organisation.short_name: p for p in plan.partners}
    # every partner is listed, with or without lines, so that the manager can add one
    assert set(by_partner) == {"PCPR Lębork", "MOPS Lębork", "OPS Wicko", "Starostwo Lębork"}
    mops = by_partner["MOPS Lębork"].totals
    assert (mops.grant, mops.own_contribution, mops.total) == (
        Decimal("5000.00"), Decimal("3000.00"), Decimal("8000.00"))  # fmt: skip
    assert plan.totals.total == Decimal("10000.00")
    assert plan.totals.grant == Decimal("7000.00")
    assert plan.unplanned == Decimal("50000.00")
    assert plan.grant_unplanned == Decimal("53700.00") - Decimal("7000.00")
    assert plan.own_contribution_unplanned == Decimal("6300.00") - Decimal("3000.00")
    body = response.content.decode()
    assert f"60{NBSP}000,00{NBSP}zł" in body
    assert f"50{NBSP}000,00{NBSP}zł" in body
    assert f"8{NBSP}000,00{NBSP}zł" in body
    assert new_url(world.lebork) in body


def test_the_auditor_reads_the_whole_plan_without_buttons(login, auditor, funded):
    line = line_of(funded)
    response = login(auditor).get(budget_url(funded.lebork))
    assert response.context["may_manage"] is False
    assert response.context["plan"].whole_project is True
    body = response.content.decode()
    assert "Dojazdy" in body
    for url in (new_url(funded.lebork), edit_url(line), delete_url(line)):
        assert url not in body


def test_a_social_worker_sees_only_her_organisations_lines(login, sw_lebork, funded):
    world = funded
    line_of(world, category="Dojazdy MOPS")
    line_of(world, "OPS Wicko", "Opieka Wicko")
    line_of(world, "PCPR Lębork", "Szkolenia PCPR")
    response = login(sw_lebork).get(budget_url(world.lebork))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.whole_project is False
    assert [p.organisation.short_name for p in plan.partners] == ["MOPS Lębork"]
    assert [line.category for line in plan.partners[0].lines] == ["Dojazdy MOPS"]
    assert response.context["may_manage"] is False
    body = response.content.decode()
    assert "Dojazdy MOPS" in body
    assert "Opieka Wicko" not in body
    assert "Szkolenia PCPR" not in body
    assert "data-unplanned" not in body  # no comparison with the whole budget


def test_the_page_shows_what_was_paid_per_line(login, manager, world):
    line = line_of(world)
    pay(line, "120.50")
    pay(line, "79.50")
    response = login(manager).get(budget_url(world.lebork))
    shown = response.context["plan"].partners
    paid = {row.pk: row.paid for partner in shown for row in partner.lines}
    assert paid == {line.pk: Decimal("200.00")}
    assert f"200,00{NBSP}zł" in response.content.decode()


def test_the_project_page_links_to_the_budget(login, sw_lebork, world):
    body = login(sw_lebork).get(reverse("partners:project_detail", args=[world.lebork.pk]))
    assert budget_url(world.lebork) in body.content.decode()


def test_the_page_issues_a_fixed_number_of_queries(login, manager, world):
    client = login(manager)
    names = ["PCPR Lębork", "MOPS Lębork", "OPS Wicko", "Starostwo Lębork"]

    def queries_with(count: int) -> int:
        for n in range(BudgetLine.objects.count(), count):
            line = line_of(world, names[n % 4], f"Kategoria {n}")
            if n % 3 == 0:
                pay(line, "10.00")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(budget_url(world.lebork))
        assert sum(len(p.lines) for p in response.context["plan"].partners) == count
        return len(queries)

    queries_with(0)  # the first request of the session reads what later ones have cached
    assert queries_with(2) == queries_with(10)


def test_the_admin_keeps_the_rules_of_a_paid_line(login, client, superuser, world):
    """The admin saves through the same service: a paid line's plan stays above what
    was paid, and the admin shows the refusal on the form."""
    paid_line = line_of(world)
    pay(paid_line, "120.00")
    login(superuser)
    url = reverse("admin:partners_budgetline_change", args=[paid_line.pk])
    data = {
        "project": paid_line.project_id,
        "organisation": paid_line.organisation_id,
        "category": paid_line.category,
        "funding": paid_line.funding,
        "planned_amount": "1,00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["planned_amount"]
    paid_line.refresh_from_db()
    assert paid_line.planned_amount != Decimal("1.00")
