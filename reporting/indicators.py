"""The funder's indicators (DESIGN §6), each defined once, here.

An indicator is a condition on a participant's enrolment in the project; its value is
the number of enrolments of the selection that meet it, counted by the database.
All indicators are counted in one aggregate query (and once more grouped by partner),
whatever the number of participants. Each definition's text is its docstring and is
shown, translated, on the help page.

Counting rules shared by the definitions:
- a *participant* is counted from the day of their first support (the funder's start
  of participation); the output indicators count those whose participation started
  in the period;
- the *leavers* of a period are those whose participation ended in it (completed or
  dropped out); the result indicators describe their situation on leaving, as the
  exit data records it (up to 4 weeks after the end date);
- *finishers* are the leavers who completed their planned pathway, plus those who left
  early to take up a job;
- the effectiveness figures read the follow-up made at least 90 days (3 months) after
  the end of participation; an earlier follow-up does not count.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from participants.models import Answer, DisabilityDegree, Enrolment, LabourMarketStatus, Sex
from partners.models import Organisation, PlaceKind, SeatQuota
from pathways.models import CourseParticipation

from .selection import Selection

#: How long after the end of participation the effectiveness is measured.
FOLLOW_UP_AFTER = datetime.timedelta(days=90)
#: How long after the end a passed exam still counts as a qualification gained.
QUALIFICATION_WITHIN = datetime.timedelta(days=28)
ADULT_AGE = 18
Status = Enrolment.Status


class Group:
    OUTPUT = "output"
    RESULT = "result"
    EFFECTIVENESS = "effectiveness"

    LABELS = {
        OUTPUT: _("Output indicators"),
        RESULT: _("Result indicators (on leaving)"),
        EFFECTIVENESS: _("Effectiveness (3 months after leaving)"),
    }


@dataclass(frozen=True)
class Definition:
    code: str
    group: str
    name: str
    condition: Callable[[Selection], Q]
    by_sex: bool
    #: the English text, as written in the code; `text` is its translation
    definition: str

    @property
    def text(self) -> str:
        return gettext(self.definition)


DEFINITIONS: list[Definition] = []


def indicator(code: str, group: str, name: str, *, definition: str, by_sex: bool = True):
    """Register an indicator. Its `definition` (marked for translation, translated when
    shown) becomes the function's docstring: one text for the code, the help page and
    the exports."""

    def register(condition: Callable[[Selection], Q]) -> Callable[[Selection], Q]:
        condition.__doc__ = definition
        DEFINITIONS.append(Definition(code, group, name, condition, by_sex, definition))
        return condition

    return register


# Building blocks -----------------------------------------------------------------------


def age_at_entry():
    """Whole years of age on the day of the first support, computed by the database."""
    start, birth = F("participation_start"), F("participant__birth_date")
    month_day = lambda day: ExtractMonth(day) * 100 + ExtractDay(day)  # noqa: E731
    before_birthday = Case(
        When(LessThan(month_day(start), month_day(birth)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExpressionWrapper(
        ExtractYear(start) - ExtractYear(birth) - before_birthday, output_field=IntegerField()
    )


def _adult() -> Q:
    return Q(age_at_entry__gte=ADULT_AGE)


def _at_risk() -> Q:
    """As `Participant.at_risk_of_exclusion`, in the database."""
    condition = (
        Q(participant__social_assistance_client=True)
        | Q(participant__disability=Answer.YES)
        | ~Q(participant__risk_other="")
    )
    for flag in ("long_term_unemployed", "after_prison", "homeless", "caring_for_dependant"):
        condition |= Q(**{f"participant__risk_{flag}": True})
    return condition | Q(participant__risk_addiction_in_treatment=True)


def _severe_disability() -> Q:
    return Q(participant__disability=Answer.YES) & (
        Q(participant__disability_degree=DisabilityDegree.SEVERE)
        | Q(participant__disability_intellectual_or_multiple=True)
    )


def _followed_up() -> Q:
    """A follow-up made at least 90 days after the end of participation."""
    return Q(follow_up_lag__gte=FOLLOW_UP_AFTER)


def _not_followed_up() -> Q:
    # Spelt out: SQL's NOT of a comparison with NULL (no follow-up) is not true.
    return Q(follow_up_lag__isnull=True) | Q(follow_up_lag__lt=FOLLOW_UP_AFTER)


def _annotated(enrolments):
    passed_exam = (
        CourseParticipation.objects.filter(enrolment=OuterRef("pk"), exam_passed=True)
        .annotate(
            # the certificate's date, or the end of the course while the paper is awaited
            lag=ExpressionWrapper(
                Coalesce("certificate_date", "course__end_date") - OuterRef("end_date"),
                output_field=DurationField(),
            )
        )
        .filter(lag__lte=QUALIFICATION_WITHIN)
    )
    return enrolments.annotate(
        age_at_entry=age_at_entry(),
        has_certificate=Exists(passed_exam),
        follow_up_lag=ExpressionWrapper(
            F("follow_up__checked_on") - F("end_date"), output_field=DurationField()
        ),
    )


# Output ------------------------------------------------------------------------------


@indicator(
    "supported",
    Group.OUTPUT,
    pgettext_lazy("indicator", "Participants supported"),
    definition=gettext_noop(
        "People whose participation started in the period, that is who received their "
        "first support in it."
    ),
)
def supported(selection: Selection) -> Q:
    return Q(**selection.in_period("participation_start"))


@indicator(
    "supported_disabled",
    Group.OUTPUT,
    pgettext_lazy("indicator", "of them people with disabilities"),
    definition=gettext_noop("Participants supported who declared a disability."),
)
def supported_disabled(selection: Selection) -> Q:
    return supported(selection) & Q(participant__disability=Answer.YES)


@indicator(
    "supported_at_risk",
    Group.OUTPUT,
    pgettext_lazy("indicator", "of them people at risk of poverty or social exclusion"),
    definition=gettext_noop(
        "Participants supported who are clients of social assistance, have a disability, "
        "or have at least one risk factor (long-term unemployment, release from prison, "
        "homelessness, caring for a dependant, addiction in treatment, another)."
    ),
)
def supported_at_risk(selection: Selection) -> Q:
    return supported(selection) & _at_risk()


# Results on leaving -----------------------------------------------------------------------


@indicator(
    "leavers",
    Group.RESULT,
    pgettext_lazy("indicator", "Participants who left"),
    definition=gettext_noop(
        "People whose participation ended in the period, having completed the pathway "
        "or dropped out."
    ),
)
def leavers(selection: Selection) -> Q:
    return Q(status__in=[Status.COMPLETED, Status.DROPPED_OUT]) & Q(
        **selection.in_period("end_date")
    )


@indicator(
    "completed_pathway",
    Group.RESULT,
    pgettext_lazy("indicator", "completed the planned pathway"),
    definition=gettext_noop("Leavers who completed the pathway planned for them."),
)
def completed_pathway(selection: Selection) -> Q:
    return leavers(selection) & Q(status=Status.COMPLETED)


@indicator(
    "dropped_out",
    Group.RESULT,
    pgettext_lazy("indicator", "dropped out"),
    definition=gettext_noop(
        "Leavers who ended their participation before the end of the pathway, "
        "for whatever reason (including taking up a job)."
    ),
)
def dropped_out(selection: Selection) -> Q:
    return leavers(selection) & Q(status=Status.DROPPED_OUT)


@indicator(
    "qualification",
    Group.RESULT,
    pgettext_lazy("indicator", "gained a qualification"),
    definition=gettext_noop(
        "Leavers who gained a qualification: an exam passed during the project or within "
        "4 weeks after the end of participation, or a qualification recorded on leaving."
    ),
)
def qualification(selection: Selection) -> Q:
    return leavers(selection) & (Q(exit__qualification_gained=True) | Q(has_certificate=True))


@indicator(
    "employed",
    Group.RESULT,
    pgettext_lazy("indicator", "employed, including self-employed"),
    definition=gettext_noop(
        "Leavers working on leaving, employed or self-employed. People under 18 at entry "
        "are not counted."
    ),
)
def employed(selection: Selection) -> Q:
    working = Q(exit__employed=True) | Q(exit__self_employed=True)
    return leavers(selection) & working & _adult()


@indicator(
    "seeking_work",
    Group.RESULT,
    pgettext_lazy("indicator", "seeking work"),
    definition=gettext_noop(
        "Leavers seeking work on leaving. People under 18 at entry are not counted."
    ),
)
def seeking_work(selection: Selection) -> Q:
    return leavers(selection) & Q(exit__seeking_work=True) & _adult()


@indicator(
    "in_education",
    Group.RESULT,
    pgettext_lazy("indicator", "in education or training"),
    definition=gettext_noop("Leavers in education or training on leaving."),
)
def in_education(selection: Selection) -> Q:
    return leavers(selection) & Q(exit__in_education=True)


# Effectiveness --------------------------------------------------------------------------


@indicator(
    "finishers",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "Finishers"),
    definition=gettext_noop(
        "Leavers of the period who completed their planned pathway, and those who left "
        "early to take up a job. Other drop-outs are not finishers."
    ),
)
def finishers(selection: Selection) -> Q:
    return leavers(selection) & (Q(status=Status.COMPLETED) | Q(exit__left_for_job=True))


@indicator(
    "social_progress",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "finishers with documented social progress"),
    definition=gettext_noop(
        "Finishers whose follow-up, at least 90 days after the end, records progress in "
        "social inclusion with its evidence."
    ),
)
def social_progress(selection: Selection) -> Q:
    return finishers(selection) & _followed_up() & ~Q(follow_up__social_progress="")


@indicator(
    "employment_base",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "finishers counted for employment"),
    definition=gettext_noop(
        "Finishers who were unemployed or economically inactive at entry, aged 18 or more, "
        "and did not go on to education on leaving."
    ),
)
def employment_base(selection: Selection) -> Q:
    return (
        finishers(selection)
        & ~Q(participant__labour_market_status=LabourMarketStatus.EMPLOYED)
        & ~Q(exit__in_education=True)
        & _adult()
    )


@indicator(
    "employment_effective",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "of them employed 3 months after"),
    definition=gettext_noop(
        "Finishers counted for employment whose follow-up, at least 90 days after the end, "
        "records a job with a contract of 3 months or more for at least half-time, or "
        "self-employment."
    ),
)
def employment_effective(selection: Selection) -> Q:
    job = Q(
        follow_up__employed=True,
        follow_up__contract_months__gte=3,
        follow_up__working_time__gte=Decimal("0.5"),
    )
    return employment_base(selection) & _followed_up() & (job | Q(follow_up__self_employed=True))


@indicator(
    "employment_base_severe",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "finishers counted for employment, severe disabilities"),
    definition=gettext_noop(
        "Finishers counted for employment who have a severe degree of disability or an "
        "intellectual or multiple disability."
    ),
)
def employment_base_severe(selection: Selection) -> Q:
    return employment_base(selection) & _severe_disability()


@indicator(
    "employment_effective_severe",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "of them employed 3 months after"),
    definition=gettext_noop(
        "Finishers with severe, intellectual or multiple disabilities employed as above."
    ),
)
def employment_effective_severe(selection: Selection) -> Q:
    return employment_effective(selection) & _severe_disability()


@indicator(
    "follow_up_pending",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "finishers whose 3 months have not passed yet"),
    definition=gettext_noop(
        "Finishers for whom 90 days since the end have not passed by today and who have "
        "no follow-up counted yet: the rates may still grow."
    ),
    by_sex=False,
)
def follow_up_pending(selection: Selection) -> Q:
    recent = Q(end_date__gt=timezone.localdate() - FOLLOW_UP_AFTER)
    return finishers(selection) & recent & _not_followed_up()


@indicator(
    "follow_up_missing",
    Group.EFFECTIVENESS,
    pgettext_lazy("indicator", "finishers without a follow-up"),
    definition=gettext_noop(
        "Finishers for whom 90 days since the end have passed and no follow-up made at "
        "least 90 days after the end is recorded."
    ),
    by_sex=False,
)
def follow_up_missing(selection: Selection) -> Q:
    overdue = Q(end_date__lte=timezone.localdate() - FOLLOW_UP_AFTER)
    return finishers(selection) & overdue & _not_followed_up()


BY_CODE = {definition.code: definition for definition in DEFINITIONS}


# Rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateDefinition:
    code: str
    name: str
    numerator: str
    denominator: str
    #: the `Project` field holding the threshold
    threshold_field: str
    definition: str
    #: the numerator and denominator of the group the threshold applies to, when the
    #: rate is "everyone but that group" (computed as total minus the group)
    minus: tuple[str, str] | None = None

    @property
    def text(self) -> str:
        return gettext(self.definition)


RATES = [
    RateDefinition(
        "social_effectiveness",
        _("Social effectiveness"),
        "social_progress",
        "finishers",
        "social_effectiveness_threshold",
        gettext_noop("Finishers with documented social progress ÷ finishers."),
    ),
    RateDefinition(
        "employment_effectiveness",
        _("Employment effectiveness"),
        "employment_effective",
        "employment_base",
        "employment_effectiveness_threshold",
        gettext_noop(
            "Finishers employed 3 months after ÷ finishers counted for employment, "
            "people with severe, intellectual or multiple disabilities apart."
        ),
        minus=("employment_effective_severe", "employment_base_severe"),
    ),
    RateDefinition(
        "employment_effectiveness_severe",
        _("Employment effectiveness, severe disabilities"),
        "employment_effective_severe",
        "employment_base_severe",
        "employment_effectiveness_threshold_severe",
        gettext_noop(
            "The same for people with severe, intellectual or multiple disabilities, "
            "who have their own threshold."
        ),
    ),
]

PERCENT = Decimal("0.01")


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded half up to 0,01; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, ROUND_HALF_UP)


@dataclass
class Rate:
    definition: RateDefinition
    numerator: int
    denominator: int
    threshold: Decimal

    @property
    def value(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    @property
    def met(self) -> bool | None:
        """Whether the threshold is reached; None when nobody is counted yet."""
        return None if self.value is None else self.value >= self.threshold


@dataclass
class Figure:
    definition: Definition
    total: int
    women: int | None = None
    men: int | None = None


@dataclass
class PartnerRow:
    organisation: Organisation
    seats: int
    supported: int
    women: int
    men: int

    @property
    def fill(self) -> Decimal | None:
        return percent(self.supported, self.seats)


@dataclass
class Indicators:
    selection: Selection
    figures: dict[str, Figure]
    rates: list[Rate]
    partners: list[PartnerRow] = field(default_factory=list)

    def __getitem__(self, code: str) -> Figure:
        return self.figures[code]

    def groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            (label, [f for f in self.figures.values() if f.definition.group == group])
            for group, label in Group.LABELS.items()
        ]


def _counts(selection: Selection) -> dict:
    counts = {}
    for definition in DEFINITIONS:
        condition = definition.condition(selection)
        counts[definition.code] = Count("pk", filter=condition)
        if definition.by_sex:
            for sex in (Sex.FEMALE, Sex.MALE):
                by_sex = condition & Q(participant__sex=sex)
                counts[f"{definition.code}__{sex}"] = Count("pk", filter=by_sex)
    return counts


def indicators_compute(selection: Selection) -> Indicators:
    """Every indicator and rate of the selection, and the per-partner table: three
    queries whatever the number of participants."""
    enrolments = _annotated(selection.enrolments())
    row = enrolments.aggregate(**_counts(selection))
    figures = {
        d.code: Figure(
            d, row[d.code], row.get(f"{d.code}__{Sex.FEMALE}"), row.get(f"{d.code}__{Sex.MALE}")
        )
        for d in DEFINITIONS
    }
    rates = []
    for rate in RATES:
        numerator, denominator = row[rate.numerator], row[rate.denominator]
        if rate.minus:
            numerator -= row[rate.minus[0]]
            denominator -= row[rate.minus[1]]
        threshold = getattr(selection.project, rate.threshold_field)
        rates.append(Rate(rate, numerator, denominator, threshold))
    return Indicators(selection, figures, rates, _partners(selection))


def _partners(selection: Selection) -> list[PartnerRow]:
    """Participants supported per recruiting partner against its social-activation seats."""
    condition = supported(selection)
    grouped = (
        selection.enrolments()
        .order_by()
        .values("recruiting_organisation")
        .annotate(
            supported=Count("pk", filter=condition),
            women=Count("pk", filter=condition & Q(participant__sex=Sex.FEMALE)),
            men=Count("pk", filter=condition & Q(participant__sex=Sex.MALE)),
        )
    )
    counts = {row["recruiting_organisation"]: row for row in grouped}
    quotas = SeatQuota.objects.filter(
        project=selection.project, place_kind=PlaceKind.SOCIAL_ACTIVATION
    ).select_related("organisation")
    if selection.organisation is not None:
        quotas = quotas.filter(organisation=selection.organisation)
    elif not selection.sees_whole_project:
        quotas = quotas.filter(organisation_id__in=counts)
    rows = []
    for quota in quotas.order_by("organisation__short_name"):
        row = counts.get(quota.organisation_id, {})
        rows.append(
            PartnerRow(
                quota.organisation,
                quota.seats,
                row.get("supported", 0),
                row.get("women", 0),
                row.get("men", 0),
            )
        )
    return rows
