"""Personas: the people who use Aktywizacja, in a small two-project world.

* Lębork: leader PCPR, partners MOPS Lębork, OPS Wicko, Starostwo (quotas of every kind);
* Leszno: OPS Leszno alone.
Each persona is a user with exactly the role the name says.
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aktywizacja.two_factor import authenticator_of, two_factor_required
from partners.models import OrganisationMembership, PlaceKind, Project, ProjectRole
from partners.scoping import scope_for

from .factories import (
    CommuneFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    SeatQuotaFactory,
    UserFactory,
)


def pytest_itemcollected(item):
    """Every test here may touch the database, if only through a persona picked with
    `request.getfixturevalue`. Saying so lets pytest-django run the transactional tests
    last: their flush empties every table, the migrations' seed data too."""
    if item.get_closest_marker("django_db") is None:
        item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks (imports) run inline when enqueued, inside the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class World:
    lebork: Project
    leszno: Project
    organisations: dict
    communes: dict


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world of the `world` fixture, for fixtures of a wider scope too."""
    lebork = ProjectFactory(short_name="lebork", title="Aktywizacja w powiecie lęborskim")
    leszno = ProjectFactory(short_name="leszno", title="Można żyć inaczej", edition_year=2009)
    orgs = {
        name: OrganisationFactory(short_name=name, name=f"{name} (pełna nazwa)", kind=kind)
        for name, kind in [
            ("PCPR Lębork", "PCPR"),
            ("MOPS Lębork", "MOPS"),
            ("OPS Wicko", "OPS"),
            ("Starostwo Lębork", "STAROSTWO"),
            ("OPS Leszno", "OPS"),
        ]
    }
    PartnershipFactory(project=lebork, organisation=orgs["PCPR Lębork"], is_leader=True)
    for name in ("MOPS Lębork", "OPS Wicko", "Starostwo Lębork"):
        PartnershipFactory(project=lebork, organisation=orgs[name])
    PartnershipFactory(project=leszno, organisation=orgs["OPS Leszno"], is_leader=True)
    for name, kind, seats in [
        ("PCPR Lębork", PlaceKind.SOCIAL_ACTIVATION, 32),
        ("MOPS Lębork", PlaceKind.SOCIAL_ACTIVATION, 36),
        ("OPS Wicko", PlaceKind.SOCIAL_ACTIVATION, 30),
        ("Starostwo Lębork", PlaceKind.SPECIALIST_COURSE, 28),
        ("Starostwo Lębork", PlaceKind.INTERNSHIP, 93),
    ]:
        SeatQuotaFactory(project=lebork, organisation=orgs[name], place_kind=kind, seats=seats)
    SeatQuotaFactory(project=leszno, organisation=orgs["OPS Leszno"], seats=10)
    communes = {
        name: CommuneFactory(name=name, county=county)
        for name, county in [
            ("Lębork", "lęborski"),
            ("Wicko", "lęborski"),
            ("Leszno", "warszawski zachodni"),
            ("Gdańsk", "Gdańsk"),
        ]
    }
    lebork.communes.set([communes["Lębork"], communes["Wicko"]])
    leszno.communes.set([communes["Leszno"]])
    return World(lebork=lebork, leszno=leszno, organisations=orgs, communes=communes)


def _member(world: World, username: str, organisation: str, role: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=world.organisations[organisation], role=role)
    return user


@pytest.fixture
def sw_lebork(world):
    """A social worker of MOPS Lębork."""
    return _member(world, "sw.lebork", "MOPS Lębork", OrganisationMembership.Role.SOCIAL_WORKER)


@pytest.fixture
def sw_wicko(world):
    """A social worker of OPS Wicko."""
    return _member(world, "sw.wicko", "OPS Wicko", OrganisationMembership.Role.SOCIAL_WORKER)


@pytest.fixture
def sw_leszno(world):
    """A social worker of OPS Leszno: another project altogether."""
    return _member(world, "sw.leszno", "OPS Leszno", OrganisationMembership.Role.SOCIAL_WORKER)


@pytest.fixture
def coordinator(world):
    """A coordinator of Starostwo Lębork."""
    return _member(
        world, "koord.starostwo", "Starostwo Lębork", OrganisationMembership.Role.COORDINATOR
    )


@pytest.fixture
def manager(world):
    """The manager of the Lębork project."""
    user = UserFactory(username="kierownik")
    ProjectRoleFactory(user=user, project=world.lebork, role=ProjectRole.Role.PROJECT_MANAGER)
    return user


@pytest.fixture
def auditor(world):
    """The auditor of the Lębork project: sees all of it, changes nothing."""
    user = UserFactory(username="kontrola")
    ProjectRoleFactory(user=user, project=world.lebork, role=ProjectRole.Role.AUDITOR)
    return user


@pytest.fixture
def nobody(world):
    """A user with an account and no role anywhere."""
    return UserFactory(username="nikt")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def verified_login(client, user):
    """Log `user` in on `client` and return it. A user who must use two-factor login
    (a project manager, a superuser) gets a confirmed authenticator, and the session
    is marked as having entered its code, as /konto/weryfikacja/ does. Tests log
    managers and superusers in only through this (the `login` fixture)."""
    client.force_login(user)
    scope_for(user, refresh=True)
    if two_factor_required(user):
        device = authenticator_of(user) or TOTPDevice.objects.create(
            user=user, name="test authenticator", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client):
    """Log a persona in: `login(sw_lebork)` returns the client (see `verified_login`)."""

    def _login(user):
        return verified_login(client, user)

    return _login


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (it takes seconds: every step goes through
    the services) inside a transaction rolled back at the end; each test runs in a
    savepoint of it, as usual."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db):
    """The Lębork project of the demo (`manage.py load_demo`)."""
    return Project.objects.get(short_name="lebork-2016")


@pytest.fixture(scope="module")
def _scope_world_built(django_db_setup, django_db_blocker):
    """The world of tests/scope_world.py, built once for the module inside a
    transaction rolled back at its end, as `_demo_loaded` does."""
    from tests.scope_world import build_scope_world

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield build_scope_world()
        transaction.set_rollback(True)


@pytest.fixture
def scope_world(_scope_world_built, db):
    """Three partners' objects in every state (tests/scope_world.py); each test runs in
    a savepoint of them."""
    return _scope_world_built
