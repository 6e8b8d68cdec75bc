"""Demo data from the seeds: the Lębork partnership (seed 000) and Leszno (seed 003).

Used by `manage.py load_demo`. Every record goes through `full_clean()`, so the
demo obeys the same rules as the admin, and is saved only when it is new or
different, so a second run changes nothing.
"""

import base64
import datetime
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from aktywizacja.two_factor import AUTHENTICATOR_NAME

from .models import (
    BudgetLine,
    Commune,
    Funding,
    LocalGovernmentUnit,
    Organisation,
    OrganisationMembership,
    Partnership,
    PlaceKind,
    Project,
    ProjectRole,
    SeatQuota,
    Voivodeship,
)

DEMO_PASSWORD = "demo-aktywizacja"

LEBORK_COMMUNES = [
    # (name, kind, TERYT)
    ("Lębork", Commune.Kind.URBAN, "2208011"),
    ("Łeba", Commune.Kind.URBAN, "2208021"),
    ("Cewice", Commune.Kind.RURAL, "2208032"),
    ("Nowa Wieś Lęborska", Commune.Kind.RURAL, "2208042"),
    ("Wicko", Commune.Kind.RURAL, "2208052"),
]

COUNTY = LocalGovernmentUnit.Kind.COUNTY
MUNICIPALITY = LocalGovernmentUnit.Kind.MUNICIPALITY

# (short name, full name, kind, local-government unit or None for the NGO, town)
LEBORK_ORGANISATIONS = [
    ("PCPR Lębork", "Powiatowe Centrum Pomocy Rodzinie w Lęborku",
     Organisation.Kind.PCPR, ("Powiat Lęborski", COUNTY), "Lębork"),
    ("Starostwo Lębork", "Starostwo Powiatowe w Lęborku",
     Organisation.Kind.STAROSTWO, ("Powiat Lęborski", COUNTY), "Lębork"),
    ("PCE-ZSP Lębork",
     "Powiatowe Centrum Edukacyjne – Zespół Szkół Ponadgimnazjalnych w Lęborku",
     Organisation.Kind.SCHOOL, ("Powiat Lęborski", COUNTY), "Lębork"),
    ("MOPS Lębork", "Miejski Ośrodek Pomocy Społecznej w Lęborku",
     Organisation.Kind.MOPS, ("Miasto Lębork", MUNICIPALITY), "Lębork"),
    ("MOPS Łeba", "Miejski Ośrodek Pomocy Społecznej w Łebie",
     Organisation.Kind.MOPS, ("Miasto Łeba", MUNICIPALITY), "Łeba"),
    ("OPS Cewice", "Ośrodek Pomocy Społecznej w Cewicach",
     Organisation.Kind.OPS, ("Gmina Cewice", MUNICIPALITY), "Cewice"),
    ("GOPS Nowa Wieś Lęborska", "Gminny Ośrodek Pomocy Społecznej w Nowej Wsi Lęborskiej",
     Organisation.Kind.GOPS, ("Gmina Nowa Wieś Lęborska", MUNICIPALITY), "Nowa Wieś Lęborska"),
    ("OPS Wicko", "Ośrodek Pomocy Społecznej w Wicku",
     Organisation.Kind.OPS, ("Gmina Wicko", MUNICIPALITY), "Wicko"),
    ("WTZ „Jesteśmy Razem”",
     "Stowarzyszenie Pomocy Dzieciom Niepełnosprawnym „Jesteśmy Razem” w Lęborku "
     "(Warsztaty Terapii Zajęciowej)",
     Organisation.Kind.WTZ, None, "Lębork"),
]  # fmt: skip

LEBORK_LEADER = "PCPR Lębork"

LEBORK_QUOTAS = [
    ("PCPR Lębork", PlaceKind.SOCIAL_ACTIVATION, 32),
    ("MOPS Lębork", PlaceKind.SOCIAL_ACTIVATION, 36),
    ("MOPS Łeba", PlaceKind.SOCIAL_ACTIVATION, 20),
    ("OPS Cewice", PlaceKind.SOCIAL_ACTIVATION, 12),
    ("GOPS Nowa Wieś Lęborska", PlaceKind.SOCIAL_ACTIVATION, 12),
    ("OPS Wicko", PlaceKind.SOCIAL_ACTIVATION, 30),
    ("WTZ „Jesteśmy Razem”", PlaceKind.SOCIAL_ACTIVATION, 10),
    ("Starostwo Lębork", PlaceKind.SPECIALIST_COURSE, 28),
    ("Starostwo Lębork", PlaceKind.INTERNSHIP, 93),
    ("PCE-ZSP Lębork", PlaceKind.SCHOOL_COURSE, 55),
]

# (username, first name, last name, organisation short name, role) — fictional people
DEMO_STAFF = [
    ("sw.lebork", "Agnieszka", "Nowicka", "MOPS Lębork", OrganisationMembership.Role.SOCIAL_WORKER),
    ("sw.wicko", "Tomasz", "Wiśniewski", "OPS Wicko", OrganisationMembership.Role.SOCIAL_WORKER),
    ("sw.leszno", "Ewa", "Malinowska", "OPS Leszno", OrganisationMembership.Role.SOCIAL_WORKER),
    ("koord.starostwo", "Marek", "Zieliński", "Starostwo Lębork",
     OrganisationMembership.Role.COORDINATOR),
    ("koord.pce", "Joanna", "Kamińska", "PCE-ZSP Lębork", OrganisationMembership.Role.COORDINATOR),
]  # fmt: skip

DEMO_PROJECT_ROLES = [
    ("kierownik", "Barbara", "Lewandowska", "lebork-2016", ProjectRole.Role.PROJECT_MANAGER),
    ("kontrola", "Piotr", "Dąbrowski", "lebork-2016", ProjectRole.Role.AUDITOR),
]

# Two-factor login: the demo's superuser and manager must enter a code; both use this
# authenticator key (base32, as README gives it). For the demo only: it is public.
DEMO_TOTP_KEY = "AKTYWIZACJADEMOTOTPKLUCZTESTOWY2"
DEMO_TOTP_USERS = ("admin", "kierownik")

Log = Callable[[str], None]


class _Counter:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0


def _upsert(counter: _Counter, model: type[models.Model], lookup: dict, **values):
    """Create or update one record through full_clean(); save only if something changed."""
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup)
    changed = created or any(getattr(instance, name) != value for name, value in values.items())
    if changed:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        if created:
            counter.created += 1
        else:
            counter.updated += 1
    return instance


def _lebork(counter: _Counter) -> Project:
    project = _upsert(
        counter,
        Project,
        {"short_name": "lebork-2016"},
        title="Aktywizacja społeczno-zawodowa mieszkańców powiatu lęborskiego",
        programme="Regionalny Program Operacyjny Województwa Pomorskiego na lata 2014–2020",
        measure="Działanie 6.1 Aktywna integracja",
        contract_number="RPPM.06.01.01-22-DEMO/16",
        start_date=datetime.date(2016, 4, 1),
        end_date=datetime.date(2018, 10, 31),
        # Seed 000 names no retention date: the usual clause of the 2014–2020 EFS
        # agreements keeps the documents until the end of 2028.
        archive_until=datetime.date(2028, 12, 31),
        # 120% of the 2016 unemployment benefit (831,10 zł), for 160 h (internship)
        # or 150 h (training) a month, pro rata below; a training stipend ≥ 20%.
        internship_stipend=Decimal("997.32"),
        internship_hours_norm=160,
        training_stipend=Decimal("997.32"),
        training_hours_norm=150,
        training_stipend_floor=Decimal("20"),
    )
    communes = [
        _upsert(
            counter,
            Commune,
            {"name": name, "county": "lęborski", "voivodeship": Voivodeship.POMORSKIE},
            kind=kind,
            teryt=teryt,
        )
        for name, kind, teryt in LEBORK_COMMUNES
    ]
    _set_communes(counter, project, communes)
    organisations = {}
    for short_name, name, kind, unit, town in LEBORK_ORGANISATIONS:
        lgu = None
        if unit is not None:
            lgu = _upsert(counter, LocalGovernmentUnit, {"name": unit[0]}, kind=unit[1])
        organisations[short_name] = _upsert(
            counter,
            Organisation,
            {"short_name": short_name},
            name=name,
            kind=kind,
            local_government_unit=lgu,
            town=town,
        )
    # The leader first, so that no moment has two leaders or none.
    for short_name in sorted(organisations, key=lambda s: s != LEBORK_LEADER):
        _upsert(
            counter,
            Partnership,
            {"project": project, "organisation": organisations[short_name]},
            is_leader=short_name == LEBORK_LEADER,
        )
    for short_name, place_kind, seats in LEBORK_QUOTAS:
        _upsert(
            counter,
            SeatQuota,
            {
                "project": project,
                "organisation": organisations[short_name],
                "place_kind": place_kind,
            },
            seats=seats,
        )
    return project


def _leszno(counter: _Counter) -> Project:
    project = _upsert(
        counter,
        Project,
        {"short_name": "leszno-2009"},
        title="Można żyć inaczej – aktywna integracja społeczna w Gminie Leszno",
        programme="Program Operacyjny Kapitał Ludzki",
        measure=(
            "Poddziałanie 7.1.1 Rozwój i upowszechnianie aktywnej integracji "
            "przez ośrodki pomocy społecznej"
        ),
        edition_year=2009,
        start_date=datetime.date(2009, 1, 1),
        end_date=datetime.date(2009, 12, 31),
        # Seed 003 names none either: PO KL 2007–2013 projects kept their documents
        # until 31.12.2020, so this one is past its retention date.
        archive_until=datetime.date(2020, 12, 31),
        budget_total=Decimal("100555.00"),
        grant_share=Decimal("89.50"),
        own_contribution_share=Decimal("10.50"),
        admits_unemployed_registered=True,
    )
    commune = _upsert(
        counter,
        Commune,
        {"name": "Leszno", "county": "warszawski zachodni", "voivodeship": Voivodeship.MAZOWIECKIE},
        kind=Commune.Kind.RURAL,
    )
    _set_communes(counter, project, [commune])
    lgu = _upsert(counter, LocalGovernmentUnit, {"name": "Gmina Leszno"}, kind=MUNICIPALITY)
    ops = _upsert(
        counter,
        Organisation,
        {"short_name": "OPS Leszno"},
        name="Ośrodek Pomocy Społecznej w Lesznie",
        kind=Organisation.Kind.OPS,
        local_government_unit=lgu,
        town="Leszno",
    )
    _upsert(counter, Partnership, {"project": project, "organisation": ops}, is_leader=True)
    _upsert(
        counter,
        SeatQuota,
        {"project": project, "organisation": ops, "place_kind": PlaceKind.SOCIAL_ACTIVATION},
        seats=10,
    )
    # The plan of seed 003: 89 996,73 zł of grant and 10 558,27 zł of own contribution,
    # the periodic and targeted benefits the centre pays to the participants.
    for category, funding, planned in LESZNO_BUDGET:
        _upsert(
            counter,
            BudgetLine,
            {"project": project, "organisation": ops, "category": category},
            funding=funding,
            planned_amount=planned,
        )
    return project


LESZNO_BUDGET = [
    ("Kurs bukieciarstwa-florystyki z certyfikatem", Funding.GRANT, Decimal("38400.00")),
    ("Poradnictwo psychologiczne, prawne i zawodowe", Funding.GRANT, Decimal("21600.00")),
    ("Warsztaty wizerunku i wyjścia integracyjne", Funding.GRANT, Decimal("9800.00")),
    ("Zarządzanie projektem i promocja", Funding.GRANT, Decimal("20196.73")),
    ("Zasiłki okresowe i celowe (wkład własny)", Funding.OWN_CONTRIBUTION, Decimal("10558.27")),
]


def _set_communes(counter: _Counter, project: Project, communes: list[Commune]) -> None:
    if set(project.communes.all()) != set(communes):
        project.communes.set(communes)
        counter.updated += 1


def _user(counter: _Counter, username: str, first_name: str, last_name: str, **flags):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, first_name=first_name, last_name=last_name, **flags)
        user.set_password(DEMO_PASSWORD)
        user.save()
        counter.created += 1
    return user


def load(log: Log) -> None:
    counter = _Counter()
    projects = {p.short_name: p for p in (_lebork(counter), _leszno(counter))}
    _user(counter, "admin", "Administrator", "Systemu", is_staff=True, is_superuser=True)
    for username, first, last, short_name, role in DEMO_STAFF:
        user = _user(counter, username, first, last)
        organisation = Organisation.objects.get(short_name=short_name)
        _upsert(
            counter,
            OrganisationMembership,
            {"user": user, "organisation": organisation, "role": role},
        )
    for username, first, last, project_name, role in DEMO_PROJECT_ROLES:
        user = _user(counter, username, first, last)
        _upsert(counter, ProjectRole, {"user": user, "project": projects[project_name]}, role=role)
    key = base64.b32decode(DEMO_TOTP_KEY).hex()
    for user in get_user_model().objects.filter(username__in=DEMO_TOTP_USERS):
        _upsert(
            counter, TOTPDevice, {"user": user, "name": AUTHENTICATOR_NAME}, key=key, confirmed=True
        )
    log(
        _("Partners: %(created)d records created, %(updated)d updated.")
        % {"created": counter.created, "updated": counter.updated}
    )
