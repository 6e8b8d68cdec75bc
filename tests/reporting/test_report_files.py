"""The indicators-and-budget report as XLSX and PDF, and its three pages: the figures in
the files are those of `indicators_compute` and `budget_compute`, money stays a number,
and nobody gets a file of more than they may see."""

import datetime
import sys
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook
from pypdf import PdfReader

from participants.models import Enrolment, EnrolmentExit, FollowUp, SocialProgress
from partners.models import Funding
from pathways import services as pathway_services
from pathways.models import Payment
from reporting.budget import budget_compute
from reporting.indicators import indicators_compute
from reporting.report_files import MONEY_FORMAT, met_label, report_pdf, report_xlsx
from reporting.selection import Selection, selection_make
from tests.factories import BudgetLineFactory, EnrolmentFactory, ParticipantFactory

D = datetime.date
CONTRACT = "RPPM.06.01.01-22-0042/16"
BUDGET_HEADINGS = (gettext("Partner"), gettext("Budget category"))


def _enrolment(world, organisation: str, *, sex: str = "K", **changes) -> Enrolment:
    values = {
        "participant": ParticipantFactory(sex=sex, commune=world.communes["Lębork"]),
        "project": world.lebork,
        "recruiting_organisation": world.organisations[organisation],
        "status": Enrolment.Status.IN_SUPPORT,
        "support_start": D(2016, 5, 16),
        "participation_start": D(2016, 5, 16),
        "declaration_signed_on": D(2016, 5, 9),
        "data_protection_signed_on": D(2016, 5, 9),
    }
    return EnrolmentFactory(**(values | changes))


def _pay(
    manager, enrolment, line, amount: str, day: datetime.date, kind=Payment.Kind.TRAVEL_REFUND
):
    return pathway_services.payment_record(
        user=manager,
        payment=Payment(
            enrolment=enrolment,
            kind=kind,
            amount=Decimal(amount),
            paid_on=day,
            period_start=day.replace(day=1),
            period_end=day,
            document_number=f"LP/{day:%Y/%m}",
            budget_line=line,
        ),
    )


@pytest.fixture
def report_world(world, manager):
    """The Lębork project (100 555,00 zł, 89,5% grant) with three people in support (MOPS
    Lębork: a woman and a man; OPS Wicko: a woman), one MOPS finisher with documented
    social progress, three budget lines (17 000,00 zł) and 1 634,56 zł paid:
    MOPS 1 234,56 zł travel (7.2016) and 300,00 zł benefits (8.2016), Wicko 100,00 zł (1.2017)."""
    project = world.lebork
    project.contract_number = CONTRACT
    project.budget_total = Decimal("100555.00")
    project.grant_share, project.own_contribution_share = Decimal("89.50"), Decimal("10.50")
    project.save()
    woman = _enrolment(world, "MOPS Lębork")
    man = _enrolment(world, "MOPS Lębork", sex="M", participation_start=D(2016, 6, 1))
    wicko = _enrolment(world, "OPS Wicko", participation_start=D(2016, 5, 20))
    finisher = _enrolment(
        world, "MOPS Lębork", status=Enrolment.Status.COMPLETED, end_date=D(2016, 12, 1)
    )
    EnrolmentExit.objects.create(enrolment=finisher, completed_pathway=True, recorded_by=manager)
    FollowUp.objects.create(
        enrolment=finisher,
        checked_on=D(2017, 3, 15),
        social_progress=SocialProgress.MOTIVATION,
        social_progress_evidence="Ankieta ex-post",
        recorded_by=manager,
    )
    mops, ops_wicko = world.organisations["MOPS Lębork"], world.organisations["OPS Wicko"]
    travel = BudgetLineFactory(project=project, organisation=mops, category="Koszty dojazdu")
    benefits = BudgetLineFactory(
        project=project,
        organisation=mops,
        category="Zasiłki celowe",
        funding=Funding.OWN_CONTRIBUTION,
        planned_amount=Decimal("2000.00"),
    )
    wicko_travel = BudgetLineFactory(
        project=project, organisation=ops_wicko, planned_amount=Decimal("5000.00")
    )
    _pay(manager, woman, travel, "1234.56", D(2016, 7, 5))
    _pay(manager, man, benefits, "300.00", D(2016, 8, 5), kind=Payment.Kind.BENEFIT)
    _pay(manager, wicko, wicko_travel, "100.00", D(2017, 1, 10))
    return world


def _workbook(selection: Selection):
    stream = BytesIO()
    report_xlsx(selection).save(stream)
    stream.seek(0)
    return load_workbook(stream)


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def _table(sheet, *headings: str) -> list[tuple]:
    """The rows under the table whose first heading cells are `headings`, to a blank row."""
    rows = _rows(sheet)
    start = next(i for i, row in enumerate(rows) if row[: len(headings)] == headings) + 1
    table = []
    for row in rows[start:]:
        if not any(cell is not None for cell in row):
            break
        table.append(row)
    return table


def _money(values) -> tuple:
    """Amounts read back from the workbook (floats) as the Decimals they were."""
    return tuple(Decimal(str(value)) for value in values)


def _by_label(rows: list[tuple]) -> dict:
    return {row[0]: row for row in rows}


def _header(sheet) -> dict:
    return {row[0]: row[1] for row in _rows(sheet)[1:7]}


# XLSX ----------------------------------------------------------------------------------


def test_the_workbook_has_the_indicators_and_the_budget(report_world):
    book = _workbook(Selection(project=report_world.lebork))
    assert book.sheetnames == ["Wskaźniki", "Budżet"]
    for sheet in book.worksheets:
        header = _header(sheet)
        assert header[gettext("Project")] == "Aktywizacja w powiecie lęborskim"
        assert header[gettext("Contract number")] == CONTRACT
        assert header[gettext("Programme / measure")] == "RPO WP 2014–2020 · Działanie 6.1"
        assert header[pgettext("reporting period", "Period")] == "01.04.2016–31.10.2018"
        assert header[gettext("Partner")] == gettext("all partners")
        assert isinstance(header[gettext("Generated on")], datetime.datetime)


def test_the_indicator_values_are_those_computed(report_world):
    selection = Selection(project=report_world.lebork)
    computed = indicators_compute(selection)
    sheet = _workbook(selection)["Wskaźniki"]

    figures = [f for _, group in computed.groups() for f in group]
    table = _table(sheet, gettext("Group"), gettext("Indicator"))
    assert [row[1:5] for row in table] == [
        (capfirst(f.definition.name), f.total, f.women, f.men) for f in figures
    ]
    assert [row[5] for row in table] == [f.definition.text for f in figures]
    assert computed["supported"].total == 4 and computed["supported"].men == 1

    rates = _table(sheet, gettext("Rate"), gettext("Value"))
    assert [row[0] for row in rates] == [str(r.definition.name) for r in computed.rates]
    social = rates[0]
    assert social[1:6] == (100, 34, met_label(True), 1, 1)
    assert rates[1][1:6] == (0, 22, met_label(False), 0, 1)  # inactive at entry, not working
    assert rates[2][1] is None and rates[2][3] == met_label(None)  # nobody counted

    partners = _table(sheet, gettext("Partner"), gettext("Seats"))
    assert [row[:5] for row in partners] == [
        ("MOPS Lębork", 36, 3, 2, 1),
        ("OPS Wicko", 30, 1, 1, 0),
        ("PCPR Lębork", 32, 0, 0, 0),
    ]
    assert partners[0][5] == pytest.approx(8.33)


def test_the_budget_sheet_adds_up_as_the_budget(report_world):
    selection = Selection(project=report_world.lebork)
    budget = budget_compute(selection)
    sheet = _workbook(selection)["Budżet"]
    lines = _table(sheet, *BUDGET_HEADINGS)

    assert [row[:3] for row in lines] == [
        ("MOPS Lębork", "Koszty dojazdu", gettext("grant")),
        ("MOPS Lębork", "Zasiłki celowe", gettext("own contribution")),
        ("MOPS Lębork", gettext("Subtotal"), None),
        ("OPS Wicko", "Koszty dojazdu", gettext("grant")),
        ("OPS Wicko", gettext("Subtotal"), None),
        (gettext("Total"), None, None),
        (gettext("Not yet split into budget lines"), None, None),
    ]
    rows = _by_label(lines)
    totals = budget.totals
    expected = (totals.planned, totals.spent_in_period, totals.spent_to_date, totals.left)
    assert _money(rows[gettext("Total")][3:7]) == expected
    assert expected == _money(["17000.00", "1634.56", "1634.56", "15365.44"])
    assert rows[gettext("Total")][7] == pytest.approx(float(totals.used)) == 9.62
    assert _money(rows[gettext("Not yet split into budget lines")][3:4]) == (Decimal("83555.00"),)
    assert _money(lines[2][3:6]) == _money(["12000.00", "1534.56", "1534.56"])

    sources = _table(sheet, gettext("Source of funds"))
    assert _money(sources[0][1:6]) == _money(["89996.73", "89.5", "15000", "1334.56", "1334.56"])
    assert _money(sources[1][1:6]) == _money(["10558.27", "10.5", "2000", "300", "300"])
    shares = _by_label(_rows(sheet)[-3:])
    assert shares[gettext("Own contribution share reached")][1] == pytest.approx(18.35)
    assert shares[gettext("Own contribution share required")][1] == pytest.approx(10.5)
    assert shares[gettext("Required share reached")][1] == met_label(True)


def test_money_is_a_number_with_the_zloty_format(report_world):
    sheet = _workbook(Selection(project=report_world.lebork))["Budżet"]
    money = [
        cell
        for row in sheet.iter_rows(min_col=4, max_col=7)
        for cell in row
        if cell.number_format == MONEY_FORMAT
    ]
    assert len(money) >= 24
    assert all(cell.data_type == "n" and isinstance(cell.value, int | float) for cell in money)


def test_a_period_counts_its_spending_and_its_people(report_world):
    selection = selection_make(
        user=None, project=report_world.lebork, start=D(2017, 1, 1), end=D(2017, 12, 31)
    )
    book = _workbook(selection)
    assert (
        _header(book["Wskaźniki"])[pgettext("reporting period", "Period")]
        == "01.01.2017–31.12.2017"
    )
    total = _by_label(_table(book["Budżet"], *BUDGET_HEADINGS))[gettext("Total")]
    assert _money(total[4:6]) == _money(["100", "1634.56"])  # in the period, to its end


def test_text_from_the_data_cannot_start_a_formula(report_world):
    BudgetLineFactory(
        project=report_world.lebork,
        organisation=report_world.organisations["PCPR Lębork"],
        category='=HYPERLINK("http://example.com")',
    )
    sheet = _workbook(Selection(project=report_world.lebork))["Budżet"]
    categories = [row[1] for row in _table(sheet, *BUDGET_HEADINGS)]
    assert '\'=HYPERLINK("http://example.com")' in categories
    assert not any(str(c).startswith("=") for c in categories if c)


def test_a_social_worker_gets_their_own_organisation_only(report_world, sw_lebork, login):
    client = login(sw_lebork)
    wicko = report_world.organisations["OPS Wicko"]
    url = reverse("reporting:report_xlsx", args=[report_world.lebork.pk])
    for query in ({}, {"organisation": wicko.pk}):  # asking for another partner changes nothing
        response = client.get(url, query)
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.content))
        partners = _table(book["Wskaźniki"], gettext("Partner"), gettext("Seats"))
        assert [row[:3] for row in partners] == [("MOPS Lębork", 36, 3)]
        lines = _table(book["Budżet"], *BUDGET_HEADINGS)
        assert {row[0] for row in lines} == {"MOPS Lębork", gettext("Total")}
        assert _money(lines[-1][3:4]) == (Decimal("12000.00"),)


def test_the_xlsx_of_a_manager_is_a_download(report_world, manager, login):
    response = login(manager).get(reverse("reporting:report_xlsx", args=[report_world.lebork.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="wskazniki-lebork-{today:%Y-%m-%d}.xlsx"'
    )


# PDF -----------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\xa0", " ")


def test_the_pdf_holds_the_report(report_world):
    content = report_pdf(Selection(project=report_world.lebork))
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert "Aktywizacja w powiecie lęborskim" in text
    assert CONTRACT in text
    assert "Projekt współfinansowany ze środków Unii Europejskiej" in text
    assert gettext("Budget") == "Budżet" and "Budżet" in text
    assert "1 234,56 zł" in text and "17 000,00 zł" in text
    assert "89 996,73 zł" in text
    pages = len(PdfReader(BytesIO(content)).pages)
    assert f"{gettext('page')} 1 {gettext('of')} {pages}" in text


def test_the_pdf_view_sends_the_file(report_world, auditor, login):
    response = login(auditor).get(
        reverse("reporting:report_pdf", args=[report_world.lebork.pk]),
        {"start": "01.01.2017", "end": "31.12.2017"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "01.01.2017–31.12.2017" in _pdf_text(response.content)


def test_without_weasyprint_the_pdf_view_explains(report_world, manager, login, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without pango
    client = login(manager)
    response = client.get(
        reverse("reporting:report_pdf", args=[report_world.lebork.pk]), {"start": "01.01.2017"}
    )
    report = reverse("reporting:report", args=[report_world.lebork.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{report}?start=01.01.2017"
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error" and "PDF" in str(message)


# The pages -----------------------------------------------------------------------------


def test_the_report_page_shows_the_figures_and_the_downloads(report_world, manager, login):
    response = login(manager).get(
        reverse("reporting:report", args=[report_world.lebork.pk]), {"start": "01.05.2016"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aktywizacja w powiecie lęborskim" in page
    assert f"/raporty/projekt/{report_world.lebork.pk}/wskazniki.xlsx?start=01.05.2016" in page
    assert f"/raporty/projekt/{report_world.lebork.pk}/wskazniki.pdf?start=01.05.2016" in page
    assert "1\xa0234,56\xa0zł" in page and "Zasiłki celowe" in page


def test_a_social_workers_page_shows_their_organisation_only(report_world, sw_lebork, login):
    response = login(sw_lebork).get(reverse("reporting:report", args=[report_world.lebork.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "MOPS Lębork" in page and "Zasiłki celowe" in page
    assert "OPS Wicko" not in page and "PCPR Lębork" not in page
    assert 'name="organisation"' not in page  # no partner to choose


@pytest.mark.parametrize("name", ["report", "report_xlsx", "report_pdf"])
def test_another_projects_social_worker_gets_404(report_world, sw_leszno, login, name):
    response = login(sw_leszno).get(reverse(f"reporting:{name}", args=[report_world.lebork.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["report_xlsx", "report_pdf"])
@pytest.mark.parametrize(
    "query",
    [
        {"start": "31.12.2017", "end": "01.01.2017"},  # ends before it starts
        {"start": "31.02.2017"},  # not a date
        {"organisation": "leszno"},  # replaced by OPS Leszno's pk below
    ],
)
def test_a_bad_selection_goes_back_to_the_report(report_world, manager, login, name, query):
    if query.get("organisation") == "leszno":  # not a partner of the project
        query = {"organisation": report_world.organisations["OPS Leszno"].pk}
    client = login(manager)
    response = client.get(reverse(f"reporting:{name}", args=[report_world.lebork.pk]), query)
    assert response.status_code == 302
    report = reverse("reporting:report", args=[report_world.lebork.pk])
    assert response["Location"].startswith(f"{report}?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    [message] = list(page.context["messages"])
    assert message.level_tag == "error"
    assert gettext("The report was not made. %(reasons)s").split("%")[0].strip() in str(message)


def test_a_period_ending_before_it_starts_is_explained(report_world, manager, login):
    client = login(manager)
    response = client.get(
        reverse("reporting:report_xlsx", args=[report_world.lebork.pk]),
        {"start": "31.12.2017", "end": "01.01.2017"},
        follow=True,
    )
    [message] = list(response.context["messages"])
    assert gettext("The period cannot end before it starts.") in str(message)
    assert response.redirect_chain[0][0].endswith("?start=31.12.2017&end=01.01.2017")
