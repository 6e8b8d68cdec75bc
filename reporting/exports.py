"""The participant list in the funder's layout, as CSV and XLSX, written row by row.

The layout is `resources.ParticipantListResource` (the funder's columns, in order).
Rows are read with a fixed number of queries (one, plus the scope) through
`.iterator()` and written as they come: CSV line by line, XLSX through openpyxl's
write-only workbook, which keeps its rows in a temporary file. Nothing holds the whole
list in memory, so a list of 100 000 people takes as much memory as one of ten.

Every value passes through `neutralise` (OWASP CSV injection, ASVS 1.2.10), so that no
cell from our data can start a formula in a spreadsheet.
"""

import csv
from collections.abc import Iterator
from typing import IO

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from participants.models import Participant

from .funder import FUNDER_COLUMNS
from .indicators import age_at_entry
from .resources import ParticipantListResource
from .selection import Selection

__all__ = [
    "FUNDER_COLUMNS",
    "csv_lines",
    "neutralise",
    "participant_rows",
    "participants_queryset",
    "write_participants_csv",
    "write_participants_xlsx",
]

#: What a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: UTF-8 with a byte-order mark and semicolons: what Polish Excel opens as it is.
BOM = "\ufeff"
CSV_DELIMITER = ";"
SHEET_TITLE = "Uczestnicy"  # the funder's sheet name, not interface text
CHUNK_SIZE = 2000
#: how much CSV text to gather before handing it to the response
CSV_CHUNK_CHARS = 64 * 1024


def neutralise(value):
    """A cell value that cannot start a formula: a string starting with `=`, `+`, `-`,
    `@`, a tab or a carriage return gets a leading apostrophe. Numbers, dates and
    other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def participants_queryset(selection: Selection):
    """The enrolments of the selection that took part in its period: participation
    started (first support received) by the period's end and not ended before its
    start; open ends when there is no period. In the funder's order: by name."""
    enrolments = selection.enrolments().filter(participation_start__isnull=False)
    if selection.end:
        enrolments = enrolments.filter(participation_start__lte=selection.end)
    if selection.start:
        enrolments = enrolments.filter(Q(end_date__isnull=True) | Q(end_date__gte=selection.start))
    return (
        enrolments.select_related("participant", "participant__commune", "exit", "pathway")
        .annotate(age_at_entry=age_at_entry())
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def participants_exported(selection: Selection):
    """The people of the list (for the access log): one subquery, no rows read."""
    return Participant.objects.filter(
        pk__in=participants_queryset(selection).values("participant_id")
    )


def participant_rows(selection: Selection) -> Iterator[list]:
    """The data rows (without the header), neutralised, one query for them all."""
    resource = ParticipantListResource()
    fields = resource.get_export_fields()
    for enrolment in participants_queryset(selection).iterator(chunk_size=CHUNK_SIZE):
        yield [neutralise(resource.export_field(field, enrolment)) for field in fields]


# CSV ---------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(selection: Selection) -> Iterator[str]:
    """The CSV text in pieces: the byte-order mark and the header first, then the rows
    gathered into pieces of about 64 KiB."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield BOM + writer.writerow([neutralise(column) for column in FUNDER_COLUMNS])
    piece, size = [], 0
    for row in participant_rows(selection):
        line = writer.writerow(row)
        piece.append(line)
        size += len(line)
        if size >= CSV_CHUNK_CHARS:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def write_participants_csv(selection: Selection, stream: IO[str]) -> int:
    """Write the list to a text stream (open it with `newline=""` and UTF-8); the text
    starts with a byte-order mark. Returns the number of rows written."""
    writer = csv.writer(stream, delimiter=CSV_DELIMITER)
    stream.write(BOM)
    writer.writerow([neutralise(column) for column in FUNDER_COLUMNS])
    count = 0
    for row in participant_rows(selection):
        writer.writerow(row)
        count += 1
    return count


# XLSX --------------------------------------------------------------------------------

BOLD = Font(bold=True)
#: column widths in characters, by the kind of column (the rest keep the default)
WIDTHS = {"Imię": 16, "Nazwisko": 20, "PESEL": 13, "Miejscowość": 18, "Adres e-mail": 26}


def _xlsx_value(value):
    """A value without the control characters XLSX cannot hold, neutralised again
    once they are gone (one of them could hide a formula sign behind it)."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_participants_xlsx(selection: Selection, path_or_file=None, *, workbook=None) -> int:
    """Write the list as a "Uczestnicy" sheet. Without `workbook`, a new write-only
    workbook is made and saved to `path_or_file`. With a write-only `workbook`, the
    sheet is added to it and it is saved only when `path_or_file` is given, so that the
    caller can add more sheets and save it itself. Returns the number of rows written."""
    if workbook is None:
        if path_or_file is None:
            raise TypeError("write_participants_xlsx needs a path or a file to save to")
        workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(FUNDER_COLUMNS):
        width = WIDTHS.get(column, 14)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for column in FUNDER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=neutralise(column))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in participant_rows(selection):
        sheet.append([_xlsx_value(value) for value in row])
        count += 1
    if path_or_file is not None:
        workbook.save(path_or_file)
    return count
