"""The budget plan of a project as its page shows it: lines grouped by partner, with
subtotals per source of funds and the comparison with the project's budget.

Two queries whatever the number of lines: the partnerships and the lines (with what
was paid from each, read through the reverse relation `payments` of `pathways`).
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .models import BudgetLine, Funding, Organisation, Project, paid_amount

ZERO = Decimal("0.00")


@dataclass
class FundingTotals:
    grant: Decimal = ZERO
    own_contribution: Decimal = ZERO

    def add(self, line: BudgetLine) -> None:
        if line.funding == Funding.OWN_CONTRIBUTION:
            self.own_contribution += line.planned_amount
        else:
            self.grant += line.planned_amount

    @property
    def total(self) -> Decimal:
        return self.grant + self.own_contribution


@dataclass
class PartnerPlan:
    organisation: Organisation
    lines: list[BudgetLine] = field(default_factory=list)
    totals: FundingTotals = field(default_factory=FundingTotals)


@dataclass
class BudgetPlan:
    project: Project
    partners: list[PartnerPlan]
    totals: FundingTotals
    #: False when the user sees only their own organisations' lines: then the
    #: comparison with the whole project's budget would mislead, and is not made.
    whole_project: bool

    @staticmethod
    def _left(whole: Decimal | None, planned: Decimal) -> Decimal | None:
        return None if whole is None else whole - planned

    @property
    def unplanned(self) -> Decimal | None:
        return self._left(self.project.budget_total, self.totals.total)

    @property
    def grant_unplanned(self) -> Decimal | None:
        return self._left(self.project.grant_amount, self.totals.grant)

    @property
    def own_contribution_unplanned(self) -> Decimal | None:
        return self._left(self.project.own_contribution_amount, self.totals.own_contribution)


def budget_plan(project: Project, organisation_ids: Collection[int] | None = None) -> BudgetPlan:
    """The plan of the whole project, or of `organisation_ids` only. Each line carries
    `paid`: what was paid from it to date."""
    partnerships = project.partnerships.select_related("organisation")
    lines = (
        project.budget_lines.select_related("organisation")
        .with_paid(paid=Q())
        .order_by("organisation__short_name", "funding", "category", "pk")
    )
    if organisation_ids is not None:
        partnerships = partnerships.filter(organisation_id__in=organisation_ids)
        lines = lines.filter(organisation_id__in=organisation_ids)
    partners = {p.organisation_id: PartnerPlan(p.organisation) for p in partnerships}
    totals = FundingTotals()
    for line in lines:
        line.paid = paid_amount(line.paid)
        partner = partners.setdefault(line.organisation_id, PartnerPlan(line.organisation))
        partner.lines.append(line)
        partner.totals.add(line)
        totals.add(line)
    return BudgetPlan(project, list(partners.values()), totals, organisation_ids is None)
