"""The budget report: planned amounts per partner and budget line, spending from the
recorded payments, grant against own contribution, and what is left to spend.

One query reads the lines with their spending; the rest is arithmetic on a few rows
(there are tens of lines, not thousands). Money stays `Decimal` throughout.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from partners.models import BudgetLine, Funding, Organisation, paid_amount

from .indicators import percent
from .selection import Selection

ZERO = Decimal("0.00")


@dataclass
class LineRow:
    line: BudgetLine
    planned: Decimal
    spent_in_period: Decimal
    spent_to_date: Decimal

    @property
    def left(self) -> Decimal:
        return self.planned - self.spent_to_date

    @property
    def used(self) -> Decimal | None:
        return percent(self.spent_to_date, self.planned)


@dataclass
class Totals:
    planned: Decimal = ZERO
    spent_in_period: Decimal = ZERO
    spent_to_date: Decimal = ZERO

    def add(self, row: LineRow) -> None:
        self.planned += row.planned
        self.spent_in_period += row.spent_in_period
        self.spent_to_date += row.spent_to_date

    @property
    def left(self) -> Decimal:
        return self.planned - self.spent_to_date

    @property
    def used(self) -> Decimal | None:
        return percent(self.spent_to_date, self.planned)


@dataclass
class PartnerBudget:
    organisation: Organisation
    rows: list[LineRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class Budget:
    selection: Selection
    partners: list[PartnerBudget]
    totals: Totals
    #: spending by source of funds
    grant: Totals
    own_contribution: Totals

    @property
    def project(self):
        return self.selection.project

    @property
    def unallocated(self) -> Decimal | None:
        """The project's budget not yet split into lines (whole-project view only)."""
        if self.project.budget_total is None or not self.selection.sees_whole_project:
            return None
        if self.selection.organisation is not None:
            return None
        return self.project.budget_total - self.totals.planned

    @property
    def own_contribution_share(self) -> Decimal | None:
        """The own contribution as a share of the money spent to date, to compare with
        the project's required share."""
        return percent(self.own_contribution.spent_to_date, self.totals.spent_to_date)

    @property
    def own_contribution_share_met(self) -> bool | None:
        required = self.project.own_contribution_share
        reached = self.own_contribution_share
        if required is None or reached is None:
            return None
        return reached >= required


def budget_compute(selection: Selection) -> Budget:
    """The budget of the selection's lines; spending counts payments by their date:
    in the period, and to date (up to the period's end)."""
    in_period = Q(**{f"payments__{k}": v for k, v in selection.in_period("paid_on").items()})
    to_date = Q()
    if selection.end:
        to_date &= Q(payments__paid_on__lte=selection.end)
    lines = (
        selection.budget_lines()
        .select_related("organisation")
        .with_paid(spent_in_period=in_period, spent_to_date=to_date)
        .order_by("organisation__short_name", "funding", "category")
    )
    partners: dict[int, PartnerBudget] = {}
    totals, grant, own = Totals(), Totals(), Totals()
    for line in lines:
        spent_in_period, spent_to_date = (
            paid_amount(amount) for amount in (line.spent_in_period, line.spent_to_date)
        )
        row = LineRow(line, line.planned_amount, spent_in_period, spent_to_date)
        partner = partners.setdefault(line.organisation_id, PartnerBudget(line.organisation))
        partner.rows.append(row)
        partner.totals.add(row)
        totals.add(row)
        (own if line.funding == Funding.OWN_CONTRIBUTION else grant).add(row)
    return Budget(selection, list(partners.values()), totals, grant, own)
