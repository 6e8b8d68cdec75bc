"""Import of participant lists from spreadsheets (XLSX, CSV): one file, one partner.

No second set of rules: each row is validated by `forms.ParticipantForm` (the form of
the registration screen) and written by the services of the screens
(`participant_register`, `participant_update`, `enrolment_qualify`, `consent_record`,
`enrolment_start_support`), through a django-import-export resource. A run is all or
nothing: `import_data` works in one transaction and rolls it back when any row is
invalid; a dry run (the preview) always rolls back. PESEL is the key: a person already
registered is updated, never added twice.

Reading the file (`read_table`) turns what spreadsheets do to data into clear
messages: a PESEL stored as a number (its leading zero lost), dates in unknown
formats, Windows-1250 CSV files, `;` or `,` separators, a wrong header.
"""

import csv
import datetime
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Resource
from import_export.results import RowResult
from openpyxl import load_workbook

from aktywizacja.services import require
from partners.models import Organisation, PlaceKind, Project, SeatQuota

from . import services
from .access_log import access_record
from .forms import ParticipantForm
from .models import (
    AccessAction,
    Answer,
    Citizenship,
    Degurba,
    DisabilityDegree,
    Education,
    Enrolment,
    LabourMarketStatus,
    LabourMarketSubstatus,
    Participant,
    SeatBooking,
    Sex,
)

logger = logging.getLogger(__name__)

#: Limits, stated on the upload page.
MAX_BYTES = 10 * 1024 * 1024
#: what an XLSX file may unpack to (10 000 rows of the template take about 15 MB)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 10_000
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
Status = Enrolment.Status


class ImportFileError(Exception):
    """The file cannot be read as a participant list; the message says why, in Polish."""


# Columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the import template. The header is the file's contract, so it is
    written in Polish in the code (like the funder's columns), not translated."""

    header: str
    field: str
    kind: str = "text"  # text, pesel, date, choice, yes_no, answer, commune
    required: bool = False
    choices: Callable[[], list[tuple[str, str]]] | None = None
    hint: str = ""


def _labels(choices) -> Callable[[], list[tuple[str, str]]]:
    """The choices with their Polish labels, as the template lists them, whatever
    language is active (a background task, a user's other language)."""

    def polish() -> list[tuple[str, str]]:
        with translation.override("pl"):
            return [(str(value), str(label)) for value, label in choices]

    return polish


YES, NO = "Tak", "Nie"
ANSWER_LABELS = {Answer.YES: "Tak", Answer.NO: "Nie", Answer.REFUSED: "Odmowa podania informacji"}

COLUMNS = [
    Column("PESEL", "pesel", "pesel", True, hint="11 cyfr, kolumna tekstowa"),
    Column("Imię", "first_name", required=True),
    Column("Nazwisko", "last_name", required=True),
    Column("Płeć", "sex", "choice", choices=_labels(Sex.choices), hint="puste: z numeru PESEL"),
    Column("Data urodzenia", "birth_date", "date", hint="puste: z numeru PESEL"),
    Column("Wykształcenie", "education", "choice", True, _labels(Education.choices)),
    Column("Gmina", "commune", "commune", True, hint="gmina z obszaru projektu"),
    Column("Miejscowość", "town", required=True),
    Column("Ulica", "street"),
    Column("Nr budynku", "building_number", required=True),
    Column("Nr lokalu", "flat_number"),
    Column("Kod pocztowy", "postcode", required=True, hint="np. 84-300"),
    Column("DEGURBA", "degurba", "choice", True, _labels(Degurba.choices)),
    Column("Telefon", "phone"),
    Column("E-mail", "email"),
    Column(
        "Status na rynku pracy",
        "labour_market_status",
        "choice",
        True,
        _labels(LabourMarketStatus.choices),
    ),
    Column(
        "W tym", "labour_market_substatus", "choice", choices=_labels(LabourMarketSubstatus.choices)
    ),
    Column("Klient pomocy społecznej", "social_assistance_client", "yes_no", True),
    Column("Osoba z niepełnosprawnościami", "disability", "answer", True),
    Column(
        "Stopień niepełnosprawności",
        "disability_degree",
        "choice",
        choices=_labels(DisabilityDegree.choices),
    ),
    Column(
        "Niepełnosprawność intelektualna lub sprzężona",
        "disability_intellectual_or_multiple",
        "yes_no",
    ),
    Column("Mniejszość, migrant, obce pochodzenie", "foreign_origin_or_minority", "answer", True),
    Column(
        "Bezdomność lub wykluczenie z dostępu do mieszkań",
        "homeless_or_housing_exclusion",
        "answer",
        True,
    ),
    Column("Inna niekorzystna sytuacja społeczna", "other_disadvantage", "answer", True),
    Column("Długotrwale bezrobotna", "risk_long_term_unemployed", "yes_no"),
    Column("Po opuszczeniu zakładu karnego", "risk_after_prison", "yes_no"),
    Column("Bezdomna", "risk_homeless", "yes_no"),
    Column("Opieka nad dzieckiem lub osobą zależną", "risk_caring_for_dependant", "yes_no"),
    Column("Uzależniona w trakcie leczenia", "risk_addiction_in_treatment", "yes_no"),
    Column("Inny czynnik ryzyka", "risk_other"),
    Column("Data rejestracji", "registered_on", "date", hint="puste: dzisiaj"),
    Column("Data podpisania deklaracji", "declaration_signed_on", "date"),
    Column("Data podpisania oświadczenia RODO", "data_protection_signed_on", "date"),
    Column(
        "Data rozpoczęcia wsparcia",
        "support_start",
        "date",
        hint="wypełniona: osoba zajmuje miejsce",
    ),
]
HEADERS = [column.header for column in COLUMNS]
BY_HEADER = {column.header.casefold(): column for column in COLUMNS}
#: what the import writes beside the person: the enrolment's dates
ENROLMENT_FIELDS = (
    "registered_on",
    "declaration_signed_on",
    "data_protection_signed_on",
    "support_start",
)
PARTICIPANT_FIELDS = [c.field for c in COLUMNS if c.field not in ENROLMENT_FIELDS]


def column_of(field_name: str) -> str:
    """The header under which a field's errors are shown."""
    for column in COLUMNS:
        if column.field == field_name:
            return column.header
    return ""


def hint_row() -> list[str]:
    """The template's second row: what each column takes (skipped on import)."""
    hints = []
    for column in COLUMNS:
        if column.hint:
            hints.append(column.hint)
        elif column.kind == "date":
            hints.append("dd.mm.rrrr")
        elif column.kind == "yes_no":
            hints.append("Tak / Nie")
        elif column.kind == "answer":
            hints.append("Tak / Nie / Odmowa podania informacji")
        elif column.kind == "choice":
            hints.append("z listy")
        else:
            hints.append("wymagane" if column.required else "")
    return hints


# Reading the file ------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of a file under the template's header, each with its row number in
    the file (as the spreadsheet shows it)."""

    rows: list[dict] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def dataset(self) -> tablib.Dataset:
        data = tablib.Dataset(headers=[*HEADERS, "__row__"])
        for number, row in zip(self.numbers, self.rows, strict=True):
            data.append([*(row.get(h) for h in HEADERS), number])
        return data


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor Windows-1250 text."))


def _csv_rows(content: bytes) -> list[list]:
    # A zero byte is never in a text file (a binary, or UTF-16): said before the
    # decoding, which would only complain about the encoding.
    if b"\x00" in content:
        raise ImportFileError(_("The file is not a spreadsheet: save it as XLSX or CSV."))
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    # A workbook is a zip: 10 MB of it could unpack to gigabytes (a "zip bomb").
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(limit)s MB: it cannot be a participant list.")
            % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(
            _("The file cannot be opened as an XLSX workbook: save it again from the spreadsheet.")
        ) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(content: bytes, file_name: str) -> Table:
    """The file's rows under the template's header. Raises ImportFileError."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file has %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {
                "size": f"{len(content) / 1024 / 1024:.1f}".replace(".", ","),
                "limit": MAX_BYTES // 1024 // 1024,
            }
        )
    is_zip = content[:4] == b"PK\x03\x04"
    name = file_name.lower()
    if is_zip or name.endswith(".xlsx"):
        if not is_zip or not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportFileError(_("The file is not a spreadsheet: save it as XLSX or CSV."))
        raw = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(content)
    else:
        raise ImportFileError(
            _("Choose an XLSX or CSV file (the file name ends with .xlsx or .csv).")
        )
    # Numbered before the blank rows are dropped: errors name the rows the
    # spreadsheet shows.
    numbered = [
        (number, values)
        for number, values in enumerate(raw, start=1)
        if any(_blank(value) is not None for value in values)
    ]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    header_number, header_values = numbered[0]
    header = [str(value).strip() if value is not None else "" for value in header_values]
    _check_header(header)
    table = Table()
    for index, values in numbered[1:]:
        row = {header[i]: values[i] if i < len(values) else None for i in range(len(header))}
        row = {BY_HEADER[k.casefold()].header: v for k, v in row.items() if k}
        if index == header_number + 1 and _is_hint_row(row):
            continue
        table.rows.append(row)
        table.numbers.append(index)
    if not table.rows:
        raise ImportFileError(_("The file has a header but no participants."))
    if len(table) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)d rows; the limit is %(limit)d. Split it into smaller files.")
            % {"count": len(table), "limit": MAX_ROWS}
        )
    return table


def _is_hint_row(row: dict) -> bool:
    """The template's hint row, under the columns the file kept."""
    hints = dict(zip(HEADERS, hint_row(), strict=True))
    return all(_text(value) == hints[header] for header, value in row.items())


def _once(names: list[str]) -> list[str]:
    """Each name once, as first written, in the file's order."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.casefold(), name)
    return list(first.values())


def _check_header(header: list[str]) -> None:
    # A list, not a set: a repeated column would otherwise hide (its last cell winning).
    names = [h for h in header if h]
    counts = Counter(h.casefold() for h in names)
    unknown = _once([h for h in names if h.casefold() not in BY_HEADER])
    missing = [c.header for c in COLUMNS if c.required and c.header.casefold() not in counts]
    duplicated = _once([h for h in names if counts[h.casefold()] > 1])
    if unknown or missing or duplicated:
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        if duplicated:
            parts.append(_("repeated columns: %(columns)s") % {"columns": ", ".join(duplicated)})
        raise ImportFileError(
            _(
                "The first row is not the template's header (%(problems)s). "
                "Download the template and copy the data into it."
            )
            % {"problems": "; ".join(parts)}
        )


def _blank(value):
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(value) -> str:
    value = _blank(value)
    return "" if value is None else str(value).strip()


# Converting cells ------------------------------------------------------------------------


def _pesel(value) -> str:
    if isinstance(value, (int, float)):
        raise ValidationError(
            _(
                "The PESEL is stored as a number, so a leading zero may be lost: format the "
                "PESEL column as text and type the 11 digits again."
            ),
            code="pesel_number",
        )
    text = _text(value).replace(" ", "")
    if text.isdigit() and len(text) < 11:
        raise ValidationError(
            _(
                "The PESEL has %(count)d digits: the spreadsheet probably dropped its leading "
                "zero. Format the PESEL column as text and type the 11 digits again."
            ),
            code="pesel_short",
            params={"count": len(text)},
        )
    if "e+" in text.lower():
        raise ValidationError(
            # The number itself is not repeated: the record of the import keeps the messages.
            _(
                "The PESEL is written in scientific notation: format the PESEL column as text "
                "and type the 11 digits again."
            ),
            code="pesel_number",
        )
    return text


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    text = _text(value)
    if not text:
        return ""
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).strftime("%d.%m.%Y")
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date: write it as dd.mm.rrrr, e.g. 05.03.2016."),
        code="date_format",
        params={"value": text},
    )


def _choice(column: Column, value) -> str:
    text = _text(value)
    if not text:
        return ""
    for code, label in column.choices():
        if text.casefold() in (code.casefold(), label.casefold()):
            return code
    raise ValidationError(
        _("“%(value)s” is not on the list: %(choices)s."),
        code="choice",
        params={"value": text, "choices": "; ".join(label for _code, label in column.choices())},
    )


def _yes_no(value) -> bool:
    text = _text(value).casefold()
    if text in ("", "nie", "n", "0", "false"):
        return False
    if text in ("tak", "t", "1", "true"):
        return True
    raise ValidationError(_("Write “Tak” or “Nie”."), code="yes_no")


def _answer(value) -> str:
    text = _text(value).casefold()
    for code, label in ANSWER_LABELS.items():
        if text in (label.casefold(), code.casefold()) or (
            code == Answer.REFUSED and text.startswith("odmowa")
        ):
            return code
    raise ValidationError(_("Write “Tak”, “Nie” or “Odmowa podania informacji”."), code="answer")


def _commune(value, communes: dict[str, int]) -> str:
    """The commune's pk, its name (`communes`: name → pk) matched in any letter case."""
    text = _text(value)
    if not text:
        return ""
    for name, pk in communes.items():
        if name.casefold() == text.casefold():
            return str(pk)
    raise ValidationError(
        _("“%(value)s” is not a commune of the project's area: %(communes)s."),
        code="commune",
        params={"value": text, "communes": ", ".join(sorted(communes))},
    )


# The resource ----------------------------------------------------------------------------


def _by_column(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        result: dict[str, list[str]] = {}
        for name, errors in error.error_dict.items():
            header = column_of(name) if name != "__all__" else ""
            result.setdefault(header, []).extend(m for e in errors for m in e.messages)
        return result
    return {"": list(error.messages)}


class ParticipantListResource(Resource):
    """Rows of the template as people enrolled in one project by one partner."""

    class Meta:
        # People are found by PESEL in `get_or_init_instance`, not by a loader.
        instance_loader_class = BaseInstanceLoader
        import_id_fields = ()
        skip_diff = True
        use_transactions = True
        store_instance = False

    def __init__(
        self, *, user, project: Project, organisation: Organisation, progress=None
    ) -> None:
        super().__init__()
        self.user, self.project, self.organisation = user, project, organisation
        self.progress = progress
        self.communes = {c.name: c.pk for c in project.communes.all()}
        self.seen: dict[str, int] = {}
        self.done = 0

    # one row in, one person out

    def get_or_init_instance(self, instance_loader, row):
        pesel = _text(row.get("PESEL")).replace(" ", "")
        existing = Participant.objects.filter(pesel=pesel).first() if pesel.isdigit() else None
        return (existing, False) if existing else (Participant(), True)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}
        data: dict[str, object] = {}
        for column in COLUMNS:
            value = row.get(column.header)
            try:
                data[column.field] = self._convert(column, value)
            except ValidationError as error:
                errors.setdefault(column.field, []).append(error)
        pesel = data.get("pesel")
        if pesel and "pesel" not in errors:
            first = self.seen.setdefault(pesel, row["__row__"])
            if first != row["__row__"]:
                errors.setdefault("pesel", []).append(
                    ValidationError(
                        _("This PESEL is already in row %(row)d of the file."),
                        code="pesel_repeated",
                        params={"row": first},
                    )
                )
        fields = {k: v for k, v in data.items() if k in PARTICIPANT_FIELDS}
        # What the template has no column for stays as it is (a new person: Polish).
        fields["citizenship"] = instance.citizenship or Citizenship.POLISH
        before = model_to_dict(instance, fields=ParticipantForm._meta.fields)
        form = ParticipantForm(
            data={k: v for k, v in fields.items() if v not in (None, False)},
            instance=instance,
            user=self.user,
        )
        if not form.is_valid():
            for name, form_errors in form.errors.as_data().items():
                if name not in errors:
                    errors.setdefault(name, []).extend(form_errors)
        if errors:
            raise ValidationError(errors)
        instance._import = {name: data.get(name) for name in ENROLMENT_FIELDS}
        # Compared on the instance, not with `form.has_changed()`: a sex or birth date
        # left empty in the file is read from the PESEL, which is no change.
        after = model_to_dict(instance, fields=ParticipantForm._meta.fields)
        instance._changed = after != before if instance.pk else True

    def _convert(self, column: Column, value):
        if column.kind == "pesel":
            return _pesel(value)
        if column.kind == "date":
            text = _date(value)
            return datetime.datetime.strptime(text, "%d.%m.%Y").date() if text else None
        if column.kind == "choice":
            return _choice(column, value)
        if column.kind == "yes_no":
            return _yes_no(value)
        if column.kind == "answer":
            return _answer(value) if _text(value) else ""
        if column.kind == "commune":
            return _commune(value, self.communes)
        return _text(value)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or instance._changed:
            return False
        enrolment = self._enrolment(instance)
        return enrolment is not None and not self._enrolment_changes(enrolment, instance._import)

    def _enrolment(self, participant: Participant) -> Enrolment | None:
        return Enrolment.objects.filter(participant=participant, project=self.project).first()

    @staticmethod
    def _enrolment_changes(enrolment: Enrolment, wanted: dict) -> bool:
        """Whether the row asks for anything this enrolment does not have yet."""
        if wanted["declaration_signed_on"] and not enrolment.declaration_signed_on:
            return True
        if wanted["data_protection_signed_on"] and not enrolment.data_protection_signed_on:
            return True
        in_support = enrolment.status in (Status.IN_SUPPORT, Status.COMPLETED, Status.DROPPED_OUT)
        return bool(wanted["support_start"]) and not in_support

    def save_instance(self, instance, is_create, row, **kwargs):
        # A savepoint per row: a row refused half-way leaves nothing of itself behind
        # (the others still run, so that the preview lists every row's errors).
        try:
            with transaction.atomic():
                self._save(instance, is_create)
        except PermissionDenied as error:
            raise ValidationError(
                _("You may not change this person's data: %(reason)s") % {"reason": error}
            ) from error
        except ValidationError as error:
            raise ValidationError(_field_errors(error)) from error

    def _save(self, participant: Participant, is_create: bool) -> None:
        wanted = participant._import
        registered_on = wanted["registered_on"] or timezone.localdate()
        if is_create:
            enrolment = services.participant_register(
                user=self.user,
                project=self.project,
                organisation=self.organisation,
                participant=participant,
                registered_on=registered_on,
            )
        else:
            # Enrolled first (by PESEL and surname, as on the screen), then updated:
            # the partner may change the data of the people it recruits, so a person
            # from an earlier project can come with a new address.
            enrolment = self._enrolment(participant)
            if enrolment is None:
                enrolment = services.enrol_registered_person(
                    user=self.user,
                    project=self.project,
                    organisation=self.organisation,
                    pesel=participant.pesel,
                    last_name=participant.last_name,
                    registered_on=registered_on,
                )
            elif enrolment.recruiting_organisation_id != self.organisation.pk:
                raise ValidationError(
                    {
                        "pesel": _("This person is enrolled in the project by %(organisation)s.")
                        % {"organisation": enrolment.recruiting_organisation.short_name}
                    }
                )
            if participant._changed:
                services.participant_update(user=self.user, participant=participant)
        if enrolment.status == Status.CANDIDATE:
            check = services.enrolment_qualify(
                user=self.user, enrolment=enrolment, on_date=registered_on
            )
            if not check.eligible:
                reasons = "; ".join(str(r["message"]) for r in check.failed_reasons)
                raise ValidationError(
                    _("Not eligible for the project: %(reasons)s") % {"reasons": reasons},
                    code="not_eligible",
                )
            enrolment.refresh_from_db()
        signed = (wanted["declaration_signed_on"], wanted["data_protection_signed_on"])
        if any(signed) and signed != (
            enrolment.declaration_signed_on,
            enrolment.data_protection_signed_on,
        ):
            enrolment = services.consent_record(
                user=self.user,
                enrolment=enrolment,
                declaration_signed_on=signed[0] or enrolment.declaration_signed_on,
                data_protection_signed_on=signed[1] or enrolment.data_protection_signed_on,
            )
        if wanted["support_start"] and enrolment.status in (Status.QUALIFIED, Status.RESERVE):
            start = services.enrolment_start_support(
                user=self.user, enrolment=enrolment, on_date=wanted["support_start"]
            )
            if not start.booked:
                raise ValidationError(
                    {"support_start": _("No seat of the partner's quota is free for this person.")}
                )

    def after_import_row(self, row, row_result, **kwargs):
        self.done += 1
        if self.progress is not None:
            self.progress(self.done)


def _field_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"__all__": list(error.messages)}


# Running an import -----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Outcome:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: why the whole file was refused before any row (the quota), if it was
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused and not self.invalid


def seats_needed(table: Table, *, project: Project, organisation: Organisation) -> tuple[int, int]:
    """How many seats the file takes (rows with a start of support, of people not yet
    holding a seat of the partner in the project) and how many are free."""
    pesels = {
        _text(row.get("PESEL")).replace(" ", "")
        for row in table.rows
        if _blank(row.get("Data rozpoczęcia wsparcia")) is not None
    }
    quota = SeatQuota.objects.filter(
        project=project, organisation=organisation, place_kind=PlaceKind.SOCIAL_ACTIVATION
    ).first()
    seats = quota.seats if quota else 0
    active = (
        SeatBooking.objects.active().filter(quota=quota) if quota else SeatBooking.objects.none()
    )
    holding = set(
        active.filter(enrolment__participant__pesel__in=pesels).values_list(
            "enrolment__participant__pesel", flat=True
        )
    )
    return len(pesels - holding), seats - active.count()


def import_run(
    *,
    user,
    project: Project,
    organisation: Organisation,
    table: Table,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Validate (dry run) or import the table; everything or nothing is written."""
    require(user, "participants.register", (project, organisation))
    needed, free = seats_needed(table, project=project, organisation=organisation)
    if needed > free:
        return Outcome(
            total=len(table),
            refused=_(
                "The file would take %(needed)d seats of %(organisation)s, but only %(free)d "
                "are free: %(over)d too many. Leave the start of support empty for %(over)d "
                "people; they can start when seats are freed."
            )
            % {
                "needed": needed,
                "free": max(free, 0),
                "over": needed - max(free, 0),
                "organisation": organisation.short_name,
            },
        )
    resource = ParticipantListResource(
        user=user, project=project, organisation=organisation, progress=progress
    )
    result = resource.import_data(
        table.dataset(),
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    outcome = Outcome(total=len(table))
    for number, row_result in zip(table.numbers, result.rows, strict=True):
        kind = row_result.import_type
        if kind == RowResult.IMPORT_TYPE_NEW:
            outcome.new += 1
        elif kind == RowResult.IMPORT_TYPE_UPDATE:
            outcome.updated += 1
        elif kind == RowResult.IMPORT_TYPE_SKIP:
            outcome.unchanged += 1
        elif kind == RowResult.IMPORT_TYPE_INVALID:
            outcome.invalid += 1
            for column, messages in _by_column(row_result.validation_error).items():
                outcome.errors.extend(RowError(number, column, m) for m in messages)
        else:  # an unexpected error: logged without personal data, the row refused
            outcome.invalid += 1
            logger.error(
                "import row %s failed: %s", number, type(row_result.errors[0].error).__name__
            )
            outcome.errors.append(
                RowError(number, "", _("An unexpected error; nothing was written."))
            )
    if not dry_run and outcome.ok:
        people = [r.object_id for r in result.rows if r.object_id is not None]
        access_record(
            people,
            action=AccessAction.IMPORT,
            user=user,
            source="participants:import",
            project=project,
        )
    return outcome
