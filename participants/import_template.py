"""The import template: the XLSX a partner downloads, fills in and uploads.

It is written from `imports.COLUMNS`, so that the file and the import cannot drift
apart: the header row the import expects, the hint row it skips, and for every
column whose value comes from a list a drop-down with exactly the Polish labels the
import accepts. Columns whose digits matter (PESEL, postcode, numbers) are
formatted as text, so that a spreadsheet keeps leading zeros. Like the headers, the
texts of the file are Polish: they are its content, not the application's screens.
"""

from io import BytesIO

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import imports
from .imports import ANSWER_LABELS, COLUMNS, HEADERS, MAX_BYTES, MAX_ROWS, NO, YES, Column

DATA_SHEET = "Uczestnicy"
HELP_SHEET = "Instrukcja"
LISTS_SHEET = "Listy"
FIRST_DATA_ROW = 3  # under the header and the hint row
LAST_DATA_ROW = FIRST_DATA_ROW + MAX_ROWS - 1
#: typed into a General cell, these would lose leading zeros or turn into dates
TEXT_FIELDS = ("pesel", "postcode", "building_number", "flat_number", "phone")
TEXT = "@"

BOLD = Font(bold=True)
HINT = Font(italic=True, color="808080")
WRAP = Alignment(wrap_text=True, vertical="top")


def list_values(column: Column) -> list[str]:
    """The values offered in a column's drop-down: the labels the import reads
    (`imports._choice`, `_yes_no`, `_answer`), in Polish. Empty for a free column."""
    if column.kind == "choice":
        return [label for _code, label in column.choices()]
    if column.kind == "yes_no":
        return [YES, NO]
    if column.kind == "answer":
        return list(ANSWER_LABELS.values())
    return []


def template_xlsx() -> bytes:
    """The template as the bytes of an XLSX file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    help_sheet = workbook.create_sheet(HELP_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    # The labels of the lists are those of the Polish file, whoever downloads it.
    with translation.override("pl"):
        _write_header(sheet)
        _write_lists(sheet, lists)
        _write_prompts(sheet)
        _write_help(help_sheet)

    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_header(sheet) -> None:
    sheet.append(HEADERS)
    sheet.append(imports.hint_row())
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = WRAP
    for cell in sheet[2]:
        cell.font = HINT
        cell.alignment = WRAP
    sheet.freeze_panes = "A2"  # the header stays in view
    sheet.row_dimensions[1].height = 48  # headers and hints wrap onto up to three lines
    sheet.row_dimensions[2].height = 48
    for index, (column, hint) in enumerate(zip(COLUMNS, imports.hint_row(), strict=True), 1):
        letter = get_column_letter(index)
        wrapped = max(len(column.header), len(hint)) // 2
        widest = max([wrapped, 11, *(len(v) for v in list_values(column))])
        sheet.column_dimensions[letter].width = min(widest + 3, 45)
        if column.field in TEXT_FIELDS:
            # The column's style for what is typed below, and each cell of the rows
            # the import takes, which every spreadsheet honours.
            sheet.column_dimensions[letter].number_format = TEXT
            for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
                sheet.cell(row=row, column=index).number_format = TEXT


def _write_lists(sheet, lists) -> None:
    """A drop-down for each column with a list. The values stand on the hidden sheet
    "Listy" (an inline list is limited to 255 characters and cannot hold commas);
    columns with the same values share one range."""
    ranges: dict[tuple[str, ...], str] = {}
    for index, column in enumerate(COLUMNS, start=1):
        values = tuple(list_values(column))
        if not values:
            continue
        if values not in ranges:
            list_column = len(ranges) + 1
            letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.header).font = BOLD
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_column, value=value)
            ranges[values] = (
                f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            )
        validation = DataValidation(
            type="list",
            formula1=ranges[values],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Wartość spoza listy",
            error=f"W kolumnie „{column.header}” wybierz wartość z listy.",
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
        sheet.add_data_validation(validation)


def _write_prompts(sheet) -> None:
    """What to type, shown beside the selected cell, for the columns spreadsheets
    spoil most often: dates and the PESEL (no restriction, a hint only)."""
    prompts = {
        "date": ("Data", "Wpisz datę jako dd.mm.rrrr, np. 05.03.2016."),
        "pesel": ("PESEL", "Wpisz 11 cyfr; kolumna jest tekstowa, zero na początku zostanie."),
    }
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind not in prompts:
            continue
        title, prompt = prompts[column.kind]
        validation = DataValidation(showInputMessage=True, promptTitle=title, prompt=prompt)
        letter = get_column_letter(index)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}")
        sheet.add_data_validation(validation)


#: what a column needs beyond its kind: the rules the import checks
NOTES = {
    "pesel": (
        "Osoba już zarejestrowana (ten sam PESEL) zostanie zaktualizowana, nie dodana drugi "
        "raz; osoba z innego projektu musi mieć to samo nazwisko co w systemie."
    ),
    "commune": "Musi należeć do obszaru projektu.",
    "labour_market_substatus": "Musi pasować do statusu na rynku pracy.",
    "disability_degree": "Tylko dla osoby z niepełnosprawnościami.",
    "disability_intellectual_or_multiple": "Tylko dla osoby z niepełnosprawnościami.",
    "postcode": "W postaci 00-000, np. 84-300.",
    "registered_on": "Puste: dzisiaj. W tym dniu sprawdza się kwalifikowalność (np. wiek) osoby.",
    "support_start": (
        "Wypełniona: osoba rozpoczyna wsparcie i zajmuje miejsce w limicie partnera "
        "(potrzebne są też daty deklaracji i oświadczenia RODO). Pusta: osoba czeka na "
        "rozpoczęcie wsparcia. Plik, który przekroczyłby limit miejsc, nie zostanie przyjęty."
    ),
}


def _help_text(column: Column) -> str:
    values = list_values(column)
    if column.kind == "pesel":
        text = (
            "11 cyfr, także z zerem na początku. Kolumna ma format tekstowy: nie zmieniaj "
            "go, bo arkusz usunie zero."
        )
    elif column.kind == "date":
        text = "Data w postaci dd.mm.rrrr, np. 05.03.2016."
        if column.hint and column.field not in NOTES:
            text += f" {column.hint[0].upper()}{column.hint[1:]}."
    elif values:
        text = "Jedna z wartości: " + "; ".join(values) + "."
        if column.kind == "yes_no" and not column.required:
            text += " Puste: Nie."
    elif column.kind == "commune":
        text = "Nazwa gminy, w której osoba mieszka."
    else:
        text = ""
    return " ".join(filter(None, [text, NOTES.get(column.field, "")])) or "Tekst."


def _write_help(sheet) -> None:
    limit_mb = MAX_BYTES // 1024 // 1024
    max_rows = f"{MAX_ROWS:,}".replace(",", "\u00a0")  # 10 000, as Polish writes it
    intro = [
        "Lista uczestników do importu",
        f"Jedna osoba w wierszu, od wiersza {FIRST_DATA_ROW} arkusza „{DATA_SHEET}”. "
        "Nie zmieniaj nagłówków w wierszu 1; wiersz 2 z podpowiedziami możesz zostawić.",
        f"W pliku może być najwyżej {max_rows} osób, plik nie większy niż {limit_mb} MB. "
        "Można też wysłać plik CSV z tymi samymi nagłówkami.",
        "Import zapisuje wszystkie wiersze albo żaden: najpierw pokazuje podgląd z błędami "
        "każdego wiersza.",
        "Przy ponownym imporcie dane osoby zastępuje się danymi z pliku, także pustymi "
        "komórkami: nie usuwaj kolumn z danymi, które mają zostać.",
        "",
    ]
    for line in intro:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Kolumna", "Wymagana", "Co wpisać"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for column in COLUMNS:
        sheet.append([column.header, "tak" if column.required else "nie", _help_text(column)])
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 11
    sheet.column_dimensions["C"].width = 90
