"""Writes of a project's set-up done in the app (not only in the Django admin).

Each service checks the permission, validates every rule of the model and saves
with the history naming the user (`aktywizacja.services`). Payments belong to
`pathways`; this app reaches them only through the reverse relation
`BudgetLine.payments`, never by import.
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aktywizacja.services import require, save
from aktywizacja.templatetags.fmt import money

from .models import BudgetLine, paid_amount

MANAGE_BUDGET = "partners.manage_budget"


def budget_line_paid(line: BudgetLine) -> Decimal:
    """What was already paid from the line, to the grosz."""
    paid = BudgetLine.objects.filter(pk=line.pk).with_paid(paid=Q()).values_list("paid", flat=True)
    return paid_amount(paid.get())


@transaction.atomic
def budget_line_save(*, user, line: BudgetLine) -> BudgetLine:
    """Add or change a line of the project's budget plan.

    Once money was paid from a line, its partner and source of funds are fixed (each
    payment copied them), and its plan may not fall below what was paid."""
    require(user, MANAGE_BUDGET, line.project)
    if line.pk is not None:
        stored = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if stored.project_id != line.project_id:
            require(user, MANAGE_BUDGET, stored.project)
        budget_line_check(line, stored=stored)
    save(line, user)
    return line


def budget_line_check(line: BudgetLine, *, stored: BudgetLine | None = None) -> None:
    """The rules of a changed line against what was paid from it (ValidationError);
    forms that edit lines call it to show them before saving."""
    if line.pk is None:
        return
    stored = stored or BudgetLine.objects.get(pk=line.pk)
    if stored.payments.exists():
        _keep_what_payments_fixed(stored, line)


def _keep_what_payments_fixed(stored: BudgetLine, line: BudgetLine) -> None:
    if (stored.project_id, stored.organisation_id, stored.funding) != (
        line.project_id,
        line.organisation_id,
        line.funding,
    ):
        message = _(
            "This line already has payments: its partner and source of funds cannot change."
        )
        raise ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="has_payments")})
    paid = budget_line_paid(stored)
    if line.planned_amount is not None and line.planned_amount < paid:
        message = _("The plan cannot be lower than what was already paid (%(paid)s).")
        error = ValidationError(message, code="below_paid", params={"paid": money(paid)})
        raise ValidationError({"planned_amount": error})


@transaction.atomic
def budget_line_delete(*, user, line: BudgetLine) -> None:
    """Delete a line that nothing was paid from yet; the history keeps its last state."""
    require(user, MANAGE_BUDGET, line.project)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.payments.exists():
        message = _("This line already has payments: it cannot be deleted.")
        raise ValidationError(message, code="has_payments")
    line._history_user = user
    line.delete()
