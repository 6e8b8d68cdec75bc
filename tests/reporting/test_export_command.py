"""`manage.py export_funder_report`: the scheduled export for the intermediate body.
Each format writes a whole, valid file; every error is a CommandError that leaves
no file (not even half of one) behind."""

import csv
import sys
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting.funder import FUNDER_COLUMNS
from tests.reporting.test_report_files import CONTRACT, report_world  # noqa: F401


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_funder_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "eksport"
    folder.mkdir()
    return folder


def test_csv_is_the_participant_list(report_world, out_dir):  # noqa: F811
    target = out_dir / "uczestnicy.csv"
    summary = export("--project", "lebork", "--format", "csv", "--out", str(target))
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[0] == list(FUNDER_COLUMNS)
    assert len(rows) == 1 + 4  # everyone whose participation started
    assert "4" in summary and str(target) in summary
    assert list(out_dir.iterdir()) == [target]


def test_xlsx_holds_the_participants_the_indicators_and_the_budget(report_world, out_dir):  # noqa: F811
    target = out_dir / "raport.xlsx"
    export("--project", "lebork", "--format", "xlsx", "--out", str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["Uczestnicy", "Wskaźniki", "Budżet"]
    assert book["Uczestnicy"].max_row == 1 + 4
    header = [row[:2] for row in book["Wskaźniki"].iter_rows(max_row=7, values_only=True)]
    assert (gettext("Contract number"), CONTRACT) in header


def test_pdf_is_the_report(report_world, out_dir):  # noqa: F811
    target = out_dir / "raport.pdf"
    summary = export("--project", "lebork", "--format", "pdf", "--out", str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert CONTRACT in text
    assert str(target) in summary


@pytest.mark.parametrize(
    ("start", "end"), [("01.06.2016", "31.12.2016"), ("2016-06-01", "2016-12-31")]
)
def test_a_period_and_a_partner(report_world, out_dir, start, end):  # noqa: F811
    target = out_dir / "mops.xlsx"
    export(
        "--project", "lebork", "--format", "xlsx", "--out", str(target),
        "--from", start, "--to", end, "--partner", "MOPS Lębork",
    )  # fmt: skip
    book = load_workbook(target)
    header = {row[0]: row[1] for row in book["Wskaźniki"].iter_rows(max_row=7, values_only=True)}
    assert header[pgettext("reporting period", "Period")] == "01.06.2016–31.12.2016"
    assert header[gettext("Partner")] == "MOPS Lębork"
    assert book["Uczestnicy"].max_row == 1 + 3  # MOPS's three, all still taking part
    partners = {row[0] for row in book["Budżet"].iter_rows(min_row=9, values_only=True)}
    assert "OPS Wicko" not in partners and "MOPS Lębork" in partners


def test_the_file_replaces_an_older_export(report_world, out_dir):  # noqa: F811
    target = out_dir / "raport.pdf"
    target.write_bytes(b"last month's")
    export("--project", "lebork", "--format", "pdf", "--out", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert list(out_dir.iterdir()) == [target]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "nie-ma"], "nie-ma"),
        (["--partner", "MOPS Nieznany"], "MOPS Nieznany"),
        (["--partner", "OPS Leszno"], "This organisation is not a partner of the project."),
        (["--from", "31.02.2017"], "31.02.2017"),
        (["--to", "2017/03/31"], "2017/03/31"),
        (["--from", "01.04.2017", "--to", "31.03.2017"], "The period cannot end before it starts."),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_bad_arguments_are_refused(report_world, out_dir, args, message, file_format):  # noqa: F811
    options = {"--project": "lebork", "--format": file_format, "--out": str(out_dir / "r")}
    command = [part for pair in options.items() for part in pair if pair[0] not in args]
    with pytest.raises(CommandError) as refused:
        export(*command, *args)
    assert gettext(message) in str(refused.value)
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_participants_no_file(report_world, out_dir, file_format):  # noqa: F811
    target = out_dir / f"leszno.{file_format}"
    with pytest.raises(CommandError) as refused:
        export("--project", "leszno", "--format", file_format, "--out", str(target))
    assert gettext("There are no participants to export; no file was written.") in str(
        refused.value
    )
    assert list(out_dir.iterdir()) == []


def test_an_unwritable_path_is_refused(report_world, tmp_path):  # noqa: F811
    target = tmp_path / "nie-ma-katalogu" / "raport.pdf"
    with pytest.raises(CommandError) as refused:
        export("--project", "lebork", "--format", "pdf", "--out", str(target))
    assert str(target) in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_is_not_overwritten(report_world, out_dir):  # noqa: F811
    (out_dir / "raport.pdf").mkdir()
    with pytest.raises(CommandError):
        export("--project", "lebork", "--format", "pdf", "--out", str(out_dir / "raport.pdf"))
    assert [p.name for p in out_dir.iterdir()] == ["raport.pdf"]


def test_without_weasyprint_the_pdf_is_refused(report_world, out_dir, monkeypatch):  # noqa: F811
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(CommandError) as refused:
        export("--project", "lebork", "--format", "pdf", "--out", str(out_dir / "r.pdf"))
    assert "PDF" in str(refused.value)
    assert list(out_dir.iterdir()) == []


def test_it_runs_as_the_system_for_a_period_without_support(report_world, out_dir):  # noqa: F811
    """No user: the whole project; a period after the support (the year of the
    follow-ups) simply has no figures."""
    after = report_world.lebork.end_date.year + 1
    target = out_dir / "pusty.pdf"
    export(
        "--project", "lebork", "--format", "pdf", "--out", str(target),
        "--from", f"01.01.{after}",
    )  # fmt: skip
    assert target.read_bytes().startswith(b"%PDF")


def test_a_period_far_outside_the_project_is_refused(report_world, out_dir):  # noqa: F811
    with pytest.raises(CommandError, match="z lat trwania projektu"):
        export(
            "--project", "lebork", "--format", "pdf", "--out", str(out_dir / "x.pdf"),
            "--from", "01.01.0201",
        )  # fmt: skip
    assert list(out_dir.iterdir()) == []
