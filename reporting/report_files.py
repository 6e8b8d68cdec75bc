"""The indicators-and-budget report as files for the funder: an XLSX workbook and a PDF.

Both read the same figures as the screen (`indicators_compute`, `budget_compute`) for
one `Selection`, so a file never shows more than its reader may see. In the workbook
money and percentages are numbers with a display format (the funder's staff add them
up); every text that comes from our data goes through `neutralise`, so that no cell
can start a formula.
"""

import datetime
import logging
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .budget import Budget, Totals, budget_compute
from .exports import neutralise
from .indicators import Indicators, indicators_compute
from .selection import Selection

MONEY_FORMAT = '#,##0.00 "zł"'
PERCENT_FORMAT = '0.00"%"'
DATE_FORMAT = "dd.mm.yyyy"
BOLD = Font(bold=True)


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (pango) are not installed."""


# Cells -------------------------------------------------------------------------------


def _text(sheet, value, *, bold: bool = False):
    """A text cell of our data: neutralised, so that it cannot start a formula."""
    cell = WriteOnlyCell(sheet, value=neutralise("" if value is None else str(value)))
    if bold:
        cell.font = BOLD
    return cell


def _number(sheet, value, number_format: str | None = None, *, bold: bool = False):
    cell = WriteOnlyCell(sheet, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _money(sheet, value: Decimal | None, *, bold: bool = False):
    return _number(sheet, value, MONEY_FORMAT, bold=bold)


def _percent(sheet, value: Decimal | None, *, bold: bool = False):
    return _number(sheet, value, PERCENT_FORMAT, bold=bold)


def _heading(sheet, *labels) -> list:
    return [_text(sheet, label, bold=True) for label in labels]


def met_label(met: bool | None) -> str:
    """Whether a threshold is reached, as the report says it."""
    if met is None:
        return _("not applicable")
    return _("yes") if met else _("no")


def _width(sheet, widths: list[int]) -> None:
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[letter].width = width


# Sheets ------------------------------------------------------------------------------


def _header_rows(sheet, selection: Selection, today: datetime.date) -> None:
    """What the report is about: the same block at the top of each sheet."""
    project = selection.project
    programme = " · ".join(part for part in (project.programme, project.measure) if part)
    partner = selection.organisation.short_name if selection.organisation else _("all partners")
    sheet.append([_text(sheet, _("Indicators and budget"), bold=True)])
    for label, value in [
        (_("Project"), project.title),
        (_("Contract number"), project.contract_number),
        (_("Programme / measure"), programme),
        (pgettext("reporting period", "Period"), selection.period_label()),
        (_("Partner"), partner),
    ]:
        sheet.append([_text(sheet, label, bold=True), _text(sheet, value)])
    sheet.append([_text(sheet, _("Generated on"), bold=True), _number(sheet, today, DATE_FORMAT)])
    sheet.append([])


def _indicators_sheet(sheet, indicators: Indicators, today: datetime.date) -> None:
    _width(sheet, [34, 52, 12, 12, 12, 80])
    _header_rows(sheet, indicators.selection, today)
    sheet.append(
        _heading(
            sheet, _("Group"), _("Indicator"), _("Total"), _("Women"), _("Men"), _("Definition")
        )
    )
    for label, figures in indicators.groups():
        for figure in figures:
            sheet.append(
                [
                    _text(sheet, label),
                    _text(sheet, capfirst(figure.definition.name)),
                    figure.total,
                    figure.women,
                    figure.men,
                    _text(sheet, figure.definition.text),
                ]
            )
    sheet.append([])
    sheet.append(
        _heading(
            sheet,
            _("Rate"),
            _("Value"),
            _("Threshold"),
            _("Threshold met"),
            _("Numerator"),
            _("Denominator"),
        )
    )
    for rate in indicators.rates:
        sheet.append(
            [
                _text(sheet, rate.definition.name),
                _percent(sheet, rate.value),
                _percent(sheet, rate.threshold),
                _text(sheet, met_label(rate.met)),
                rate.numerator,
                rate.denominator,
            ]
        )
    sheet.append([])
    sheet.append(
        _heading(
            sheet, _("Partner"), _("Seats"), _("Supported"), _("Women"), _("Men"), _("Seats filled")
        )
    )
    for row in indicators.partners:
        sheet.append(
            [
                _text(sheet, row.organisation.short_name),
                row.seats,
                row.supported,
                row.women,
                row.men,
                _percent(sheet, row.fill),
            ]
        )


def _money_row(sheet, first: list, totals: Totals, *, bold: bool = False) -> list:
    return [
        *first,
        _money(sheet, totals.planned, bold=bold),
        _money(sheet, totals.spent_in_period, bold=bold),
        _money(sheet, totals.spent_to_date, bold=bold),
        _money(sheet, totals.left, bold=bold),
        _percent(sheet, totals.used, bold=bold),
    ]


def _budget_sheet(sheet, budget: Budget, today: datetime.date) -> None:
    _width(sheet, [34, 40, 20, 18, 18, 18, 18, 12])
    _header_rows(sheet, budget.selection, today)
    sheet.append(
        _heading(
            sheet,
            _("Partner"),
            _("Budget category"),
            _("Funded from"),
            _("Planned"),
            _("Spent in the period"),
            _("Spent to date"),
            _("Left"),
            _("Used"),
        )
    )
    for partner in budget.partners:
        name = partner.organisation.short_name
        for row in partner.rows:
            first = [
                _text(sheet, name),
                _text(sheet, row.line.category),
                _text(sheet, row.line.get_funding_display()),
            ]
            sheet.append(_money_row(sheet, first, row))
        subtotal = [_text(sheet, name, bold=True), _text(sheet, _("Subtotal"), bold=True), None]
        sheet.append(_money_row(sheet, subtotal, partner.totals, bold=True))
    total = [_text(sheet, _("Total"), bold=True), None, None]
    sheet.append(_money_row(sheet, total, budget.totals, bold=True))
    if budget.unallocated is not None:
        label = _text(sheet, _("Not yet split into budget lines"))
        sheet.append([label, None, None, _money(sheet, budget.unallocated)])

    project = budget.project
    sheet.append([])
    sheet.append(
        _heading(
            sheet,
            _("Source of funds"),
            _("Project budget"),
            _("Share of the project budget"),
            _("Planned in budget lines"),
            _("Spent in the period"),
            _("Spent to date"),
        )
    )
    for label, amount, share, totals in [
        (_("grant"), project.grant_amount, project.grant_share, budget.grant),
        (
            _("own contribution"),
            project.own_contribution_amount,
            project.own_contribution_share,
            budget.own_contribution,
        ),
    ]:
        sheet.append(
            [
                _text(sheet, label),
                _money(sheet, amount),
                _percent(sheet, share),
                _money(sheet, totals.planned),
                _money(sheet, totals.spent_in_period),
                _money(sheet, totals.spent_to_date),
            ]
        )
    sheet.append([])
    for label, value in [
        (_("Own contribution share reached"), budget.own_contribution_share),
        (_("Own contribution share required"), project.own_contribution_share),
    ]:
        sheet.append([_text(sheet, label, bold=True), _percent(sheet, value)])
    sheet.append(
        [
            _text(sheet, _("Required share reached"), bold=True),
            _text(sheet, met_label(budget.own_contribution_share_met)),
        ]
    )


def report_xlsx(selection: Selection, workbook: Workbook | None = None) -> Workbook:
    """Add the sheets "Wskaźniki" and "Budżet" to `workbook` (a new one when None; a
    write-only workbook works too) and return it, unsaved."""
    if workbook is None:
        workbook = Workbook()
        workbook.remove(workbook.active)
    today = timezone.localdate()
    _indicators_sheet(workbook.create_sheet("Wskaźniki"), indicators_compute(selection), today)
    _budget_sheet(workbook.create_sheet("Budżet"), budget_compute(selection), today)
    return workbook


def report_xlsx_bytes(selection: Selection) -> bytes:
    stream = BytesIO()
    report_xlsx(selection).save(stream)
    return stream.getvalue()


# PDF ---------------------------------------------------------------------------------


def report_pdf(selection: Selection) -> bytes:
    """The report as an A4 PDF. Raises `PdfUnavailable` when WeasyPrint cannot run."""
    # WeasyPrint reports each step of its work at INFO: noise in the logs and in the
    # mail cron sends for every scheduled export. Its warnings still come through.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        # Imported here: the app runs (and the other reports work) without pango.
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "selection": selection,
            "project": selection.project,
            "indicators": indicators_compute(selection),
            "budget": budget_compute(selection),
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
