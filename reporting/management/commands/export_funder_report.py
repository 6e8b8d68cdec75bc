"""Scheduled exports for the intermediate body (instytucja pośrednicząca), e.g. from cron.

    manage.py export_funder_report --project lebork-2016 --format xlsx --out raport.xlsx \
        [--from 01.01.2017 --to 31.03.2017] [--partner "MOPS Lębork"]

Runs as the system: the whole project, or one partner of it. The file appears only
when the export succeeded: it is written next to its destination under a temporary
name and renamed at the end, so a failed run leaves nothing (and never half a file)
behind. The temporary file is created readable by its owner only, and so stays the
export: the participant list holds personal data.
"""

import datetime
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from participants.access_log import access_record
from participants.models import AccessAction
from partners.models import Organisation, Project
from reporting import exports
from reporting.report_files import PdfUnavailable, report_pdf, report_xlsx
from reporting.selection import Selection, selection_make

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
FORMATS = ("xlsx", "csv", "pdf")


def _date(text: str | None, option: str) -> datetime.date | None:
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CommandError(
        _("%(option)s: “%(value)s” is not a date; write DD.MM.YYYY or YYYY-MM-DD.")
        % {"option": option, "value": text}
    )


def _write_csv(selection: Selection, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as stream:
        return exports.write_participants_csv(selection, stream)


def _write_xlsx(selection: Selection, path: Path) -> int:
    # Write-only: the participant sheet is streamed, whatever the number of people.
    workbook = Workbook(write_only=True)
    rows = exports.write_participants_xlsx(selection, workbook=workbook)
    report_xlsx(selection, workbook=workbook)
    workbook.save(path)
    return rows


def _write_pdf(selection: Selection, path: Path) -> None:
    try:
        content = report_pdf(selection)
    except PdfUnavailable as error:
        raise CommandError(
            _(
                "The PDF cannot be made: WeasyPrint or the system libraries it needs "
                "(pango) are not installed: %(reason)s"
            )
            % {"reason": error}
        ) from error
    path.write_bytes(content)


WRITERS: dict[str, Callable[[Selection, Path], int | None]] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "pdf": _write_pdf,
}


def _write_atomically(path: Path, write: Callable[[Path], int | None]) -> int | None:
    """Write through a temporary file in the destination's directory, renamed over the
    destination on success and removed on any failure."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise CommandError(
            _("Cannot write to %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    os.close(handle)
    temporary = Path(name)
    try:
        rows = write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise CommandError(
            _("Cannot write to %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return rows


class Command(BaseCommand):
    help = _(
        "Exports a project's report for the intermediate body: the participant list "
        "(csv), the participant list with the indicators and the budget (xlsx), or the "
        "indicators-and-budget report (pdf). Meant for scheduled runs, e.g. from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", required=True, help=_("the project's short name"))
        parser.add_argument("--format", required=True, choices=FORMATS, help=_("file format"))
        parser.add_argument("--out", required=True, help=_("the file to write"))
        parser.add_argument(
            "--from", dest="start", help=_("first day of the period: DD.MM.YYYY or YYYY-MM-DD")
        )
        parser.add_argument(
            "--to", dest="end", help=_("last day of the period: DD.MM.YYYY or YYYY-MM-DD")
        )
        parser.add_argument(
            "--partner", help=_("short name of one recruiting partner (default: all partners)")
        )

    def handle(self, *args, **options) -> None:
        selection = self._selection(options)
        path = Path(options["out"]).expanduser().absolute()
        file_format = options["format"]
        if file_format != "pdf" and not exports.participants_queryset(selection).exists():
            raise CommandError(_("There are no participants to export; no file was written."))
        rows = _write_atomically(path, lambda temporary: WRITERS[file_format](selection, temporary))
        if file_format != "pdf":  # the PDF holds figures only, no person
            access_record(
                exports.participants_exported(selection),
                action=AccessAction.EXPORT,
                source="export_funder_report",
                project=selection.project,
            )
        if rows is None:
            summary = _("Report written to %(path)s.") % {"path": path}
        else:
            summary = _("%(rows)d participants written to %(path)s.") % {"rows": rows, "path": path}
        self.stdout.write(summary)

    def _selection(self, options: dict) -> Selection:
        project = Project.objects.filter(short_name=options["project"]).first()
        if project is None:
            raise CommandError(
                _("There is no project with the short name “%(name)s”.")
                % {"name": options["project"]}
            )
        organisation = None
        if options["partner"]:
            organisation = Organisation.objects.filter(short_name=options["partner"]).first()
            if organisation is None:
                raise CommandError(
                    _("There is no organisation with the short name “%(name)s”.")
                    % {"name": options["partner"]}
                )
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        try:
            return selection_make(
                user=None, project=project, organisation=organisation, start=start, end=end
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
