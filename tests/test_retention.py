"""Retention (issue 7, item 8): a project's archive-until date, and `anonymise_expired`,
which anonymises the people of projects past it and leaves every figure as it was.

The world is the reporting scenario (`tests/reporting/conftest.py`: 20 people with exit
data, follow-ups, certificates and payments), given every other kind of record about a
person — a pathway with goals (one deleted), planned support, a referral, attendance,
an eligibility override, a medical examination, an internship with its month, an
import, the admin's log — each holding a distinctive value (a "needle") that must be
gone from every column of every table afterwards, the change history included.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import (
    AccessAction,
    AccessEvent,
    AccessPurpose,
    EligibilityCheck,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    Participant,
    ParticipantImport,
    SeatBooking,
)
from participants.retention import (
    PERSONAL_DATA,
    Keeper,
    anonymise_expired,
    generalised_birth_date,
    model_at,
)
from partners.models import PlaceKind, Project
from pathways.models import (
    Attendance,
    CourseParticipation,
    Employer,
    Internship,
    InternshipMonth,
    MedicalExam,
    Pathway,
    PathwayGoal,
    Payment,
    PlannedSupport,
    Referral,
    Session,
    SupportForm,
)
from reporting.budget import budget_compute
from reporting.indicators import age_at_entry, indicators_compute
from reporting.quality import quality_check
from reporting.selection import Selection, selection_make
from reporting.selectors import enrolments_by_month, pathway_funnel
from tests.conftest import verified_login
from tests.factories import EnrolmentFactory, ParticipantFactory, ProjectFactory, UserFactory
from tests.reporting.conftest import JOB, D, Status, budget, person, scenario  # noqa: F401
from tests.test_admin import _project_form

ARCHIVE_UNTIL = D(2028, 12, 31)
AFTER = D(2029, 1, 1)


# The world -------------------------------------------------------------------------------


class Needles:
    """The personal values planted in the world: of the people to anonymise, and of
    those whose data must stay."""

    def __init__(self) -> None:
        self.gone: list[str] = []
        self.kept: list[str] = []

    def plant(self, value: str, *, keep: bool = False) -> str:
        (self.kept if keep else self.gone).append(value)
        return value


def _personalise(participant: Participant, code: str, index: int, needles: Needles, keep=False):
    """Distinctive personal data, saved as a change: the history holds old and new."""
    plant = lambda value: needles.plant(value, keep=keep)  # noqa: E731
    participant.first_name = plant(f"Imięxq{code}")
    participant.last_name = plant(f"Nazwiskoxq{code}")
    participant.street = plant(f"Ulicaxq{code}")
    participant.phone = plant(f"6009{index:05d}")
    participant.email = plant(f"osoba.{code.lower()}@poczta-xq.pl")
    if participant.risk_other:
        participant.risk_other = plant(f"Ryzykoxq{code}")
    participant.save()
    plant(participant.pesel)


@pytest.fixture
def retention_world(scenario, budget):  # noqa: F811
    """The scenario with every kind of record about a person; Lębork's data are kept
    until 31.12.2028, Leszno has no date. A4 also takes part in Leszno."""
    world = budget
    world.lebork.archive_until = ARCHIVE_UNTIL
    world.lebork.save()
    people = dict(scenario.people)
    recorder = UserFactory()
    needles = Needles()
    mops = world.organisations["MOPS Lębork"]
    starostwo = world.organisations["Starostwo Lębork"]

    # Aged 17 at entry: a birth date of 1 January would make an adult of her.
    people["Y1"] = person(
        world,
        recorder,
        "MOPS Lębork",
        "Y1",
        born=D(1998, 6, 1),
        status=Status.COMPLETED,
        start=D(2016, 5, 16),
        end=D(2016, 12, 15),
        exit={"employed": True},
        follow_up=(95, JOB),
    )
    for index, (code, enrolment) in enumerate(sorted(people.items())):
        _personalise(enrolment.participant, code, index, needles, keep=code == "A4")
    # N1 has no PESEL: a passport instead.
    n1 = people["N1"].participant
    n1.pesel, n1.no_pesel = "", True
    n1.other_identifier = needles.plant("PASZPORTxq123")
    n1.save()

    # A4 is still in a project without a retention date: her data stay.
    leszno_ops = world.organisations["OPS Leszno"]
    EnrolmentFactory(
        participant=people["A4"].participant,
        project=world.leszno,
        recruiting_organisation=leszno_ops,
        registered_on=D(2020, 1, 2),
    )
    # L1 takes part in Leszno only.
    l1 = EnrolmentFactory(project=world.leszno, recruiting_organisation=leszno_ops).participant
    _personalise(l1, "L1", 99, needles, keep=True)

    # The enrolments' own texts.
    n2 = people["N2"]
    n2.status, n2.rejection_reason = Status.REJECTED, needles.plant("Odmowaxq")
    n2.save()
    for code in ("D1", "D2", "D3"):
        people[code].dropout_reason = needles.plant(f"Powódxq{code}")
        people[code].save()
    EligibilityCheck.objects.create(
        enrolment=people["N1"],
        checked_on=D(2016, 5, 10),
        checked_by=recorder,
        eligible=False,
        reasons=[{"code": "age", "passed": True, "message": "Ma 36 lat."}],
        override_justification=needles.plant("Uzasadnieniexq"),
        overridden_by=recorder,
        overridden_at=timezone.now(),
    )
    for follow_up in FollowUp.objects.exclude(social_progress_evidence=""):
        follow_up.social_progress_evidence = needles.plant(f"Dowódxq{follow_up.pk}")
        follow_up.save()
    for participation in CourseParticipation.objects.all():
        participation.certificate_number = needles.plant(f"CERTxq{participation.pk}")
        participation.save()
    for payment in Payment.objects.all():
        payment.document_number = needles.plant(f"DOKxq{payment.pk}")
        payment.save()

    # C1's pathway: revised, with a goal deleted, planned support, a referral, a session.
    c1 = people["C1"]
    form = SupportForm.objects.filter(stage="SOCIAL").first()
    pathway = Pathway.objects.create(
        enrolment=c1,
        needs="Potrzebyxq1",
        potential=needles.plant("Potencjałxq"),
        barriers=needles.plant("Barieryxq"),
    )
    needles.plant("Potrzebyxq1")
    pathway.needs = needles.plant("Potrzebyxq2")
    pathway.save()
    PathwayGoal.objects.create(pathway=pathway, description=needles.plant("Celxq1"))
    PathwayGoal.objects.create(pathway=pathway, description=needles.plant("Celxqusuniety")).delete()
    PlannedSupport.objects.create(
        pathway=pathway,
        support_form=form,
        provider=mops,
        planned_start=D(2016, 6, 1),
        planned_end=D(2016, 7, 1),
    )
    Referral.objects.create(
        enrolment=c1,
        to_organisation=starostwo,
        referred_on=D(2016, 6, 1),
        note=needles.plant("Notatkaxq"),
        referred_by=recorder,
    )
    session = Session.objects.create(
        project=world.lebork,
        support_form=form,
        provider=mops,
        date=D(2016, 6, 2),
        hours=2,
        specialist="Psycholog",
        created_by=recorder,
    )
    Attendance.objects.create(session=session, enrolment=c1, present=True, hours=2)

    # C4's internship, after a medical examination.
    c4 = people["C4"]
    exam = MedicalExam.objects.create(
        enrolment=c4,
        examined_on=D(2016, 9, 1),
        valid_until=D(2017, 9, 1),
        result=MedicalExam.Result.FIT,
        purpose=needles.plant("Badaniexq"),
    )
    employer = Employer.objects.create(
        name="Kwiaciarnia", nip="1234563218", street="Polna 1", postcode="84-300", town="Lębork"
    )
    quota = world.lebork.quotas.get(organisation=starostwo, place_kind=PlaceKind.INTERNSHIP)
    booking = SeatBooking.objects.create(
        quota=quota,
        enrolment=c4,
        booked_by=recorder,
        booked_at=datetime.datetime(2016, 9, 1, tzinfo=datetime.UTC),
    )
    internship = Internship.objects.create(
        enrolment=c4,
        organiser=starostwo,
        employer=employer,
        position=needles.plant("Stanowiskoxq"),
        mentor=needles.plant("Opiekunxq"),
        start_date=D(2016, 9, 5),
        end_date=D(2016, 12, 5),
        hours_per_day=8,
        hours_per_week=40,
        status=Internship.Status.COMPLETED,
        medical_exam=exam,
        seat_booking=booking,
    )
    InternshipMonth.objects.create(
        internship=internship,
        month=D(2016, 9, 1),
        days_worked=20,
        hours_worked=160,
        stipend=Decimal("997.32"),
        recorded_by=recorder,
    )

    # An import of the project: its file and errors hold people's data.
    record = ParticipantImport.objects.create(
        project=world.lebork,
        organisation=mops,
        created_by=recorder,
        file_name="lista.xlsx",
        file_size=40,
        content=needles.plant("PlikImportuxq").encode(),
    )
    record.errors = [{"row": 2, "column": "PESEL", "message": needles.plant("Bladxq")}]
    record.save()

    # The admin's log names the records it changed.
    for instance in (people["A1"].participant, people["C1"]):
        LogEntry.objects.create(
            user=recorder,
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk),
            object_repr=str(instance),
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["Imię"]}}]',
        )
    world.people, world.needles, world.l1 = people, needles, l1
    return world


# What to compare ---------------------------------------------------------------------------


def figures(world, users) -> list:
    """Every aggregate the reports show, for the whole project, a period, each partner
    and each user's view: indicators and rates, the per-partner table, the budget, the
    dashboard's months and funnel, and the data-quality counts."""
    project = world.lebork
    selections = [
        Selection(project=project),
        Selection(project=project, start=D(2017, 1, 1), end=D(2017, 6, 30)),
        *(
            Selection(project=project, organisation=world.organisations[name])
            for name in ("MOPS Lębork", "OPS Wicko", "PCPR Lębork")
        ),
        *(selection_make(user=user, project=project) for user in users),
    ]
    result = []
    for selection in selections:
        indicators = indicators_compute(selection)
        result.append({code: (f.total, f.women, f.men) for code, f in indicators.figures.items()})
        result.append([(r.definition.code, r.numerator, r.denominator) for r in indicators.rates])
        result.append(
            [(p.organisation.pk, p.seats, p.supported, p.women, p.men) for p in indicators.partners]
        )
        report = budget_compute(selection)
        result.append(
            [
                (row.line.pk, row.planned, row.spent_in_period, row.spent_to_date)
                for partner in report.partners
                for row in partner.rows
            ]
        )
        result.append(
            [
                (t.planned, t.spent_in_period, t.spent_to_date)
                for t in (report.totals, report.grant, report.own_contribution)
            ]
        )
        result.append(enrolments_by_month(selection))
        result.append(pathway_funnel(selection))
        quality = quality_check(selection, today=AFTER)
        result.append([(row.rule.code, row.count) for row in quality.counts])
    return result


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value  # PostgreSQL's bytea


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = [tuple(map(_plain, row)) for row in cursor.fetchall()]
    return rows


def snapshot() -> dict[str, list[str]]:
    return {table: sorted(map(repr, rows)) for table, rows in database_rows().items()}


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def found(needles: list[str]) -> dict[str, set[str]]:
    """Which needles are in which tables, searched in every column of every table."""
    where = defaultdict(set)
    for table, rows in database_rows().items():
        for row in rows:
            text = "\x00".join(map(_text, row))
            for needle in needles:
                if needle in text:
                    where[needle].add(table)
    return dict(where)


def ages_at_entry(project) -> dict[int, int]:
    enrolments = Enrolment.objects.filter(project=project, participation_start__isnull=False)
    return dict(enrolments.annotate(age=age_at_entry()).values_list("pk", "age"))


# Anonymisation keeps every figure and removes every personal value ---------------------------


def test_it_keeps_every_figure_and_removes_every_personal_value(
    retention_world, sw_lebork, sw_wicko, manager
):
    world, needles = retention_world, retention_world.needles
    users = (sw_lebork, sw_wicko, manager)
    before, ages = figures(world, users), ages_at_entry(world.lebork)
    assert found(needles.gone).keys() == set(needles.gone)  # each needle is planted

    report = anonymise_expired(today=AFTER)

    assert figures(world, users) == before
    assert ages_at_entry(world.lebork) == ages
    assert found(needles.gone) == {}
    assert found(needles.kept).keys() == set(needles.kept)
    [outcome] = report.projects
    a4 = world.people["A4"].participant
    assert outcome.project == world.lebork
    assert len(outcome.anonymised) == 23 - 1  # the scenario's 22, Y1, less A4
    assert outcome.kept == {a4.pk: [Keeper("leszno", None)]}
    assert report.undated == [world.leszno]


def test_what_stays_of_an_anonymised_person(retention_world):
    c9 = retention_world.people["C9"].participant  # 16 at entry, on 16.05.2016
    before = Participant.objects.get(pk=c9.pk)

    anonymise_expired(today=AFTER)

    after = Participant.objects.get(pk=c9.pk)
    assert (after.first_name, after.last_name) == ("Osoba", f"anonimizowana nr {c9.pk}")
    assert (after.pesel, after.no_pesel, after.other_identifier) == ("", True, "[anonimizowane]")
    assert [after.street, after.town, after.postcode, after.phone, after.email] == [""] * 5
    assert after.birth_date == D(1999, 5, 17)  # from 1.06.1999: 16 on 16.05.2016 still
    assert after.anonymised_at is not None
    for name in (
        "sex",
        "commune_id",
        "degurba",
        "education",
        "disability",
        "labour_market_status",
        "social_assistance_client",
        "citizenship",
    ):
        assert getattr(after, name) == getattr(before, name), name
    history = Participant.history.filter(id=c9.pk)
    assert {(h.first_name, h.pesel, h.birth_date) for h in history} == {
        ("Osoba", "", D(1999, 5, 17))
    }
    assert history.latest().history_change_reason == "anonymise_expired"


def test_what_must_stay_non_empty_is_masked(retention_world):
    people = retention_world.people
    anonymise_expired(today=AFTER)
    d1 = Enrolment.objects.get(pk=people["D1"].pk)
    assert d1.dropout_reason == "[anonimizowane]"
    assert Enrolment.objects.get(pk=people["C1"].pk).dropout_reason == ""  # empty stays empty
    a5 = Participant.objects.get(pk=people["A5"].participant_id)
    assert a5.risk_other == "[anonimizowane]"  # still at risk of exclusion
    pathway = Pathway.objects.get(enrolment=people["C1"])
    assert (pathway.needs, pathway.potential, pathway.barriers) == ("[anonimizowane]", "", "")
    assert Referral.objects.get().note == ""
    for model in (Enrolment, FollowUp, EligibilityCheck, CourseParticipation, Payment, Internship):
        for record in model.objects.all():
            record.full_clean(validate_unique=False)  # every rule of the model holds


def test_a_person_still_in_a_live_project_keeps_their_data(retention_world):
    a4 = retention_world.people["A4"].participant
    before = Participant.objects.values().get(pk=a4.pk)
    anonymise_expired(today=AFTER)
    assert Participant.objects.values().get(pk=a4.pk) == before
    l1 = Participant.objects.get(pk=retention_world.l1.pk)
    assert (l1.first_name, l1.anonymised_at) == ("ImięxqL1", None)


def test_the_access_log_records_who_was_anonymised_for_which_project(retention_world):
    report = anonymise_expired(today=AFTER)
    event = AccessEvent.objects.get(action=AccessAction.ANONYMISE)
    assert (event.project, event.user, event.purpose, event.source) == (
        retention_world.lebork,
        None,
        AccessPurpose.RETENTION,
        "anonymise_expired",
    )
    assert sorted(event.participants.values_list("pk", flat=True)) == report.projects[0].anonymised


def test_the_anonymised_persons_page_shows_no_personal_data(retention_world, login, manager):
    c1 = retention_world.people["C1"].participant
    anonymise_expired(today=AFTER)
    response = login(manager).get(reverse("participants:detail", args=[c1.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Osoba anonimizowana nr {c1.pk}" in body
    assert not [needle for needle in retention_world.needles.gone if needle in body]


def test_a_dry_run_reports_the_same_and_changes_nothing(retention_world):
    before = snapshot()
    dry = anonymise_expired(today=AFTER, dry_run=True)
    assert snapshot() == before
    assert not AccessEvent.objects.filter(action=AccessAction.ANONYMISE).exists()

    real = anonymise_expired(today=AFTER)

    def essentials(report):
        return [(o.project, o.anonymised, o.kept, o.records, o.history) for o in report.projects]

    assert essentials(dry) == essentials(real)
    records = {model: count for model, count in real.projects[0].records.items() if count}
    assert records[Participant] == 22
    assert records[Pathway] == records[Referral] == records[Internship] == 1
    assert records[ParticipantImport] == 1
    assert real.projects[0].history > records[Participant]


def test_a_failure_half_way_leaves_the_project_as_it_was(retention_world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the access log is unavailable")

    monkeypatch.setattr("participants.retention.access_record", fail)  # the last step
    before = snapshot()
    with pytest.raises(RuntimeError):
        anonymise_expired(today=AFTER)
    assert snapshot() == before


def test_a_second_run_finds_nothing(retention_world):
    anonymise_expired(today=AFTER)
    before = snapshot()
    again = anonymise_expired(today=AFTER)
    assert snapshot() == before
    [outcome] = again.projects
    assert (outcome.anonymised, outcome.history, sum(outcome.records.values())) == ([], 0, 0)


def test_nothing_happens_before_the_date_nor_to_a_project_without_one(retention_world):
    before = snapshot()
    report = anonymise_expired(today=ARCHIVE_UNTIL)  # the last day the data are kept
    assert (report.projects, snapshot()) == ([], before)
    retention_world.lebork.archive_until = None
    retention_world.lebork.save()
    before = snapshot()
    report = anonymise_expired(today=D(2100, 1, 1))
    assert (report.projects, snapshot()) == ([], before)
    assert set(report.undated) == {retention_world.lebork, retention_world.leszno}


def test_a_person_of_two_expired_projects_is_anonymised_once(world):
    old = ProjectFactory(
        short_name="stary",
        start_date=D(2009, 1, 1),
        end_date=D(2009, 12, 31),
        archive_until=D(2020, 12, 31),
    )
    world.lebork.archive_until = ARCHIVE_UNTIL
    world.lebork.save()
    both = ParticipantFactory()
    for project in (old, world.lebork):
        EnrolmentFactory(participant=both, project=project)
    report = anonymise_expired(today=AFTER)
    assert [(o.project, o.anonymised) for o in report.projects] == [
        (old, [both.pk]),
        (world.lebork, []),
    ]
    assert AccessEvent.objects.filter(action=AccessAction.ANONYMISE).count() == 1


def test_before_lebork_expires_a_person_in_both_is_kept_in_the_old_project(world):
    old = ProjectFactory(
        short_name="stary",
        start_date=D(2009, 1, 1),
        end_date=D(2009, 12, 31),
        archive_until=D(2020, 12, 31),
    )
    world.lebork.archive_until = ARCHIVE_UNTIL
    world.lebork.save()
    both = ParticipantFactory()
    for project in (old, world.lebork):
        EnrolmentFactory(participant=both, project=project)
    [outcome] = anonymise_expired(today=D(2026, 11, 26)).projects
    assert outcome.kept == {both.pk: [Keeper("lebork", ARCHIVE_UNTIL)]}
    assert Participant.objects.get(pk=both.pk).anonymised_at is None


# The table of personal data covers every record about a person ------------------------------

FREE_TEXT = (models.CharField, models.TextField, models.JSONField, models.BinaryField)
#: reached from a person, personal data of none: the access log (participants.access_log)
ACCESS_LOG = {AccessEvent}


def _reached_models() -> set[type[models.Model]]:
    reached, todo = set(), [Participant]
    while todo:
        model = todo.pop()
        if model in reached or model in ACCESS_LOG:
            continue
        reached.add(model)
        todo.extend(relation.related_model for relation in model._meta.related_objects)
    return reached


def test_every_text_field_of_every_record_about_a_person_has_a_rule():
    rules = {model_at(rule.path): rule for rule in PERSONAL_DATA}
    assert set(rules) == _reached_models()
    for model, rule in rules.items():
        named = [*rule.clear, *rule.mask, *rule.replace, *rule.keep]
        assert len(named) == len(set(named)), model
        free_text = {
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, FREE_TEXT) and not f.choices and not f.is_relation
        }
        assert free_text == set(named), model
    # and the names of the models reached agree with the paths
    assert model_at("enrolments__internships__months") is InternshipMonth
    assert {EnrolmentExit, Attendance, PlannedSupport} <= set(rules)


# The birth date ------------------------------------------------------------------------------


def _age(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    birth=st.dates(datetime.date(1920, 1, 1), datetime.date(2010, 12, 31)),
    offsets=st.lists(st.integers(0, 80 * 366), max_size=6),
)
def test_the_generalised_birth_date_keeps_every_age(birth, offsets):
    days = [birth + datetime.timedelta(days=offset) for offset in offsets]
    generalised = generalised_birth_date(birth, days)
    assert generalised.year == birth.year
    assert generalised <= birth
    assert [_age(generalised, day) for day in days] == [_age(birth, day) for day in days]


def test_the_first_day_of_the_year_would_not_keep_the_age():
    birth, start = D(2000, 6, 1), D(2018, 5, 16)
    assert _age(D(2000, 1, 1), start) == 18 != _age(birth, start) == 17
    assert generalised_birth_date(birth, [start]) == D(2000, 5, 17)
    assert generalised_birth_date(birth, []) == D(2000, 1, 1)
    assert generalised_birth_date(D(2001, 3, 1), [D(2016, 2, 29)]) == D(2001, 3, 1)


# The command -------------------------------------------------------------------------------


def run(*arguments) -> str:
    out = StringIO()
    call_command("anonymise_expired", *arguments, stdout=out)  # returns: exit status 0
    return out.getvalue()


def test_the_command_says_what_it_would_do_in_polish(retention_world):
    a4 = retention_world.people["A4"].participant
    before = snapshot()
    output = run("--dry-run", "--date", "01.01.2029")
    assert snapshot() == before
    assert "Próba na dzień 01.01.2029: niczego nie zmieniono." in output
    assert "Aktywizacja w powiecie lęborskim (lebork), dane do 31.12.2028:" in output
    assert "zanonimizowane osoby: 22" in output
    assert "pozostawione osoby: 1" in output
    assert f"uczestnik nr {a4.pk}: nadal w projekcie leszno (bez daty przechowywania" in output
    assert "wyczyszczone zapisy: uczestnicy 22, " in output
    assert "Projekty bez daty przechowywania danych (nigdy nieanonimizowane): leszno." in output
    assert not [needle for needle in retention_world.needles.gone if needle in output]


def test_the_command_anonymises_and_a_second_run_finds_no_one(retention_world):
    assert "zanonimizowane osoby: 22" in run("--date", "2029-01-01")
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 22
    assert "zanonimizowane osoby: 0" in run("--date", "2029-01-01")


def test_the_command_on_a_day_nothing_has_expired(retention_world):
    assert "Na dzień 31.12.2028 nie minęła data przechowywania" in run("--date", "31.12.2028")


@pytest.mark.parametrize("day", ["31.02.2029", "2029/01/01", "jutro"])
def test_the_command_refuses_a_bad_date_in_polish(world, day):
    with pytest.raises(CommandError, match=f"--date: „{day}” nie jest datą"):
        run("--date", day)


# The archive-until date of a project ------------------------------------------------------------

REFUSED = (
    "Dane nie mogą być przechowywane krócej, niż trwa projekt: data przechowywania danych "
    "nie może być wcześniejsza niż data zakończenia."
)


def test_a_retention_date_before_the_end_is_refused(world):
    project = world.lebork
    project.archive_until = project.end_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert REFUSED in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()
    project.archive_until = project.end_date  # the end day itself will do
    project.full_clean()


def test_the_admin_edits_the_date_and_refuses_one_before_the_end(login, client, superuser, world):
    login(superuser)
    page = client.get(reverse("admin:partners_project_change", args=[world.lebork.pk]))
    assert 'name="archive_until"' in page.content.decode()
    data = _project_form(world, archive_until="30.10.2018")
    response = client.post(reverse("admin:partners_project_add"), data)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Project.objects.filter(short_name="nowy").exists()
    data = _project_form(world, archive_until="31.12.2028")
    assert client.post(reverse("admin:partners_project_add"), data).status_code == 302
    assert Project.objects.get(short_name="nowy").archive_until == D(2028, 12, 31)


def test_the_project_page_shows_the_date_or_warns_without_one(login, manager, world):
    client = login(manager)
    url = reverse("partners:project_detail", args=[world.lebork.pk])
    body = client.get(url).content.decode()
    assert "Nie ustawiono daty, do której umowa o dofinansowanie" in body
    world.lebork.archive_until = ARCHIVE_UNTIL
    world.lebork.save()
    body = client.get(url).content.decode()
    assert "Przechowywanie danych" in body
    assert "dane do 31.12.2028" in body
    assert "Nie ustawiono daty" not in body


def test_the_demo_projects_have_their_retention_dates(demo, client):
    manager = demo.roles.get(role="PROJECT_MANAGER").user
    body = verified_login(client, manager).get(demo.get_absolute_url()).content.decode()
    assert "dane do 31.12.2028" in body
    leszno = Project.objects.get(short_name="leszno-2009")
    assert leszno.archive_until == D(2020, 12, 31)
