"""Reads for the dashboard beyond the indicators: enrolments month by month, and how
far the people registered have got along their pathway.

Each read is one grouped or aggregate query whatever the number of participants, on
`Selection.enrolments()`, so it shows no more than the viewer may see.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participants.models import Enrolment
from pathways.models import CourseParticipation, Internship, Referral

from .selection import Selection


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class MonthlyCounts:
    months: list[datetime.date]
    #: running totals at the end of each month, since the start of the period
    registered: list[int]
    started: list[int]


def _per_month(selection: Selection, field: str) -> dict[datetime.date, int]:
    """How many enrolments of the selection have `field` in each month of the period."""
    rows = (
        selection.enrolments()
        .filter(**selection.in_period(field))
        .order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(count=Count("pk"))
    )
    return {row["month"]: row["count"] for row in rows}


def _running_total(counts: dict[datetime.date, int], months: list[datetime.date]) -> list[int]:
    """Cumulative counts over `months`; a month outside them (the period's open ends)
    is counted in the nearest one, so the last total is the period's total."""
    totals, total = [], 0
    for index, month in enumerate(months):
        is_first, is_last = index == 0, index == len(months) - 1
        total += sum(
            n
            for m, n in counts.items()
            if m == month or (is_first and m < month) or (is_last and m > month)
        )
        totals.append(total)
    return totals


def enrolments_by_month(selection: Selection) -> MonthlyCounts:
    """People registered and people whose participation started (first support), as
    running totals month by month through the period: two grouped queries."""
    months = months_between(selection.first_day, selection.last_day)
    return MonthlyCounts(
        months,
        _running_total(_per_month(selection, "registered_on"), months),
        _running_total(_per_month(selection, "participation_start"), months),
    )


@dataclass(frozen=True)
class FunnelStage:
    code: str
    label: str
    count: int


FUNNEL_STAGES = [
    ("registered", _("registered")),
    ("in_support", pgettext_lazy("pathway stage reached", "in support")),
    ("referred", _("referred to vocational activation")),
    ("placed", _("on a course or internship")),
    ("completed", _("completed the pathway")),
]


def pathway_funnel(selection: Selection) -> list[FunnelStage]:
    """The people registered in the period, and how many of them have (to date) started
    support, been referred to a vocational partner, been placed on a course or an
    internship, and completed their pathway: one aggregate query. Each stage counts
    everyone who reached it, whether or not they went through the stages before (a
    pathway may have no vocational stage)."""
    has = lambda model: Exists(model.objects.filter(enrolment=OuterRef("pk")))  # noqa: E731
    row = (
        selection.enrolments()
        .filter(**selection.in_period("registered_on"))
        .annotate(
            has_referral=has(Referral),
            has_course=has(CourseParticipation),
            has_internship=has(Internship),
        )
        .aggregate(
            registered=Count("pk"),
            in_support=Count("pk", filter=Q(participation_start__isnull=False)),
            referred=Count("pk", filter=Q(has_referral=True)),
            placed=Count("pk", filter=Q(has_course=True) | Q(has_internship=True)),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
        )
    )
    return [FunnelStage(code, label, row[code]) for code, label in FUNNEL_STAGES]
