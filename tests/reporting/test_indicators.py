"""The indicators, rates and budget of a hand-built partnership, each figure worked
out by hand below (the comments say who counts and why)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.budget import budget_compute
from reporting.indicators import FOLLOW_UP_AFTER, indicators_compute
from reporting.selection import Selection, selection_make
from tests.factories import UserFactory

from .conftest import D, Status, person


def compute(world, user=None, **parameters):
    return indicators_compute(selection_make(user=user, project=world.lebork, **parameters))


def figures(indicators) -> dict:
    return {code: (f.total, f.women, f.men) for code, f in indicators.figures.items()}


def rates(indicators) -> dict:
    return {
        r.definition.code: (r.numerator, r.denominator, r.value, r.met) for r in indicators.rates
    }


def test_the_whole_project(scenario):
    indicators = compute(scenario.world)
    assert figures(indicators) == {
        # started support: A1–A5, C1–C12, D1–D3; women A1 A3 A5 C1 C2 C4 C6 C7 C10 C12 D1
        "supported": (20, 11, 9),
        "supported_disabled": (3, 2, 1),  # A1, C7, C8 (A5 refused to answer)
        "supported_at_risk": (19, 11, 8),  # all but A2 (A3 homeless, A5 another risk)
        "leavers": (15, 8, 7),
        "completed_pathway": (12, 7, 5),
        "dropped_out": (3, 1, 2),
        "qualification": (2, 1, 1),  # C4 (exam 20 days after), C9 (on leaving)
        "employed": (3, 2, 1),  # C1, D1, C5; C9 was 16 at entry
        "seeking_work": (3, 1, 2),  # C2, C8, C11
        "in_education": (1, 0, 1),  # C3
        "finishers": (13, 8, 5),  # the 12 who completed and D1 who left for a job
        "social_progress": (3, 2, 1),  # C2, C10, C3; C12 a day early, D2 not a finisher
        # finishers but C3 (education), C5 (employed at entry), C9 (under 18)
        "employment_base": (10, 8, 2),  # men: C8, C11
        # C1, C7 (self-employed), C10 and C11 (3 months, half time), D1; not C4, C8
        "employment_effective": (5, 4, 1),
        "employment_base_severe": (2, 1, 1),  # C7 severe, C8 intellectual
        "employment_effective_severe": (1, 1, 0),
        "follow_up_pending": (0, None, None),
        "follow_up_missing": (4, None, None),  # C4 and C12 too early, C6 and C9 none
    }
    assert rates(indicators) == {
        "social_effectiveness": (3, 13, Decimal("23.08"), False),
        "employment_effectiveness": (4, 8, Decimal("50.00"), True),
        "employment_effectiveness_severe": (1, 2, Decimal("50.00"), True),
    }
    partners = {
        row.organisation.short_name: (row.seats, row.supported, row.women, row.men, row.fill)
        for row in indicators.partners
    }
    assert partners == {
        "MOPS Lębork": (36, 8, 5, 3, Decimal("22.22")),
        "OPS Wicko": (30, 7, 4, 3, Decimal("23.33")),
        "PCPR Lębork": (32, 5, 2, 3, Decimal("15.63")),  # 15,625 rounded half up
    }


def test_a_period(scenario):
    indicators = compute(scenario.world, start=D(2017, 1, 1), end=D(2017, 12, 31))
    got = figures(indicators)
    assert got["supported"] == (4, 2, 2)  # A3, A4, C11, C12 started in 2017
    assert got["leavers"] == (8, 4, 4)  # C3 C4 C5 C6 C7 C8 C11 C12 ended in 2017
    assert got["finishers"] == (8, 4, 4)
    assert got["employment_base"] == (6, 4, 2)  # C4 C6 C7 C8 C11 C12
    assert rates(indicators) == {
        "social_effectiveness": (1, 8, Decimal("12.50"), False),  # C3
        "employment_effectiveness": (1, 4, Decimal("25.00"), True),  # C11 of C4 C6 C11 C12
        "employment_effectiveness_severe": (1, 2, Decimal("50.00"), True),  # C7 of C7 C8
    }


def test_one_partner(scenario):
    indicators = compute(scenario.world, organisation=scenario.world.organisations["MOPS Lębork"])
    got = figures(indicators)
    assert got["supported"] == (8, 5, 3)
    assert got["finishers"] == (6, 4, 2)  # C1 C2 C7 C9 C11 D1
    assert [row.organisation.short_name for row in indicators.partners] == ["MOPS Lębork"]


def test_a_social_worker_counts_only_their_organisations_people(scenario, sw_wicko, sw_lebork):
    assert compute(scenario.world, user=sw_wicko)["supported"].total == 7
    lebork = compute(scenario.world, user=sw_lebork)
    assert lebork["supported"].total == 8
    assert [row.organisation.short_name for row in lebork.partners] == ["MOPS Lębork"]


def test_a_social_worker_cannot_pick_another_partner(scenario, sw_lebork):
    with pytest.raises(PermissionDenied):
        compute(
            scenario.world, user=sw_lebork, organisation=scenario.world.organisations["OPS Wicko"]
        )


def test_a_period_ending_before_it_starts_is_refused(scenario):
    with pytest.raises(ValidationError) as refused:
        compute(scenario.world, start=D(2017, 1, 1), end=D(2016, 1, 1))
    assert refused.value.error_dict["end"][0].code == "period_order"


def test_a_partner_of_another_project_is_refused(scenario):
    with pytest.raises(ValidationError) as refused:
        compute(scenario.world, organisation=scenario.world.organisations["OPS Leszno"])
    assert "organisation" in refused.value.error_dict


def test_rates_with_nobody_to_count_are_not_applicable(world):
    indicators = compute(world)
    assert {r.definition.code: (r.value, r.met) for r in indicators.rates} == {
        "social_effectiveness": (None, None),
        "employment_effectiveness": (None, None),
        "employment_effectiveness_severe": (None, None),
    }


def test_a_recent_finisher_is_pending_not_missing(world):
    today = datetime.date.today()
    world.lebork.end_date = today + datetime.timedelta(days=30)
    world.lebork.save()
    person(world, UserFactory(), "MOPS Lębork", "R1", status=Status.COMPLETED,
            start=D(2016, 5, 16), end=today - datetime.timedelta(days=10), exit={})  # fmt: skip
    got = figures(compute(world))
    assert (got["follow_up_pending"][0], got["follow_up_missing"][0]) == (1, 0)
    assert datetime.timedelta(days=90) == FOLLOW_UP_AFTER


def test_thresholds_are_the_projects(scenario):
    project = scenario.world.lebork
    project.social_effectiveness_threshold = Decimal("20")
    project.employment_effectiveness_threshold = Decimal("50.01")
    project.save()
    assert {r.definition.code: r.met for r in compute(scenario.world).rates} == {
        "social_effectiveness": True,
        "employment_effectiveness": False,
        "employment_effectiveness_severe": True,
    }


def test_the_number_of_queries_does_not_grow_with_participants(scenario):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            compute(scenario.world)
        return len(queries)

    before = count()
    for n in range(10):
        person(scenario.world, UserFactory(), "OPS Wicko", f"X{n}", start=D(2016, 6, 1))
    assert count() == before == 3


# Budget -------------------------------------------------------------------------------


def test_the_budget_of_the_whole_project(budget):
    report = budget_compute(Selection(project=budget.lebork))
    assert (report.totals.planned, report.totals.spent_to_date, report.totals.left) == (
        Decimal("50000.00"),
        Decimal("4154.36"),
        Decimal("45845.64"),
    )
    assert report.unallocated == Decimal("10000.00")
    assert (report.grant.spent_to_date, report.own_contribution.spent_to_date) == (
        Decimal("3419.36"),
        Decimal("735.00"),
    )
    # 735,00 ÷ 4 154,36 = 17,69% of the spending, above the 10,5% required
    assert (report.own_contribution_share, report.own_contribution_share_met) == (
        Decimal("17.69"),
        True,
    )
    assert (budget.lebork.grant_amount, budget.lebork.own_contribution_amount) == (
        Decimal("53700.00"),
        Decimal("6300.00"),
    )
    by_partner = {
        p.organisation.short_name: (p.totals.planned, p.totals.spent_to_date, p.totals.left)
        for p in report.partners
    }
    assert by_partner == {
        "MOPS Lębork": (Decimal("8000.00"), Decimal("935.00"), Decimal("7065.00")),
        "OPS Wicko": (Decimal("2000.00"), Decimal("1234.56"), Decimal("765.44")),
        "Starostwo Lębork": (Decimal("40000.00"), Decimal("1984.80"), Decimal("38015.20")),
    }
    travel = report.partners[0].rows[0]
    assert (travel.line.category, travel.spent_to_date, travel.used) == (
        "Dojazdy",
        Decimal("200.00"),
        Decimal("4.00"),
    )


def test_the_budget_of_a_period(budget):
    selection = selection_make(user=None, project=budget.lebork, start=D(2017, 1, 1),
                               end=D(2017, 1, 31))  # fmt: skip
    report = budget_compute(selection)
    # in January 2017 only the second travel refund; to date also what came before
    assert report.totals.spent_in_period == Decimal("79.50")
    assert report.totals.spent_to_date == Decimal("120.50") + Decimal("79.50") + Decimal(
        "317.00"
    ) + Decimal("1234.56")


def test_a_social_worker_sees_their_organisations_budget(budget, sw_wicko):
    report = budget_compute(selection_make(user=sw_wicko, project=budget.lebork))
    assert [p.organisation.short_name for p in report.partners] == ["OPS Wicko"]
    assert report.totals.planned == Decimal("2000.00")
    assert report.unallocated is None  # the project's whole budget is not theirs to see
