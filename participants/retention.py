"""Retention (DESIGN §6): a project's documents and data are kept until the date its
funding agreement names (`Project.archive_until`); then its participants are
anonymised so that every statistic stays as it was.

`anonymise_expired(today=…, dry_run=…)` does it, in one place; `manage.py
anonymise_expired` calls it (nightly, from cron). For each project whose date has
passed, in one transaction per project:

* **who**: the people enrolled in it, not yet anonymised, all of whose enrolments are
  in projects past their date. A person still in another project — or in one without a
  date — keeps their data, and the report says where.
* **what**: `PERSONAL_DATA` names, model by model, every free-text field of a record
  about a person and what becomes of it: *cleared*; *masked* — replaced by a
  placeholder when not empty, where emptiness would change a figure or break a rule
  (a drop-out has a reason, a risk factor counts); or *kept*, and why. Coded values,
  dates, amounts, sex, commune and DEGURBA stay: the reports count them. The names
  become "Osoba anonimizowana nr <id>", the PESEL or other identifier goes, and the
  birth date becomes `generalised_birth_date` (every age the reports compute stays).
  `tests/test_retention.py` fails when a model reached from a person gains a text
  field this table does not name.
* **history**: the change history (simple-history) of those records — deleted records
  included — is overwritten the same way, so that no old value survives there; the
  admin's log forgets their names; the project's imports lose their files and errors.
  The access log holds no personal data and is kept: one more record in it says who
  was anonymised, for which project.

The models of `pathways` are reached through the reverse relations of `Participant`,
not imported (DESIGN §3: dependencies flow one way).

A dry run computes the same report and writes nothing. A second run finds no one.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Project

from .access_log import access_record
from .models import AccessAction, EligibilityCheck, Enrolment, Participant, ParticipantImport

#: How many keys go into one `IN (…)` (SQLite allows a few thousand at most).
CHUNK = 500
SOURCE = "anonymise_expired"


@dataclass(frozen=True)
class PersonalData:
    """The free-text fields of one model reached from a person, and what becomes of them."""

    #: reverse relations from `Participant`, e.g. "enrolments__pathway__goals"; "" is
    #: the participant
    path: str
    clear: tuple[str, ...] = ()
    mask: tuple[str, ...] = ()
    #: set by `_participant_values` (names, identifiers)
    replace: tuple[str, ...] = ()
    #: text fields that stay, each with the reason
    keep: dict[str, str] = field(default_factory=dict)

    @property
    def erased(self) -> tuple[str, ...]:
        return self.clear + self.mask


PERSONAL_DATA = [
    PersonalData(
        "",
        replace=("first_name", "last_name", "pesel", "other_identifier"),
        clear=("street", "building_number", "flat_number", "postcode", "town", "phone", "email"),
        # a risk factor makes a person "at risk of exclusion" in the indicators
        mask=("risk_other",),
    ),
    PersonalData("enrolments", mask=("rejection_reason", "dropout_reason")),
    PersonalData(
        "enrolments__eligibility_checks",
        mask=("override_justification",),
        keep={
            "reasons": "our messages: commune, age on the day (the generalised birth date "
            "gives the same), labour-market status, another project's short name"
        },
    ),
    PersonalData(
        "enrolments__seat_bookings",
        keep={"release_reason": "our message (resignation before support)"},
    ),
    PersonalData("enrolments__exit"),
    PersonalData("enrolments__follow_up", mask=("social_progress_evidence",)),
    PersonalData("enrolments__pathway", mask=("needs",), clear=("potential", "barriers")),
    PersonalData("enrolments__pathway__goals", mask=("description",)),
    PersonalData("enrolments__pathway__items"),
    PersonalData("enrolments__referrals", clear=("note",)),
    PersonalData("enrolments__attendances"),
    PersonalData(
        "enrolments__course_participations",
        mask=("certificate_number",),
        keep={"certificate_name": "the qualification gained (florist…), not the person"},
    ),
    PersonalData("enrolments__medical_exams", mask=("purpose",)),
    # the mentor is the employer's person, named beside the participant
    PersonalData("enrolments__internships", mask=("position", "mentor")),
    PersonalData("enrolments__internships__months"),
    # the document number leads to the accounting papers, which name the person
    PersonalData("enrolments__payments", mask=("document_number",)),
]


def model_at(path: str) -> type[models.Model]:
    """The model at the end of a path of reverse relations from `Participant`."""
    model = Participant
    for name in filter(None, path.split("__")):
        model = model._meta.get_field(name).related_model
    return model


def generalised_birth_date(
    birth_date: datetime.date, days: Iterable[datetime.date]
) -> datetime.date:
    """The earliest day of the birth year that gives the same age as `birth_date` on
    every one of `days` (the starts of participation: the funder's age at entry).

    The age on a day d is d's year − the birth year − 1 if d's (month, day) comes
    before the birthday's. The year stays; the age on d stays as long as the new
    birthday falls on the same side of d's (month, day) as the old one. Let m be the
    latest (month, day) among the days that comes before the birthday: the day after m
    (1 January when there is none) comes after every such day and not after the
    birthday, so before or on every other day — every age stays. The first day of the
    year alone would not do: born 1.06.2000 and 17 on 16.05.2018, a birth date of
    1.01.2000 makes 18 of it, an adult the employment figures count.
    """
    birthday = (birth_date.month, birth_date.day)
    before = [(day.month, day.day) for day in days if (day.month, day.day) < birthday]
    if not before:
        return birth_date.replace(month=1, day=1)
    month, day = max(before)
    try:
        return datetime.date(birth_date.year, month, day) + datetime.timedelta(days=1)
    except ValueError:  # 29 February in a year without one: the day after is 1 March
        return datetime.date(birth_date.year, 3, 1)


# The report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Keeper:
    """A project that keeps a person's data: one not past its retention date."""

    short_name: str
    archive_until: datetime.date | None


@dataclass
class ProjectRetention:
    project: Project
    #: the people anonymised (ids: a report names no one)
    anonymised: list[int] = field(default_factory=list)
    #: the people kept, and the projects that keep them
    kept: dict[int, list[Keeper]] = field(default_factory=dict)
    #: records cleared, per model (in `PERSONAL_DATA`'s order, then the imports)
    records: dict[type[models.Model], int] = field(default_factory=dict)
    #: entries of the change history overwritten
    history: int = 0


@dataclass
class RetentionReport:
    today: datetime.date
    dry_run: bool
    projects: list[ProjectRetention] = field(default_factory=list)
    #: projects without a retention date: never anonymised
    undated: list[Project] = field(default_factory=list)


def anonymise_expired(*, today: datetime.date, dry_run: bool = False) -> RetentionReport:
    """Anonymise the participants of every project whose retention date is before
    `today` (see the module's docstring); with `dry_run`, only say what would be done."""
    report = RetentionReport(today=today, dry_run=dry_run)
    report.undated = list(Project.objects.filter(archive_until__isnull=True).order_by("short_name"))
    done: set[int] = set()  # a person in two expired projects goes with the first
    for project in Project.objects.filter(archive_until__lt=today).order_by("archive_until", "pk"):
        with transaction.atomic():
            outcome = _project_anonymise(project, today=today, dry_run=dry_run, done=done)
        done.update(outcome.anonymised)
        report.projects.append(outcome)
    return report


def _project_anonymise(
    project: Project, *, today: datetime.date, dry_run: bool, done: set[int]
) -> ProjectRetention:
    outcome = ProjectRetention(project)
    candidates = Participant.objects.filter(
        pk__in=Enrolment.objects.filter(project=project).values("participant_id"),
        anonymised_at__isnull=True,
    )
    if not dry_run:
        candidates = candidates.select_for_update()  # nobody edits them meanwhile
    people = sorted(set(candidates.values_list("pk", flat=True)) - done)
    live = Q(project__archive_until__isnull=True) | Q(project__archive_until__gte=today)
    for chunk in _chunks(people):
        kept = (
            Enrolment.objects.filter(live, participant_id__in=chunk)
            .values_list("participant_id", "project__short_name", "project__archive_until")
            .order_by("participant_id", "project__short_name")
        )
        for participant_id, short_name, archive_until in kept:
            outcome.kept.setdefault(participant_id, []).append(Keeper(short_name, archive_until))
    outcome.anonymised = [pk for pk in people if pk not in outcome.kept]
    _erase(outcome, apply=not dry_run)
    if not dry_run and outcome.anonymised:
        access_record(
            outcome.anonymised, action=AccessAction.ANONYMISE, source=SOURCE, project=project
        )
    return outcome


# The work ----------------------------------------------------------------------------------


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _history(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def _reached(people: list[int]) -> dict[str, set[int]]:
    """The ids of every record of `PERSONAL_DATA` belonging to the people, path by path:
    those that exist and those the change history remembers (deleted since)."""
    ids = {"": set(people)}
    for rule in PERSONAL_DATA[1:]:
        parent, _sep, name = rule.path.rpartition("__")
        relation = model_at(parent)._meta.get_field(name)
        key = f"{relation.field.attname}__in"
        found: set[int] = set()
        for chunk in _chunks(ids[parent]):
            for model in (relation.related_model, _history(relation.related_model)):
                found.update(
                    model._default_manager.filter(**{key: chunk}).values_list("id", flat=True)
                )
        ids[rule.path] = found
    return ids


def _not_empty(fields: Iterable[str]) -> Q:
    condition = Q()
    for name in fields:
        condition |= ~Q(**{name: ""})
    return condition


def _masked(name: str) -> Case:
    return Case(When(**{name: ""}, then=Value("")), default=Value(_("[anonymised]")))


def _erased_values(rule: PersonalData) -> dict:
    return {
        **{name: Value("") for name in rule.clear},
        **{name: _masked(name) for name in rule.mask},
    }


def _participant_values() -> dict:
    """What replaces a person's names and identifiers, on the record and in its history
    alike (`id` is the person's in both)."""
    return {
        "first_name": Value(_("Person")),
        "last_name": Concat(Value(_("anonymised no.") + " "), Cast("id", CharField())),
        "pesel": Value(""),
        "no_pesel": Value(True),  # with the placeholder below: the model's rule holds
        "other_identifier": Value(_("[anonymised]")),
    }


def _erase(outcome: ProjectRetention, *, apply: bool) -> None:
    """Clear (with `apply`) or count what `PERSONAL_DATA` says of the people's records,
    on the records and in their history, then the project's imports."""
    ids = _reached(outcome.anonymised)
    for rule in PERSONAL_DATA:
        model = model_at(rule.path)
        values = _erased_values(rule)
        changed = Q() if rule.path == "" else _not_empty(rule.erased)
        if rule.path == "":
            values |= _participant_values()
        if not values:
            continue
        for chunk in _chunks(ids[rule.path]):
            records = model._default_manager.filter(pk__in=chunk).filter(changed)
            history = _history(model).objects.filter(id__in=chunk).filter(changed)
            if apply:
                counted = records.update(**values)
                outcome.history += history.update(**values)
            else:
                counted = records.count()
                outcome.history += history.count()
            outcome.records[model] = outcome.records.get(model, 0) + counted
    if apply and outcome.anonymised:
        _birth_dates_generalise(outcome.anonymised)
        _mark_anonymised(outcome.anonymised)
        _admin_log_forget(ids)
    _imports_clear(outcome, apply=apply)


def _birth_dates_generalise(people: list[int]) -> None:
    """Give each person the generalised birth date, on the record and in its history
    (whose entries were counted with the names)."""
    for chunk in _chunks(people):
        days: dict[int, list[datetime.date]] = {pk: [] for pk in chunk}
        starts = Enrolment.objects.filter(
            participant_id__in=chunk, participation_start__isnull=False
        )
        for pk, day in starts.values_list("participant_id", "participation_start"):
            days[pk].append(day)
        # an eligibility check keeps the age on its day in its message
        checks = EligibilityCheck.objects.filter(enrolment__participant_id__in=chunk)
        for pk, day in checks.values_list("enrolment__participant_id", "checked_on"):
            days[pk].append(day)
        births = dict(Participant.objects.filter(pk__in=chunk).values_list("pk", "birth_date"))
        generalised = Case(
            *(
                When(id=pk, then=Value(generalised_birth_date(births[pk], days[pk])))
                for pk in chunk
            ),
            output_field=models.DateField(),
        )
        Participant.objects.filter(pk__in=chunk).update(birth_date=generalised)
        _history(Participant).objects.filter(id__in=chunk).update(birth_date=generalised)


def _mark_anonymised(people: list[int]) -> None:
    """Set `anonymised_at`, with one entry in each person's history saying so."""
    now = timezone.now()
    for chunk in _chunks(people):
        Participant.objects.filter(pk__in=chunk).update(anonymised_at=now)
        Participant.history.bulk_history_create(
            list(Participant.objects.filter(pk__in=chunk)),
            update=True,
            default_change_reason=SOURCE,
            default_date=now,
        )


def _admin_log_forget(ids: dict[str, set[int]]) -> None:
    """The admin's log names the record it changed (`str()` of it: the person's name)."""
    for rule in PERSONAL_DATA:
        content_type = ContentType.objects.get_for_model(model_at(rule.path))
        for chunk in _chunks(ids[rule.path]):
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in chunk]
            ).update(object_repr=_("[anonymised]"), change_message="")


def _imports_clear(outcome: ProjectRetention, *, apply: bool) -> None:
    """The project's imports keep their counts; the file and the errors go."""
    records = ParticipantImport.objects.filter(project=outcome.project).filter(
        ~Q(content=b"") | ~Q(errors=[])
    )
    history = (
        _history(ParticipantImport)
        .objects.filter(
            id__in=ParticipantImport.objects.filter(project=outcome.project).values("pk")
        )
        .filter(~Q(errors=[]))
    )
    if apply:
        outcome.records[ParticipantImport] = records.update(content=b"", errors=[])
        outcome.history += history.update(errors=[])
    else:
        outcome.records[ParticipantImport] = records.count()
        outcome.history += history.count()
