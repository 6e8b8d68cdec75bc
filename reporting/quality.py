"""Data-quality checks before an export: what the funder would reject or miscount.

Each rule is a small function over one enrolment (with its participant, exit data and
follow-up joined), registered with a code, a name and where to fix it. The enrolments
of a selection are read in one query and checked in Python.

A resignation before any support (ended, no support received, no exit data) is not a
participation the funder counts: it needs neither exit data nor a follow-up.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Enrolment
from participants.pesel import parse_pesel
from partners.models import Project

from .indicators import FOLLOW_UP_AFTER
from .selection import Selection

Status = Enrolment.Status
ENDED = (Status.COMPLETED, Status.DROPPED_OUT)


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Context:
    project: Project
    today: datetime.date


Check = Callable[[Enrolment, Context], list[str]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    check: Check
    #: where the problem is fixed: a URL for the enrolment
    fix: Callable[[Enrolment], str]


@dataclass(frozen=True)
class Problem:
    rule: Rule
    message: str
    url: str


@dataclass
class Entry:
    """One person's enrolment and what is wrong with it."""

    enrolment: Enrolment
    problems: list[Problem]

    @property
    def participant(self):
        return self.enrolment.participant


@dataclass
class RuleCount:
    rule: Rule
    count: int


@dataclass
class Quality:
    entries: list[Entry]
    counts: list[RuleCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The number of problems found."""
        return sum(row.count for row in self.counts)


RULES: list[Rule] = []


def rule(code: str, name: str, *, fix: Callable[[Enrolment], str]):
    def register(check: Check) -> Check:
        RULES.append(Rule(code, name, check, fix))
        return check

    return register


# Where to fix ---------------------------------------------------------------------------


def _detail(enrolment: Enrolment) -> str:
    return enrolment.get_absolute_url()


def _edit_participant(enrolment: Enrolment) -> str:
    return reverse("participants:edit", args=[enrolment.participant_id])


def _consent(enrolment: Enrolment) -> str:
    return reverse("participants:consent", args=[enrolment.pk])


def _follow_up(enrolment: Enrolment) -> str:
    return reverse("participants:follow_up", args=[enrolment.pk])


def _related(enrolment: Enrolment, name: str):
    """A reverse one-to-one joined by the query, or None when there is none."""
    return getattr(enrolment, name, None)


# Rules ------------------------------------------------------------------------------------


@rule("exit_missing", gettext_lazy("No exit data after the end"), fix=_detail)
def exit_missing(enrolment: Enrolment, context: Context) -> list[str]:
    """Completed, or dropped out after receiving support, without the situation on
    leaving: the result indicators and Sytuacja (1) cannot be filled."""
    supported = enrolment.participation_start is not None
    ended = enrolment.status == Status.COMPLETED or (
        enrolment.status == Status.DROPPED_OUT and supported
    )
    if ended and _related(enrolment, "exit") is None:
        return [
            _("The participation ended on %(day)s but the situation on leaving is not recorded.")
            % {"day": _day(enrolment.end_date)}
        ]
    return []


@rule("ended_without_support", gettext_lazy("Ended without any support"), fix=_detail)
def ended_without_support(enrolment: Enrolment, context: Context) -> list[str]:
    """Completed, or left with exit data, but no support received is recorded: the
    person is missing from the funder's list (it counts from the first support)."""
    if enrolment.end_date is None or enrolment.participation_start is not None:
        return []
    if enrolment.status == Status.COMPLETED or _related(enrolment, "exit") is not None:
        return [
            _(
                "The participation ended on %(day)s but no support received is recorded: "
                "the person is not on the funder's list."
            )
            % {"day": _day(enrolment.end_date)}
        ]
    return []


@rule(
    "pesel_mismatch",
    gettext_lazy("Birth date or sex not matching the PESEL"),
    fix=_edit_participant,
)
def pesel_mismatch(enrolment: Enrolment, context: Context) -> list[str]:
    """The birth date and sex must be those the PESEL holds; otherwise the age at entry
    (and the figures by sex) are wrong."""
    participant = enrolment.participant
    if participant.no_pesel or not participant.pesel:
        return []
    try:
        data = parse_pesel(participant.pesel)
    except ValidationError as error:
        return [_("The PESEL is not valid: %(error)s") % {"error": " ".join(error.messages)}]
    problems = []
    if participant.birth_date != data.birth_date:
        problems.append(
            _(
                "The birth date %(date)s does not match the PESEL, which gives %(pesel_date)s: "
                "the age at entry is wrong."
            )
            % {"date": _day(participant.birth_date), "pesel_date": _day(data.birth_date)}
        )
    if participant.sex != data.sex:
        problems.append(_("The sex does not match the PESEL (its tenth digit)."))
    return problems


#: the dates of an enrolment, in the order they must come, with what each records
DATE_ORDER = {
    "registered_on": gettext_lazy("registration"),
    "qualified_on": gettext_lazy("qualification"),
    "support_start": gettext_lazy("start of support"),
    "participation_start": gettext_lazy("first support received"),
    "end_date": gettext_lazy("end of participation"),
}


@rule("dates_order", gettext_lazy("Dates out of order"), fix=_detail)
def dates_order(enrolment: Enrolment, context: Context) -> list[str]:
    """Registration, qualification, start of support, first support and end come in
    this order (the dates not yet recorded are skipped)."""
    dates = [(name, getattr(enrolment, name)) for name in DATE_ORDER]
    known = [(name, day) for name, day in dates if day is not None]
    problems = []
    for (earlier, earlier_day), (later, later_day) in pairwise(known):
        if later_day < earlier_day:
            problems.append(
                _("The %(later)s (%(later_day)s) comes before the %(earlier)s (%(earlier_day)s).")
                % {
                    "later": DATE_ORDER[later],
                    "later_day": _day(later_day),
                    "earlier": DATE_ORDER[earlier],
                    "earlier_day": _day(earlier_day),
                }
            )
    return problems


@rule("outside_project", gettext_lazy("Participation outside the project's dates"), fix=_detail)
def outside_project(enrolment: Enrolment, context: Context) -> list[str]:
    """The participation lies within the project's dates."""
    project, problems = context.project, []
    start, end = enrolment.participation_start, enrolment.end_date
    period = {"start": _day(project.start_date), "end": _day(project.end_date)}
    if start and not project.start_date <= start <= project.end_date:
        problems.append(
            _("The first support (%(day)s) is outside the project's dates (%(start)s–%(end)s).")
            % {"day": _day(start), **period}
        )
    if end and start and not project.start_date <= end <= project.end_date:
        problems.append(
            _(
                "The end of participation (%(day)s) is outside the project's dates "
                "(%(start)s–%(end)s)."
            )
            % {"day": _day(end), **period}
        )
    return problems


@rule("consent_missing", gettext_lazy("Consent missing"), fix=_consent)
def consent_missing(enrolment: Enrolment, context: Context) -> list[str]:
    """Anyone taken into support has signed the participation declaration and the
    data-protection statement."""
    supported = enrolment.status == Status.IN_SUPPORT or (
        enrolment.status in ENDED
        and (enrolment.support_start is not None or enrolment.participation_start is not None)
    )
    if not supported:
        return []
    problems = []
    if enrolment.declaration_signed_on is None:
        problems.append(_("The signing of the participation declaration is not recorded."))
    if enrolment.data_protection_signed_on is None:
        problems.append(_("The signing of the data-protection statement is not recorded."))
    return problems


def _finisher(enrolment: Enrolment) -> bool:
    exit_data = _related(enrolment, "exit")
    return enrolment.status == Status.COMPLETED or (
        exit_data is not None and exit_data.left_for_job
    )


@rule("follow_up_missing", gettext_lazy("Follow-up due but missing"), fix=_follow_up)
def follow_up_missing(enrolment: Enrolment, context: Context) -> list[str]:
    """A finisher whose 90 days since the end have passed has a follow-up."""
    if not _finisher(enrolment) or enrolment.end_date is None:
        return []
    due = enrolment.end_date + FOLLOW_UP_AFTER
    if due <= context.today and _related(enrolment, "follow_up") is None:
        return [
            _("The follow-up was due on %(due)s (90 days after the end) and is not recorded.")
            % {"due": _day(due)}
        ]
    return []


@rule("follow_up_early", gettext_lazy("Follow-up made too early"), fix=_follow_up)
def follow_up_early(enrolment: Enrolment, context: Context) -> list[str]:
    """A follow-up counts for the effectiveness only 90 days or more after the end."""
    follow_up = _related(enrolment, "follow_up")
    if follow_up is None or enrolment.end_date is None:
        return []
    due = enrolment.end_date + FOLLOW_UP_AFTER
    if follow_up.checked_on < due:
        return [
            _(
                "The follow-up of %(day)s was made %(days)d days after the end; it counts "
                "only from %(due)s (90 days)."
            )
            % {
                "day": _day(follow_up.checked_on),
                "days": (follow_up.checked_on - enrolment.end_date).days,
                "due": _day(due),
            }
        ]
    return []


# Running the rules -------------------------------------------------------------------------


def quality_enrolments(selection: Selection):
    """The enrolments to check: those of the selection active in its period (registered
    by its end, not ended before its start), every one when there is no period."""
    enrolments = selection.enrolments()
    if selection.end:
        enrolments = enrolments.filter(registered_on__lte=selection.end)
    if selection.start:
        enrolments = enrolments.filter(Q(end_date__isnull=True) | Q(end_date__gte=selection.start))
    return enrolments.select_related("participant", "exit", "follow_up").order_by(
        "participant__last_name", "participant__first_name", "pk"
    )


def enrolment_problems(enrolment: Enrolment, context: Context) -> list[Problem]:
    return [
        Problem(rule, message, rule.fix(enrolment))
        for rule in RULES
        for message in rule.check(enrolment, context)
    ]


def quality_check(selection: Selection, *, today: datetime.date | None = None) -> Quality:
    """Every enrolment of the selection with its problems (those without are left out),
    by person, and the number of problems per rule. One query."""
    context = Context(project=selection.project, today=today or timezone.localdate())
    entries, counts = [], Counter()
    for enrolment in quality_enrolments(selection).iterator(chunk_size=2000):
        problems = enrolment_problems(enrolment, context)
        if problems:
            entries.append(Entry(enrolment, problems))
            counts.update(problem.rule.code for problem in problems)
    return Quality(entries, [RuleCount(rule, counts[rule.code]) for rule in RULES])
