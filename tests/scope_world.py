"""A world with every kind of object, three times over: the people and records of
three partners, each built through the services in every state a screen acts on.

* `own`: MOPS Lębork's, in the Lębork project; those in support are referred to
  Starostwo Lębork (so its coordinator sees them);
* `wicko`: OPS Wicko's, in the same project; they are referred to PCE-ZSP Lębork,
  which organises their course and internship (no persona works there);
* `leszno`: OPS Leszno's, in the Leszno project, referred to Starostwo Leszno.

The scope walk (`test_scope_walk.py`) sends personas at the objects of the other
partners; the role matrix (`test_role_matrix.py`) acts on the `own` ones. It is built
once per module (the `scope_world` fixture of tests/conftest.py): each test runs in a
savepoint of it and changes nothing the next test sees.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.forms import CheckboxInput
from django.test import override_settings

from participants import services as participation
from participants import tasks
from participants.forms import ParticipantForm
from participants.imports import HEADERS
from participants.models import Enrolment, Participant, ParticipantImport
from partners.models import (
    BudgetLine,
    Organisation,
    OrganisationMembership,
    PlaceKind,
    Project,
    ProjectRole,
)
from pathways import services as pathways
from pathways.models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    MedicalExam,
    PathwayGoal,
    Session,
    SupportForm,
)
from tests.conftest import World, build_world
from tests.factories import (
    BudgetLineFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    ProjectRoleFactory,
    SeatQuotaFactory,
    UserFactory,
    make_pesel,
)

D = datetime.date
REGISTERED = D(2016, 5, 2)
QUALIFIED = D(2016, 5, 9)
STARTED = D(2016, 5, 16)
REFERRED = D(2016, 6, 1)
SESSION_DAY = D(2016, 6, 6)
EXAMINED = D(2016, 9, 5)
INTERNSHIP_START = D(2016, 9, 14)
COURSE_START = D(2016, 10, 3)
ENDED = D(2016, 12, 15)

PSYCHOLOGY = "Poradnictwo psychologiczne"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class PartnerSet:
    """One partner's objects: a key per kind of object a URL takes (see `sample`)."""

    label: str
    project: Project
    organisation: Organisation  # the recruiting partner
    vocational: Organisation  # the partner its people are referred to
    #: enrolments by state: candidate, ineligible (a candidate the check refused),
    #: qualified (documents signed), in_support (with a pathway and a goal), referred
    #: (and examined), placed (on the course and in an internship), finished
    #: (referred, then completed, exit recorded)
    enrolments: dict[str, Enrolment] = field(default_factory=dict)
    goal: PathwayGoal | None = None
    budget_line: BudgetLine | None = None  # the recruiting partner's, nothing paid yet
    session: Session | None = None
    course: Course | None = None
    course_participation: CourseParticipation | None = None
    internship: Internship | None = None
    participant_import: ParticipantImport | None = None

    @property
    def participants(self) -> list[Participant]:
        return [e.participant for e in self.enrolments.values()]

    @property
    def participant(self) -> Participant:
        return self.enrolments["in_support"].participant

    def enrolment(self, state: str = "in_support") -> Enrolment:
        return self.enrolments[state]


@dataclass
class ScopeWorld:
    world: World
    users: dict[str, object]
    sets: dict[str, PartnerSet]
    employer: Employer
    support_form: SupportForm

    def foreign_sets(self, persona: str) -> list[PartnerSet]:
        return [self.sets[label] for label in FOREIGN_SETS[persona]]

    def foreign_people(self, persona: str) -> list[Participant]:
        return [p for s in self.foreign_sets(persona) for p in s.participants]


#: Whose objects are another partner's, for each persona walked.
FOREIGN_SETS = {
    "sw_lebork": ["wicko", "leszno"],
    "coordinator": ["wicko", "leszno"],
    "manager": ["leszno"],
    "auditor": ["leszno"],
    "sw_leszno": ["own", "wicko"],
}


def _personas(world: World) -> dict[str, object]:
    """The personas of tests/conftest.py, with the same names and roles."""
    Role = OrganisationMembership.Role

    def member(username: str, organisation: str, role: str):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=world.organisations[organisation], role=role)
        return user

    manager, auditor = UserFactory(username="kierownik"), UserFactory(username="kontrola")
    ProjectRoleFactory(user=manager, project=world.lebork, role=ProjectRole.Role.PROJECT_MANAGER)
    ProjectRoleFactory(user=auditor, project=world.lebork, role=ProjectRole.Role.AUDITOR)
    return {
        "sw_lebork": member("sw.lebork", "MOPS Lębork", Role.SOCIAL_WORKER),
        "sw_wicko": member("sw.wicko", "OPS Wicko", Role.SOCIAL_WORKER),
        "sw_leszno": member("sw.leszno", "OPS Leszno", Role.SOCIAL_WORKER),
        "coordinator": member("koord.starostwo", "Starostwo Lębork", Role.COORDINATOR),
        "manager": manager,
        "auditor": auditor,
        "nobody": UserFactory(username="nikt"),
        "superuser": UserFactory(username="admin", is_staff=True, is_superuser=True),
    }


def _vocational_partner(project: Project, name: str, kind: str, course_kind: str) -> Organisation:
    organisation = OrganisationFactory(short_name=name, name=f"{name} (pełna nazwa)", kind=kind)
    PartnershipFactory(project=project, organisation=organisation)
    for place_kind in (course_kind, PlaceKind.INTERNSHIP):
        SeatQuotaFactory(
            project=project, organisation=organisation, place_kind=place_kind, seats=20
        )
    return organisation


def import_file(commune: str, tag: str) -> bytes:
    """A valid one-row participant list of the partner's area (the preview passes)."""
    row = dict.fromkeys(HEADERS, "")
    row |= {
        "PESEL": make_pesel(D(1985, 3, 3), "K", 700 + len(tag)),
        "Imię": f"Importowana-{tag}",
        "Nazwisko": f"Zpliku-{tag}",
        "Wykształcenie": "gimnazjalne (ISCED 2)",
        "Gmina": commune,
        "Miejscowość": commune,
        "Nr budynku": "1",
        "Kod pocztowy": "84-352",
        "DEGURBA": "3",
        "Status na rynku pracy": "osoba bierna zawodowo",
        "Klient pomocy społecznej": "Tak",
        "Osoba z niepełnosprawnościami": "Nie",
        "Mniejszość, migrant, obce pochodzenie": "Nie",
        "Bezdomność lub wykluczenie z dostępu do mieszkań": "Nie",
        "Inna niekorzystna sytuacja społeczna": "Nie",
        "Data rejestracji": "02.05.2016",
    }
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _partner_set(
    world: World,
    admin,
    *,
    label: str,
    project: Project,
    organisation: Organisation,
    vocational: Organisation,
    course_kind: str,
    commune: str,
    first_name: str,
    surname: str,
    employer: Employer,
) -> PartnerSet:
    s = PartnerSet(label, project, organisation, vocational)
    commune_object = world.communes[commune]

    def register(state: str, **person) -> Enrolment:
        return participation.participant_register(
            user=admin,
            project=project,
            organisation=organisation,
            participant=ParticipantFactory.build(
                first_name=first_name,
                last_name=f"{surname}-{state}",
                commune=commune_object,
                **person,
            ),
            registered_on=REGISTERED,
        )

    def qualify(state: str) -> Enrolment:
        enrolment = register(state)
        participation.enrolment_qualify(user=admin, enrolment=enrolment, on_date=QUALIFIED)
        return participation.consent_record(
            user=admin,
            enrolment=enrolment,
            declaration_signed_on=QUALIFIED,
            data_protection_signed_on=QUALIFIED,
        )

    def in_support(state: str) -> Enrolment:
        enrolment = qualify(state)
        participation.enrolment_start_support(user=admin, enrolment=enrolment, on_date=STARTED)
        pathways.pathway_save(user=admin, enrolment=enrolment, needs="Wsparcie psychologa.")
        enrolment.refresh_from_db()
        return enrolment

    def referred(state: str) -> Enrolment:
        enrolment = in_support(state)
        pathways.referral_create(
            user=admin, enrolment=enrolment, to_organisation=vocational, referred_on=REFERRED
        )
        pathways.medical_exam_record(
            user=admin,
            enrolment=enrolment,
            exam=MedicalExam(
                examined_on=EXAMINED,
                valid_until=EXAMINED + datetime.timedelta(days=365),
                result=MedicalExam.Result.FIT,
                purpose="staż",
            ),
        )
        return enrolment

    e = s.enrolments
    e["candidate"] = register("kandydatka")
    e["ineligible"] = register("niepelnoletnia", born=D(2000, 1, 1))  # 16 at registration
    participation.enrolment_qualify(user=admin, enrolment=e["ineligible"], on_date=QUALIFIED)
    e["qualified"] = qualify("zakwalifikowana")
    e["in_support"] = in_support("wewsparciu")
    e["referred"] = referred("skierowana")
    e["placed"] = referred("nastazu")
    e["finished"] = referred("zakonczona")
    participation.enrolment_exit(
        user=admin, enrolment=e["finished"], end_date=ENDED, completed_pathway=True
    )
    for enrolment in e.values():
        enrolment.refresh_from_db()

    s.goal = pathways.goal_add(
        user=admin, pathway=e["in_support"].pathway, description="Podjęcie terapii."
    )
    s.budget_line = BudgetLineFactory(
        project=project, organisation=organisation, category=f"Dojazdy {label}"
    )
    BudgetLineFactory(project=project, organisation=vocational, category=f"Stypendia {label}")
    s.session = pathways.session_record(
        user=admin,
        project=project,
        support_form=SupportForm.objects.get(name=PSYCHOLOGY),
        provider=organisation,
        date=SESSION_DAY,
        hours=Decimal("2"),
        specialist="Anna Psycholog",
        rows=[
            pathways.AttendanceRow(enrolment=e[state], present=True)
            for state in ("in_support", "referred", "placed")
        ],
    )
    s.course = pathways.course_create(
        user=admin,
        course=Course(
            project=project,
            organiser=vocational,
            place_kind=course_kind,
            title=f"Kurs {label}",
            hours=60,
            start_date=COURSE_START,
            end_date=COURSE_START + datetime.timedelta(days=25),
            capacity=5,
        ),
    )
    s.course_participation = pathways.course_assign(
        user=admin, course=s.course, enrolment=e["placed"]
    )
    s.internship = pathways.internship_assign(
        user=admin,
        internship=Internship(
            enrolment=e["placed"],
            organiser=vocational,
            employer=employer,
            position="pomoc piekarza",
            mentor="Jan Kłos",
            start_date=INTERNSHIP_START,
            end_date=INTERNSHIP_START + datetime.timedelta(days=90),
            hours_per_day=Decimal("8"),
            hours_per_week=Decimal("40"),
        ),
    )
    with override_settings(TASKS=IMMEDIATE_TASKS):
        s.participant_import = tasks.import_upload(
            user=admin,
            project=project,
            organisation=organisation,
            file_name=f"lista-{label}.csv",
            content=import_file(commune, label),
            rows_total=1,
        )
    s.participant_import.refresh_from_db()
    return s


def build_scope_world() -> ScopeWorld:
    world = build_world()
    users = _personas(world)
    admin = users["superuser"]
    lebork, leszno = world.lebork, world.leszno
    employer = pathways.employer_save(
        user=admin,
        employer=Employer(
            name="Piekarnia „Kłos” s.c.",
            nip="5252248481",
            street="Kościuszki 5",
            postcode="84-300",
            town="Lębork",
        ),
    )
    orgs = world.organisations
    pce = _vocational_partner(lebork, "PCE-ZSP Lębork", "SCHOOL", PlaceKind.SCHOOL_COURSE)
    starostwo_leszno = _vocational_partner(
        leszno, "Starostwo Leszno", "STAROSTWO", PlaceKind.SPECIALIST_COURSE
    )
    common = {"employer": employer}
    sets = {
        "own": _partner_set(
            world, admin, label="own", project=lebork, organisation=orgs["MOPS Lębork"],
            vocational=orgs["Starostwo Lębork"], course_kind=PlaceKind.SPECIALIST_COURSE,
            commune="Lębork", first_name="Marianna-Mops", surname="Własna-Mops", **common,
        ),
        "wicko": _partner_set(
            world, admin, label="wicko", project=lebork, organisation=orgs["OPS Wicko"],
            vocational=pce, course_kind=PlaceKind.SCHOOL_COURSE,
            commune="Wicko", first_name="Wioletta-Wicko", surname="Obca-Wicko", **common,
        ),
        "leszno": _partner_set(
            world, admin, label="leszno", project=leszno, organisation=orgs["OPS Leszno"],
            vocational=starostwo_leszno, course_kind=PlaceKind.SPECIALIST_COURSE,
            commune="Leszno", first_name="Lena-Leszno", surname="Obca-Leszno", **common,
        ),
    }  # fmt: skip
    return ScopeWorld(
        world=world,
        users=users,
        sets=sets,
        employer=employer,
        support_form=SupportForm.objects.get(name=PSYCHOLOGY),
    )


# What each screen's form takes ----------------------------------------------------------

Body = Callable[[PartnerSet, ScopeWorld], dict]

#: The body a user of the screen would send, for each URL whose view writes.
BODIES: dict[str, Body] = {
    "partners:budget_line_new": lambda s, sw: {
        "organisation": s.organisation.pk,
        "category": "Materiały szkoleniowe",
        "funding": "GRANT",
        "planned_amount": "1 000,00",
    },
    "partners:budget_line_edit": lambda s, sw: {
        "organisation": s.organisation.pk,
        "category": s.budget_line.category,
        "funding": "GRANT",
        "planned_amount": "12 345,67",
    },
    "partners:budget_line_delete": lambda s, sw: {},
    "participants:edit": lambda s, sw: participant_body(s.participant) | {"street": "Nowa"},
    "participants:qualify": lambda s, sw: {"qualified_on": "09.05.2016"},
    "participants:reject": lambda s, sw: {"reason": "Nie mieszka na terenie projektu."},
    "participants:override": lambda s, sw: {"justification": "Decyzja kierownika projektu."},
    "participants:consent": lambda s, sw: {
        "declaration_signed_on": "09.05.2016",
        "data_protection_signed_on": "09.05.2016",
    },
    "participants:start_support": lambda s, sw: {"support_start": "16.05.2016"},
    "participants:resign": lambda s, sw: {"end_date": "12.05.2016", "reason": "Przeprowadzka."},
    "participants:exit": lambda s, sw: {
        "end_date": "15.12.2016",
        "completed_pathway": "True",
        "employed": "on",
    },
    "participants:follow_up": lambda s, sw: {
        "checked_on": "20.03.2017",
        "employed": "on",
        "contract_months": "6",
        "working_time": "1,00",
        "social_progress": "",
        "social_progress_evidence": "",
    },
    "participants:import_confirm": lambda s, sw: {},
    "pathways:edit": lambda s, sw: {
        "needs": "Wsparcie psychologa i doradcy zawodowego.",
        "potential": "Chęć do pracy.",
        "barriers": "",
        "signed_on": "20.05.2016",
    },
    "pathways:goal_add": lambda s, sw: {"description": "Znalezienie pracy."},
    "pathways:goal_status": lambda s, sw: {"status": PathwayGoal.Status.ACHIEVED},
    "pathways:plan_add": lambda s, sw: {
        "support_form": sw.support_form.pk,
        "provider": s.organisation.pk,
        "planned_start": "01.06.2016",
        "planned_end": "30.06.2016",
        "planned_hours": "10",
    },
    "pathways:refer": lambda s, sw: {
        "to_organisation": s.vocational.pk,
        "referred_on": "01.06.2016",
        "note": "Kurs zawodowy.",
    },
    "pathways:payment_add": lambda s, sw: {
        "kind": "TRAVEL_REFUND",
        "amount": "120,50",
        "paid_on": "30.06.2016",
        "period_start": "01.06.2016",
        "period_end": "30.06.2016",
        "document_number": "D/1/2016",
        "budget_line": s.budget_line.pk,
    },
    "pathways:medical_exam_add": lambda s, sw: {
        "examined_on": "05.10.2016",
        "valid_until": "05.10.2017",
        "result": "FIT",
        "purpose": "kurs zawodowy",
    },
    "pathways:internship_new": lambda s, sw: {
        "organiser": s.vocational.pk,
        "employer": sw.employer.pk,
        "position": "sprzedawca",
        "mentor": "Jan Nowak",
        "start_date": "14.09.2016",
        "end_date": "13.12.2016",
        "hours_per_day": "8",
        "hours_per_week": "40",
    },
    "pathways:course_assign": lambda s, sw: {"enrolment": s.enrolments["referred"].pk},
    "pathways:certificate": lambda s, sw: {
        "exam_passed": "true",
        "certificate_name": "Operator wózków",
        "certificate_number": "K/1/2016",
        "certificate_date": "28.10.2016",
    },
    "pathways:internship_month_add": lambda s, sw: {
        "month": "09.2016",
        "days_worked": "10",
        "hours_worked": "80",
        "excused_days": "0",
    },
    "pathways:internship_finish": lambda s, sw: {"status": "INTERRUPTED", "end_date": "30.09.2016"},
}


def participant_body(participant: Participant) -> dict:
    """The participant form as the edit page fills it in (every field of the form)."""
    return form_body(ParticipantForm(instance=participant, user=AnonymousUser()))


def form_body(form) -> dict:
    """What a browser sends for an unbound form as rendered: each field's initial value
    through its widget (dates as dd.mm.rrrr, checkboxes only when ticked)."""
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        widget = bound.widget
        if isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
            continue
        formatted = widget.format_value(value)
        data[name] = "" if formatted is None else formatted
    return data


# The database, whole -------------------------------------------------------------------

#: Tables a refused request may legitimately change, each with the reason. The access
#: log is NOT here: a refused request writes nothing to it either.
UNCHECKED_TABLES = {
    # The test client's session: the idle-timeout middleware stamps each request's
    # time in it, and the messages framework may store a message there.
    "django_session": "the session of the test client",
}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of every installed model (auto-created m2m tables and
    history tables included), but UNCHECKED_TABLES."""
    names = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
        }
        - set(UNCHECKED_TABLES)
    )
    tables = {}
    with connection.cursor() as cursor:  # raw reads: the ORM would triple the time
        for table in names:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = sorted(cursor.fetchall(), key=repr)
    return tables


def changed_tables(before: dict, after: dict) -> dict[str, str]:
    """table → what changed ("+2 −0 rows, 1 changed"), for the tables that did."""
    changes = {}
    for table, rows in after.items():
        old = before.get(table, [])
        if rows != old:
            old_set, new_set = set(old), set(rows)
            changes[table] = f"+{len(new_set - old_set)} −{len(old_set - new_set)} rows"
    return changes
