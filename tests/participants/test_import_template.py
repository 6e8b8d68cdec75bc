"""The import template (`participants.import_template`): the file a partner fills in
must be the file the import reads, drop-downs included."""

import datetime
import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from participants.import_template import (
    DATA_SHEET,
    FIRST_DATA_ROW,
    HELP_SHEET,
    LAST_DATA_ROW,
    LISTS_SHEET,
    list_values,
    template_xlsx,
)
from participants.imports import (
    COLUMNS,
    HEADERS,
    MAX_ROWS,
    ImportFileError,
    hint_row,
    import_run,
    read_table,
)
from participants.models import (
    SUBSTATUSES_BY_STATUS,
    Enrolment,
    LabourMarketStatus,
    LabourMarketSubstatus,
    Participant,
)
from tests.factories import make_pesel

from .importing import LEADING_ZERO_PESEL, row

LISTED = [c for c in COLUMNS if c.kind in ("choice", "yes_no", "answer")]


@pytest.fixture(scope="module")
def content() -> bytes:
    return template_xlsx()


@pytest.fixture(scope="module")
def workbook(content):
    """The template opened, once for the module: the tests only read it."""
    return load_workbook(io.BytesIO(content))


def filled(content: bytes, data: list[dict]) -> bytes:
    """The template with rows typed in from row 3, saved again, as a partner would."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[DATA_SHEET]
    for number, values in enumerate(data, start=FIRST_DATA_ROW):
        for index, header in enumerate(HEADERS, start=1):
            sheet.cell(row=number, column=index, value=values[header] or None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def list_validation(workbook, column_index: int):
    """The list validation of a column, and the values its range holds."""
    sheet = workbook[DATA_SHEET]
    letter = get_column_letter(column_index)
    found = [
        dv
        for dv in sheet.data_validations.dataValidation
        if dv.type == "list"
        and f"{letter}{FIRST_DATA_ROW}" in dv
        and f"{letter}{LAST_DATA_ROW}" in dv
    ]
    assert len(found) == 1, letter
    sheet_name, cells = found[0].formula1.split("!")
    assert sheet_name.strip("'") == LISTS_SHEET
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    assert min_col == max_col
    lists = workbook[LISTS_SHEET]
    values = [lists.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]
    return found[0], values


# The file -------------------------------------------------------------------------------


def test_the_sheets_are_the_list_the_instructions_and_the_hidden_lists(workbook):
    assert workbook.sheetnames == [DATA_SHEET, HELP_SHEET, LISTS_SHEET]
    assert workbook[DATA_SHEET].sheet_state == "visible"
    assert workbook[HELP_SHEET].sheet_state == "visible"
    assert workbook[LISTS_SHEET].sheet_state == "hidden"


def test_the_header_and_the_hint_row_are_the_imports(workbook):
    sheet = workbook[DATA_SHEET]
    header, hints = sheet[1], sheet[2]
    assert [cell.value for cell in header] == HEADERS
    assert [cell.value or "" for cell in hints] == hint_row()
    assert all(cell.font.b for cell in header)
    assert all(cell.font.i for cell in hints)
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[get_column_letter(i)].width >= 12 for i in range(1, 35))


def test_the_untouched_template_is_a_header_without_participants(content):
    with pytest.raises(ImportFileError) as refused:
        read_table(content, "szablon.xlsx")
    assert str(refused.value) == gettext("The file has a header but no participants.")


@pytest.mark.parametrize("header", ["PESEL", "Kod pocztowy", "Nr budynku", "Telefon"])
def test_columns_whose_digits_matter_are_text_for_every_row(workbook, header):
    sheet = workbook[DATA_SHEET]
    index = HEADERS.index(header) + 1
    for number in (FIRST_DATA_ROW, 500, LAST_DATA_ROW):
        assert sheet.cell(row=number, column=index).number_format == "@"
    assert sheet.column_dimensions[get_column_letter(index)].number_format == "@"
    assert LAST_DATA_ROW - FIRST_DATA_ROW + 1 == MAX_ROWS
    assert sheet.cell(row=FIRST_DATA_ROW, column=HEADERS.index("Imię") + 1).number_format != "@"


def test_date_and_pesel_columns_prompt_what_to_type(workbook):
    sheet = workbook[DATA_SHEET]
    prompted = {
        HEADERS[index - 1]
        for dv in sheet.data_validations.dataValidation
        if dv.prompt
        for index in range(1, len(HEADERS) + 1)
        if f"{get_column_letter(index)}{FIRST_DATA_ROW}" in dv
    }
    dates = {c.header for c in COLUMNS if c.kind == "date"}
    assert prompted == dates | {"PESEL"}


# The drop-downs -------------------------------------------------------------------------


def test_every_column_with_a_list_has_a_drop_down_refusing_other_values(workbook):
    assert {c.header for c in LISTED} >= {"Płeć", "Wykształcenie", "DEGURBA", "Bezdomna"}
    for column in LISTED:
        validation, values = list_validation(workbook, HEADERS.index(column.header) + 1)
        with translation.override("pl"):
            assert values == list_values(column)
        assert validation.showErrorMessage and validation.errorStyle in (None, "stop")
        assert validation.allow_blank
        assert column.header in validation.error and validation.errorTitle
    free = [i for i, c in enumerate(COLUMNS, start=1) if c not in LISTED]
    lists = [dv for dv in workbook[DATA_SHEET].data_validations.dataValidation if dv.type == "list"]
    assert not any(f"{get_column_letter(i)}{FIRST_DATA_ROW}" in dv for i in free for dv in lists)


def test_the_lists_are_polish_whoever_downloads_the_template(workbook):
    with translation.override("en"):
        english = load_workbook(io.BytesIO(template_xlsx()))
    for column in LISTED:
        index = HEADERS.index(column.header) + 1
        assert list_validation(english, index)[1] == list_validation(workbook, index)[1]
    _validation, labels = list_validation(workbook, HEADERS.index("Status na rynku pracy") + 1)
    assert "osoba bierna zawodowo" in labels


def _row_for(column, value: str, number: int) -> dict:
    """A valid row with `value` in `column`, and what that value needs beside it."""
    data = row(number, {"Inny czynnik ryzyka": "samotna matka"})  # at risk whatever else
    data[column.header] = value
    if column.header == "Płeć" and value == "mężczyzna":
        born = datetime.date(1980 + number % 16, 1 + number % 12, 1 + number % 28)
        data["PESEL"] = make_pesel(born, "M", number)
    if column.header == "W tym":
        code = next(c for c, label in column.choices() if label == value)
        status = next(s for s, allowed in SUBSTATUSES_BY_STATUS.items() if code in allowed)
        data["Status na rynku pracy"] = str(LabourMarketStatus(status).label)
    if column.header in (
        "Stopień niepełnosprawności",
        "Niepełnosprawność intelektualna lub sprzężona",
    ):
        data["Osoba z niepełnosprawnościami"] = "Tak"
    return data


def test_every_value_of_every_list_is_accepted_by_the_import(content, world, sw_wicko):
    # the project admits every labour-market status, so that each can be imported
    project = world.lebork
    project.admits_unemployed_registered = project.admits_employed = True
    project.save()
    with translation.override("pl"):
        data = []
        for column in LISTED:
            for value in list_values(column):
                data.append(_row_for(column, value, len(data)))
        assert {str(c.label) for c in LabourMarketSubstatus} <= {r["W tym"] for r in data}

    table = read_table(filled(content, data), "lista.xlsx")
    outcome = import_run(
        user=sw_wicko,
        project=project,
        organisation=world.organisations["OPS Wicko"],
        table=table,
        dry_run=True,
    )

    assert table.numbers == list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(data)))
    assert outcome.errors == []
    assert outcome.new == len(data)


def test_a_filled_template_imports_without_an_error(content, world, sw_wicko):
    data = row(1, {"PESEL": LEADING_ZERO_PESEL, "Data rejestracji": "02.05.2016"})
    table = read_table(filled(content, [data]), "lista.xlsx")
    assert table.numbers == [FIRST_DATA_ROW]  # the hint row is skipped

    outcome = import_run(
        user=sw_wicko,
        project=world.lebork,
        organisation=world.organisations["OPS Wicko"],
        table=table,
        dry_run=False,
    )

    assert (outcome.new, outcome.invalid, outcome.errors) == (1, 0, [])
    person = Participant.objects.get()
    assert person.pesel == LEADING_ZERO_PESEL  # the text column kept the zero
    assert Enrolment.objects.get().status == Enrolment.Status.QUALIFIED


# The instructions ---------------------------------------------------------------------


def test_the_instructions_explain_every_column(workbook):
    sheet = workbook[HELP_SHEET]
    rows = [tuple(cells) for cells in sheet.iter_rows(values_only=True)]
    start = rows.index(("Kolumna", "Wymagana", "Co wpisać")) + 1
    explained = rows[start:]
    assert [r[0] for r in explained] == HEADERS
    assert [r[1] for r in explained] == ["tak" if c.required else "nie" for c in COLUMNS]
    assert all(r[2] for r in explained)
    by_header = {r[0]: r[2] for r in explained}
    assert "osoba bierna zawodowo" in by_header["Status na rynku pracy"]
    assert "dd.mm.rrrr" in by_header["Data rejestracji"]
    assert "10\u00a0000 osób" in " ".join(str(r[0]) for r in rows[:start])
