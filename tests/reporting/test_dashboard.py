"""The dashboard (pulpit) of a project and the indicators' help page: who sees what,
the figures of the hand-built scenario (`conftest.py`), bad parameters, the charts'
table alternatives, and a query count that does not grow with the participants."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from pathways.models import Referral
from reporting.indicators import DEFINITIONS, RATES
from reporting.selection import Selection
from reporting.selectors import enrolments_by_month, pathway_funnel
from tests.factories import BudgetLineFactory, UserFactory

from .conftest import JOB, D, Status, person

CHARTS = ["chart-quota", "chart-funnel", "chart-months", "chart-budget"]


def dashboard_url(project, **parameters) -> str:
    url = reverse("reporting:dashboard", args=[project.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in parameters.items()) if parameters else "")


def totals(response) -> dict:
    return {code: figure.total for code, figure in response.context["indicators"].figures.items()}


def bars(chart) -> list[tuple]:
    return [(bar.label, bar.value, bar.target) for bar in chart.bars]


# Who sees what ---------------------------------------------------------------------------


def test_the_manager_sees_every_partner(login, manager, budget):
    response = login(manager).get(dashboard_url(budget.lebork))
    assert response.status_code == 200
    supported = response.context["indicators"].figures["supported"]
    assert (supported.total, supported.women, supported.men) == (20, 11, 9)
    assert totals(response)["leavers"] == 15
    assert bars(response.context["quota_chart"]) == [
        ("MOPS Lębork", 8, 36),
        ("OPS Wicko", 7, 30),
        ("PCPR Lębork", 5, 32),
    ]
    assert bars(response.context["budget_chart"]) == [
        ("MOPS Lębork", Decimal("935.00"), Decimal("8000.00")),
        ("OPS Wicko", Decimal("1234.56"), Decimal("2000.00")),
        ("Starostwo Lębork", Decimal("1984.80"), Decimal("40000.00")),
    ]
    assert 'name="organisation"' in response.content.decode()  # the partner filter


def test_a_social_worker_sees_only_her_organisations_participants(login, sw_lebork, budget):
    response = login(sw_lebork).get(dashboard_url(budget.lebork))
    assert response.status_code == 200
    supported = response.context["indicators"].figures["supported"]
    # A1, A2, C1, C2, C7, C9, C11, D1: MOPS Lębork's; none of OPS Wicko's or PCPR's
    assert (supported.total, supported.women, supported.men) == (8, 5, 3)
    assert bars(response.context["quota_chart"]) == [("MOPS Lębork", 8, 36)]
    assert bars(response.context["budget_chart"]) == [
        ("MOPS Lębork", Decimal("935.00"), Decimal("8000.00"))
    ]
    registered = response.context["funnel_chart"].steps[0]
    assert registered.value == 9  # and N1, registered only
    content = response.content.decode()
    assert 'name="organisation"' not in content  # no partner filter offered
    assert "OPS Wicko" not in content and "PCPR Lębork" not in content


def test_a_social_worker_cannot_pick_another_partner(login, sw_lebork, scenario):
    wicko = scenario.world.organisations["OPS Wicko"]
    response = login(sw_lebork).get(dashboard_url(scenario.world.lebork, organisation=wicko.pk))
    assert response.status_code == 200
    assert totals(response)["supported"] == 8  # still MOPS Lębork's own


def test_the_manager_picks_a_partner_and_a_period(login, manager, scenario):
    wicko = scenario.world.organisations["OPS Wicko"]
    client = login(manager)
    response = client.get(dashboard_url(scenario.world.lebork, organisation=wicko.pk))
    # A3, A5, C3, C4, C8, C12, D2
    assert totals(response)["supported"] == 7
    assert bars(response.context["quota_chart"]) == [("OPS Wicko", 7, 30)]
    response = client.get(
        dashboard_url(scenario.world.lebork, start="01.06.2016", end="31.12.2016")
    )
    # started in June–December 2016: A2, C3, C4, D2, D3 (June), C5, C6 (July), C7, C8 (Sept.)
    assert totals(response)["supported"] == 9
    months = response.context["enrolment_chart"].months
    assert (months[0], months[-1], len(months)) == (D(2016, 6, 1), D(2016, 12, 1), 7)


@pytest.mark.parametrize("persona", ["sw_leszno", "nobody"])
def test_outsiders_get_404(request, login, world, persona):
    user = request.getfixturevalue(persona)
    assert login(user).get(dashboard_url(world.lebork)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.get(dashboard_url(world.lebork))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Bad parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "field", "message"),
    [
        ({"start": "01.01.2017", "end": "31.12.2016"}, "end", None),
        ({"start": "31.02.2017"}, "start", "Wpisz poprawną datę."),
        ({"end": "jutro"}, "end", "Wpisz poprawną datę."),
        ({"organisation": "999999"}, "organisation", "Wybierz poprawną wartość."),
    ],
)
def test_bad_parameters_show_the_errors_and_no_figures(
    login, manager, world, parameters, field, message
):
    response = login(manager).get(dashboard_url(world.lebork, **parameters))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "indicators" not in response.context
    content = response.content.decode()
    assert 'role="img"' not in content
    if message:
        assert message in content  # in Polish


def test_a_partner_of_another_project_is_refused(login, manager, world):
    leszno = world.organisations["OPS Leszno"]
    response = login(manager).get(dashboard_url(world.lebork, organisation=leszno.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


# What the page shows --------------------------------------------------------------------------


def test_every_chart_is_an_image_with_a_title_and_a_table(login, manager, budget):
    content = login(manager).get(dashboard_url(budget.lebork)).content.decode()
    assert content.count('role="img"') == len(CHARTS)
    for chart in CHARTS:
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in content
        assert f'<title id="{chart}-title">' in content
    # each chart is followed by its figures as a table
    tables = content.split("<details")[1:]
    assert len(tables) == len(CHARTS)
    assert all("<table" in part.split("</details>")[0] for part in tables)
    assert "<script" not in content.split("<main")[1].split("</main>")[0]


def test_the_chart_coordinates_are_not_localised(login, manager, budget):
    """Polish formats write 12,5 for 12.5: SVG would not understand it."""
    content = login(manager).get(dashboard_url(budget.lebork)).content.decode()
    number = r"-?\d+(\.\d+)?"
    for svg in re.findall(r"<svg.*?</svg>", content, re.DOTALL):
        for value in re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"', svg):
            assert re.fullmatch(number, value), value
        for value in re.findall(r' points="([^"]*)"', svg):
            assert re.fullmatch(rf"({number},{number} )+", value), value


def test_rates_say_met_not_met_or_not_applicable(login, manager, scenario):
    response = login(manager).get(dashboard_url(scenario.world.lebork))
    rates = {rate.definition.code: rate for rate in response.context["indicators"].rates}
    assert rates["social_effectiveness"].met is False
    content = response.content.decode()
    assert content.count("data-rate=") == len(RATES)
    assert "text-bg-danger" in content  # not met, with its ✗ and words
    assert 'role="note"' in content  # 4 finishers without a follow-up
    empty = login(manager).get(dashboard_url(scenario.world.lebork, end="01.05.2016"))
    assert {rate.met for rate in empty.context["indicators"].rates} == {None}
    assert "text-bg-secondary" in empty.content.decode()


def test_the_budget_totals_are_shown(login, manager, budget):
    response = login(manager).get(dashboard_url(budget.lebork))
    assert response.context["budget"].totals.spent_to_date == Decimal("4154.36")
    content = response.content.decode()
    assert "4\xa0154,36\xa0zł" in content
    assert "50\xa0000,00\xa0zł" in content  # planned


def test_the_dashboard_is_linked_from_the_project(login, manager, world):
    url = reverse("reporting:dashboard", args=[world.lebork.pk])
    client = login(manager)
    assert url in client.get(world.lebork.get_absolute_url()).content.decode()
    assert url in client.get(reverse("home")).content.decode()


# The reads behind the charts ------------------------------------------------------------------


def test_enrolments_by_month_are_running_totals(scenario):
    monthly = enrolments_by_month(Selection(project=scenario.world.lebork))
    assert monthly.months[0] == D(2016, 4, 1) and monthly.months[-1] == D(2018, 10, 1)
    by_month = dict(zip(monthly.months, monthly.started, strict=True))
    assert monthly.registered[:2] == [0, 22]  # everyone registered on 2.05.2016
    assert monthly.registered[-1] == 22
    assert [by_month[D(2016, m, 1)] for m in (4, 5, 6, 7, 8, 9)] == [0, 6, 11, 13, 13, 15]
    assert by_month[D(2017, 1, 1)] == 17
    assert by_month[D(2018, 10, 1)] == 20


def test_the_funnel_counts_each_stage(scenario):
    people = scenario.people
    Referral.objects.create(
        enrolment=people["C4"],
        to_organisation=scenario.world.organisations["Starostwo Lębork"],
        referred_on=D(2016, 8, 1),
        referred_by=UserFactory(),
    )
    stages = pathway_funnel(Selection(project=scenario.world.lebork))
    # 22 registered, 20 started, C4 referred, C4 and C6 on a course, 12 completed
    assert [(s.code, s.count) for s in stages] == [
        ("registered", 22),
        ("in_support", 20),
        ("referred", 1),
        ("placed", 2),
        ("completed", 12),
    ]


def test_the_funnel_is_of_the_people_registered_in_the_period(scenario):
    selection = Selection(project=scenario.world.lebork, start=D(2016, 6, 1))
    assert {s.count for s in pathway_funnel(selection)} == {0}


# Query count ----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_participants(login, manager, world):
    recorder = UserFactory()
    for organisation in ("MOPS Lębork", "OPS Wicko"):
        BudgetLineFactory(project=world.lebork, organisation=world.organisations[organisation])
    starostwo = world.organisations["Starostwo Lębork"]

    def add(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            organisation = "MOPS Lębork" if n % 2 else "OPS Wicko"
            ended = n % 3 == 0
            enrolment = person(
                world,
                recorder,
                organisation,
                f"Q{n}",
                sex="M" if n % 2 else "K",
                start=D(2016, 6, 1),
                status=Status.COMPLETED if ended else Status.IN_SUPPORT,
                end=D(2016, 12, 1) if ended else None,
                exit={"employed": True} if ended else None,
                follow_up=(95, JOB) if ended else None,
            )
            Referral.objects.create(
                enrolment=enrolment,
                to_organisation=starostwo,
                referred_on=D(2016, 8, 1),
                referred_by=recorder,
            )

    def count_queries() -> int:
        client = login(manager)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(dashboard_url(world.lebork, start="01.01.2016"))
        assert response.status_code == 200
        return len(queries)

    add(2, 0)
    few = count_queries()
    add(10, 2)
    many = count_queries()
    assert many == few
    assert few <= 25


# The help page ---------------------------------------------------------------------------------


def test_the_help_page_defines_every_indicator_and_rate(login, sw_lebork):
    response = login(sw_lebork).get(reverse("reporting:help"))
    assert response.status_code == 200
    content = response.content.decode()
    for definition in DEFINITIONS:
        assert f'id="indicator-{definition.code}"' in content
        assert escape(definition.text) in content
    for rate in RATES:
        assert escape(str(rate.name)) in content
        assert escape(rate.text) in content


def test_the_dashboard_links_to_the_help_page(login, manager, world):
    content = login(manager).get(dashboard_url(world.lebork)).content.decode()
    assert reverse("reporting:help") in content
