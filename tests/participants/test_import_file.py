"""Reading a participant list (`participants.imports.read_table`): what spreadsheets do
to data, each turned into a clear message."""

import datetime
import io
import zipfile

import pytest
from django.utils.translation import gettext

from participants.imports import (
    HEADERS,
    MAX_ROWS,
    ImportFileError,
    RowError,
    hint_row,
    import_run,
    read_table,
)
from participants.models import Enrolment, Participant

from .importing import LEADING_ZERO_PESEL, csv_bytes, row, rows, xlsx_bytes, xlsx_table

NOT_A_SPREADSHEET = "The file is not a spreadsheet: save it as XLSX or CSV."
EMPTY = "The file is empty."
NO_PARTICIPANTS = "The file has a header but no participants."


def refusal(content: bytes, file_name: str) -> str:
    with pytest.raises(ImportFileError) as refused:
        read_table(content, file_name)
    return str(refused.value)


def wrong_header(problems: str) -> str:
    return gettext(
        "The first row is not the template's header (%(problems)s). "
        "Download the template and copy the data into it."
    ) % {"problems": problems}


@pytest.fixture
def run(world, sw_wicko):
    def _run(table, dry_run=True):
        return import_run(
            user=sw_wicko,
            project=world.lebork,
            organisation=world.organisations["OPS Wicko"],
            table=table,
            dry_run=dry_run,
        )

    return _run


# Files that are not a participant list ------------------------------------------------


@pytest.mark.parametrize(
    ("content", "file_name"),
    [
        (b"", "lista.csv"),
        (b"", "lista.xlsx"),
        (b"\r\n;;;\r\n  ;\r\n", "lista.csv"),
        (xlsx_bytes([]), "lista.xlsx"),
        (xlsx_bytes([[None, "  "]]), "lista.xlsx"),
    ],
)
def test_an_empty_file_is_refused(content, file_name):
    assert refusal(content, file_name) == gettext(EMPTY)


@pytest.mark.parametrize(
    ("content", "file_name"),
    [(csv_bytes([]), "lista.csv"), (xlsx_bytes([HEADERS]), "lista.xlsx")],
)
def test_a_header_alone_is_refused(content, file_name):
    assert refusal(content, file_name) == gettext(NO_PARTICIPANTS)


def test_a_missing_required_column_is_named():
    header = [h for h in HEADERS if h != "Gmina"]
    content = xlsx_bytes([header, [row()[h] for h in header]])
    problems = gettext("missing columns: %(columns)s") % {"columns": "Gmina"}
    assert refusal(content, "lista.xlsx") == wrong_header(problems)


def test_an_unknown_and_a_repeated_column_are_named():
    header = [*HEADERS, "Wiek", "telefon", "Uwagi", "wiek"]
    content = xlsx_bytes([header, [*(row()[h] for h in HEADERS), 30, "500", "", 31]])
    problems = "; ".join(
        [
            gettext("unknown columns: %(columns)s") % {"columns": "Wiek, Uwagi"},
            gettext("repeated columns: %(columns)s") % {"columns": "Telefon, Wiek"},
        ]
    )
    assert refusal(content, "lista.xlsx") == wrong_header(problems)


def test_a_header_in_other_letter_case_with_optional_columns_left_out_is_read():
    kept = [h for h in HEADERS if h not in ("E-mail", "Ulica", "Nr lokalu")]
    data = row()
    content = xlsx_bytes([[f" {h.upper()} " for h in kept], [data[h] for h in kept]])
    table = read_table(content, "lista.xlsx")
    assert table.numbers == [2]
    assert table.rows[0]["PESEL"] == data["PESEL"]
    assert "E-mail" not in table.rows[0]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize("file_name", ["lista.xlsx", "lista.csv", "LISTA.CSV"])
@pytest.mark.parametrize("content", [PNG, bytes(range(256)) * 16], ids=["png", "every byte"])
def test_a_binary_is_not_a_spreadsheet(content, file_name):
    assert refusal(content, file_name) == gettext(NOT_A_SPREADSHEET)


def test_an_utf16_text_is_not_taken_for_a_spreadsheet():
    content = ";".join(HEADERS).encode("utf-16")
    assert refusal(content, "lista.csv") == gettext(NOT_A_SPREADSHEET)


def test_a_zip_that_is_not_a_workbook_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("lista.txt", "PESEL;Imię")
    assert refusal(archive.getvalue(), "lista.xlsx") == gettext(
        "The file cannot be opened as an XLSX workbook: save it again from the spreadsheet."
    )


def test_another_kind_of_file_is_refused_by_its_name():
    assert refusal(b"%PDF-1.4 lista", "lista.pdf") == gettext(
        "Choose an XLSX or CSV file (the file name ends with .xlsx or .csv)."
    )


def test_a_50_mb_file_is_refused_with_its_size_and_the_limit():
    content = b"a" * (50 * 1024 * 1024)
    expected = gettext(
        "The file has %(size)s MB; the limit is %(limit)s MB. Split it into smaller files."
    ) % {"size": "50,0", "limit": 10}
    assert refusal(content, "lista.csv") == expected
    assert refusal(content, "lista.xlsx") == expected


def _many_rows(count: int) -> bytes:
    line = ";".join(row()[h] for h in HEADERS)
    return csv_bytes([]) + (line + "\r\n").encode() * count


def test_more_rows_than_the_limit_are_refused():
    expected = gettext(
        "The file has %(count)d rows; the limit is %(limit)d. Split it into smaller files."
    ) % {"count": MAX_ROWS + 1, "limit": MAX_ROWS}
    assert refusal(_many_rows(MAX_ROWS + 1), "lista.csv") == expected


def test_the_limit_itself_is_read():
    assert len(read_table(_many_rows(MAX_ROWS), "lista.csv")) == MAX_ROWS


# CSV as spreadsheets save it -----------------------------------------------------------

POLISH = {"Imię": "Gęś", "Nazwisko": "Żółć", "Miejscowość": "Łódź", "Gmina": "Lębork"}


def test_a_windows_1250_csv_keeps_the_polish_letters(run):
    data = [row(1, POLISH)]
    content = csv_bytes(data, encoding="cp1250")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # a real Windows-1250 file, not UTF-8 in disguise
    table = read_table(content, "lista.csv")
    assert table.rows == data

    outcome = run(table, dry_run=False)
    assert outcome.ok, outcome.errors
    person = Participant.objects.get()
    assert (person.first_name, person.last_name, person.town) == ("Gęś", "Żółć", "Łódź")
    assert person.commune.name == "Lębork"


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8-sig"), (",", "utf-8-sig"), (",", "cp1250")],
)
def test_comma_separated_and_bom_files_are_read(delimiter, encoding):
    data = rows(3, POLISH | {"Ulica": "Długa, róg Krótkiej"})
    table = read_table(csv_bytes(data, delimiter=delimiter, encoding=encoding), "lista.csv")
    assert table.rows == data
    assert table.numbers == [2, 3, 4]


def test_a_pesel_that_lost_its_leading_zero_is_a_row_error(run):
    data = row(1, {"PESEL": LEADING_ZERO_PESEL[1:]})
    outcome = run(read_table(csv_bytes([data]), "lista.csv"))
    assert outcome.errors == [
        RowError(
            2,
            "PESEL",
            gettext(
                "The PESEL has %(count)d digits: the spreadsheet probably dropped its leading "
                "zero. Format the PESEL column as text and type the 11 digits again."
            )
            % {"count": 10},
        )
    ]


def test_a_pesel_in_scientific_notation_is_a_row_error(run):
    data = row(1, {"PESEL": "8,03151E+10"})
    outcome = run(read_table(csv_bytes([data]), "lista.csv"))
    assert outcome.errors == [
        RowError(
            2,
            "PESEL",
            gettext(
                "The PESEL is written in scientific notation: format the PESEL column as text "
                "and type the 11 digits again."
            ),
        )
    ]
    assert "8,03151" not in outcome.errors[0].message  # no part of a PESEL in the record


@pytest.mark.parametrize("written", ["2 maja 2016", "02.05.16", "2016/05/02", "31.02.2016"])
def test_a_date_in_an_unknown_format_is_a_row_error(run, written):
    data = row(1, {"Data rejestracji": written})
    outcome = run(read_table(csv_bytes([data]), "lista.csv"))
    assert outcome.errors == [
        RowError(
            2,
            "Data rejestracji",
            gettext("“%(value)s” is not a date: write it as dd.mm.rrrr, e.g. 05.03.2016.")
            % {"value": written},
        )
    ]


@pytest.mark.parametrize("written", ["02.05.2016", "2016-05-02", "02-05-2016", "02/05/2016"])
def test_the_usual_date_formats_are_read(run, written):
    outcome = run(
        read_table(csv_bytes([row(1, {"Data rejestracji": written})]), "lista.csv"), False
    )
    assert outcome.ok, outcome.errors
    assert Enrolment.objects.get().registered_on == datetime.date(2016, 5, 2)


# XLSX as spreadsheets save it ----------------------------------------------------------


def test_a_pesel_stored_as_a_number_is_a_row_error(run):
    data = row(1)
    outcome = run(xlsx_table([data | {"PESEL": int(data["PESEL"])}]))
    assert outcome.errors == [
        RowError(
            2,
            "PESEL",
            gettext(
                "The PESEL is stored as a number, so a leading zero may be lost: format the "
                "PESEL column as text and type the 11 digits again."
            ),
        )
    ]


def test_date_and_number_cells_are_read(run):
    data = row(1) | {
        "Data rejestracji": datetime.datetime(2016, 5, 2),
        "Data urodzenia": datetime.date(1981, 2, 2),
        "DEGURBA": 3,
        "Nr budynku": 12,
        "Telefon": 600100200,
    }
    outcome = run(xlsx_table([data]), dry_run=False)
    assert outcome.ok, outcome.errors
    enrolment = Enrolment.objects.select_related("participant").get()
    assert enrolment.registered_on == datetime.date(2016, 5, 2)
    person = enrolment.participant
    assert (person.birth_date, person.degurba, person.building_number, person.phone) == (
        datetime.date(1981, 2, 2),
        3,
        "12",
        "600100200",
    )


def test_rows_are_numbered_as_the_spreadsheet_shows_them(run):
    first, second = row(1), row(2, {"Data rejestracji": "wczoraj"})
    content = xlsx_bytes(
        [
            [],
            [*HEADERS],
            [],
            [first[h] for h in HEADERS],
            [None] * 3,
            [second[h] for h in HEADERS],
        ]
    )
    table = read_table(content, "lista.xlsx")
    assert table.numbers == [4, 6]
    assert [(e.row, e.column) for e in run(table).errors] == [(6, "Data rejestracji")]


def test_an_edited_hint_row_is_read_as_a_participant():
    hints = hint_row()
    hints[1] = "Anna"
    table = read_table(xlsx_bytes([HEADERS, hints, [row()[h] for h in HEADERS]]), "lista.xlsx")
    assert table.numbers == [2, 3]


def test_an_unchanged_hint_row_is_skipped_even_without_optional_columns():
    kept = [i for i, h in enumerate(HEADERS) if h != "E-mail"]
    hints = hint_row()
    data = [
        [HEADERS[i] for i in kept],
        [hints[i] for i in kept],
        [row()[HEADERS[i]] for i in kept],
    ]
    assert read_table(xlsx_bytes(data), "lista.xlsx").numbers == [3]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(monkeypatch):
    import participants.imports as imports

    content = xlsx_bytes([HEADERS, list(row(0).values())])
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1000)  # the real file is ~20 kB inside
    opened = []
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: opened.append(1))
    with pytest.raises(ImportFileError, match="Po rozpakowaniu skoroszyt ma ponad 0 MB"):
        read_table(content, "lista.xlsx")
    assert opened == []
