"""The Lębork demo: the seed's partnership and every quota, loaded once, whatever the runs."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum

from partners.models import (
    Commune,
    Funding,
    Organisation,
    OrganisationMembership,
    Partnership,
    PlaceKind,
    Project,
    ProjectRole,
    SeatQuota,
)
from partners.scoping import scope_for

pytestmark = pytest.mark.django_db

SEED_000_PARTNERS = {
    "PCPR Lębork",
    "Starostwo Lębork",
    "PCE-ZSP Lębork",
    "MOPS Lębork",
    "MOPS Łeba",
    "OPS Cewice",
    "GOPS Nowa Wieś Lęborska",
    "OPS Wicko",
    "WTZ „Jesteśmy Razem”",
}


def seats(project, kind) -> int:
    return SeatQuota.objects.filter(project=project, place_kind=kind).aggregate(s=Sum("seats"))["s"]


def test_the_lebork_project_is_as_in_the_seed(demo):
    assert demo.title == "Aktywizacja społeczno-zawodowa mieszkańców powiatu lęborskiego"
    assert (demo.start_date.isoformat(), demo.end_date.isoformat()) == ("2016-04-01", "2018-10-31")
    assert {c.name for c in demo.communes.all()} == {
        "Lębork",
        "Łeba",
        "Cewice",
        "Nowa Wieś Lęborska",
        "Wicko",
    }
    partners = set(demo.partnerships.values_list("organisation__short_name", flat=True))
    assert partners == SEED_000_PARTNERS
    assert demo.leader.short_name == "PCPR Lębork"
    assert demo.leader.local_government_unit.name == "Powiat Lęborski"


def test_the_quotas_are_as_in_the_seed(demo):
    assert seats(demo, PlaceKind.SOCIAL_ACTIVATION) == 152
    assert seats(demo, PlaceKind.SPECIALIST_COURSE) == 28
    assert seats(demo, PlaceKind.INTERNSHIP) == 93
    assert seats(demo, PlaceKind.SCHOOL_COURSE) == 55
    social = dict(
        SeatQuota.objects.filter(project=demo, place_kind=PlaceKind.SOCIAL_ACTIVATION).values_list(
            "organisation__short_name", "seats"
        )
    )
    assert social == {
        "PCPR Lębork": 32,
        "MOPS Lębork": 36,
        "MOPS Łeba": 20,
        "OPS Cewice": 12,
        "GOPS Nowa Wieś Lęborska": 12,
        "OPS Wicko": 30,
        "WTZ „Jesteśmy Razem”": 10,
    }


def test_the_leszno_project_is_as_in_the_seed(demo):
    leszno = Project.objects.get(short_name="leszno-2009")
    assert leszno.edition_year == 2009
    assert leszno.budget_total == Decimal("100555.00")
    assert leszno.grant_amount == Decimal("89996.73")
    assert leszno.own_contribution_amount == Decimal("10558.27")
    assert leszno.leader.short_name == "OPS Leszno"
    assert seats(leszno, PlaceKind.SOCIAL_ACTIVATION) == 10


def test_the_leszno_budget_lines_add_up_to_the_grant_and_own_contribution(demo):
    leszno = Project.objects.get(short_name="leszno-2009")
    planned = {
        funding: sum(line.planned_amount for line in leszno.budget_lines.filter(funding=funding))
        for funding in Funding
    }
    assert planned == {
        Funding.GRANT: leszno.grant_amount,
        Funding.OWN_CONTRIBUTION: leszno.own_contribution_amount,
    }


def test_the_demo_users_have_their_roles(demo):
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="sw.lebork").check_password("demo-aktywizacja")
    assert ProjectRole.objects.get(user__username="kierownik").role == "PROJECT_MANAGER"
    assert ProjectRole.objects.get(user__username="kontrola").role == "AUDITOR"
    memberships = dict(
        OrganisationMembership.objects.values_list("user__username", "organisation__short_name")
    )
    assert memberships == {
        "sw.lebork": "MOPS Lębork",
        "sw.wicko": "OPS Wicko",
        "sw.leszno": "OPS Leszno",
        "koord.starostwo": "Starostwo Lębork",
        "koord.pce": "PCE-ZSP Lębork",
    }
    assert set(Project.objects.for_user(users.get(username="kierownik"))) == {demo}
    assert {p.short_name for p in Project.objects.for_user(users.get(username="sw.leszno"))} == {
        "leszno-2009"
    }
    assert scope_for(users.get(username="kontrola")).can_manage(demo.pk) is False


def _snapshot():
    models = [Project, Organisation, Partnership, SeatQuota, Commune, ProjectRole]
    counts = {m.__name__: m.objects.count() for m in models}
    counts |= {f"{m.__name__}.history": m.history.count() for m in models if hasattr(m, "history")}
    counts["users"] = get_user_model().objects.count()
    counts["passwords"] = tuple(get_user_model().objects.values_list("password", flat=True))
    return counts


def test_running_it_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    before = _snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot() == before
    assert "utworzone rekordy: 0, zaktualizowane: 0" in out.getvalue()


def test_it_refuses_to_run_without_debug(settings, db):
    settings.DEBUG = False
    before = _snapshot()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert _snapshot() == before
