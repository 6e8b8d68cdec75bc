"""The dashboard (pulpit) of a project, and the page that defines its indicators."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from partners.views import get_project_for_user

from . import charts
from .budget import budget_compute
from .forms import selection_from_request
from .indicators import DEFINITIONS, RATES, Figure, Group, Indicators, indicators_compute
from .selection import Selection
from .selectors import enrolments_by_month, pathway_funnel

#: The indicator groups shown as cards; the effectiveness group is shown as its rates.
CARD_GROUPS = (Group.OUTPUT, Group.RESULT)
#: Chart widths in SVG units for a half-width and a full-width column (text stays ~13 px).
HALF, FULL = 500, 1040


def _cards(indicators: Indicators) -> list[tuple[str, list[Figure]]]:
    return [
        (label, figures)
        for (label, figures), group in zip(indicators.groups(), Group.LABELS, strict=True)
        if group in CARD_GROUPS
    ]


def _figures(selection: Selection) -> dict:
    """Everything the dashboard shows for a valid selection: a fixed number of queries."""
    indicators = indicators_compute(selection)
    budget = budget_compute(selection)
    monthly = enrolments_by_month(selection)
    quotas = [
        charts.BarRow(p.organisation.short_name, p.supported, p.seats) for p in indicators.partners
    ]
    spending = [
        charts.BarRow(p.organisation.short_name, p.totals.spent_to_date, p.totals.planned)
        for p in budget.partners
    ]
    lines = [(_("registered"), monthly.registered), (_("started participation"), monthly.started)]
    stages = [(stage.label, stage.count) for stage in pathway_funnel(selection)]
    return {
        "indicators": indicators,
        "cards": _cards(indicators),
        "budget": budget,
        "quota_chart": charts.bar_chart(quotas, width=HALF),
        "budget_chart": charts.bar_chart(spending, width=FULL),
        "enrolment_chart": charts.line_chart(lines, monthly.months, width=FULL, height=300),
        "funnel_chart": charts.funnel(stages, width=HALF),
    }


def dashboard(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk)
    form = selection_from_request(request, project)
    context = {"project": project, "form": form, "selection": form.selection}
    if form.selection is not None:
        context.update(_figures(form.selection))
    return render(request, "reporting/dashboard.html", context)


def indicators_help(request: HttpRequest) -> HttpResponse:
    groups = [
        (label, [d for d in DEFINITIONS if d.group == group])
        for group, label in Group.LABELS.items()
    ]
    return render(request, "reporting/help.html", {"groups": groups, "rates": RATES})
