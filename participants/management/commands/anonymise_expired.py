"""Anonymise the participants of projects past their retention date, e.g. nightly:

    manage.py anonymise_expired [--dry-run] [--date DD.MM.YYYY]

See `participants.retention`. The output names projects and counts, never a person:
the people kept are given by their number in the system.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.retention import Keeper, ProjectRetention, anonymise_expired

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


def _date(text: str) -> datetime.date:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise CommandError(
        _("%(option)s: “%(value)s” is not a date; write DD.MM.YYYY or YYYY-MM-DD.")
        % {"option": "--date", "value": text}
    )


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _keeper(keeper: Keeper) -> str:
    if keeper.archive_until is None:
        return _("%(project)s (no retention date)") % {"project": keeper.short_name}
    return _("%(project)s (data until %(day)s)") % {
        "project": keeper.short_name,
        "day": _day(keeper.archive_until),
    }


class Command(BaseCommand):
    help = _(
        "Anonymises the participants of the projects whose retention date (from the "
        "funding agreement) has passed, keeping every figure of the reports. Meant for "
        "scheduled runs, e.g. nightly from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("say what would be anonymised, change nothing"),
        )
        parser.add_argument(
            "--date",
            help=_("act as on this day: DD.MM.YYYY or YYYY-MM-DD (default: today)"),
        )

    def handle(self, *args, **options) -> None:
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        report = anonymise_expired(today=today, dry_run=options["dry_run"])
        if report.dry_run:
            self.stdout.write(
                _("Dry run on %(day)s: nothing was changed.") % {"day": _day(report.today)}
            )
        if not report.projects:
            self.stdout.write(
                _("No project's retention date had passed on %(day)s.") % {"day": _day(today)}
            )
        for outcome in report.projects:
            self._project(outcome)
        if report.undated:
            self.stdout.write(
                _("Projects without a retention date, never anonymised: %(projects)s.")
                % {"projects": ", ".join(p.short_name for p in report.undated)}
            )

    def _project(self, outcome: ProjectRetention) -> None:
        project = outcome.project
        self.stdout.write(
            _("%(title)s (%(project)s), data until %(day)s:")
            % {
                "title": project.title,
                "project": project.short_name,
                "day": _day(project.archive_until),
            }
        )
        self.stdout.write(
            "  " + _("people anonymised: %(count)d") % {"count": len(outcome.anonymised)}
        )
        self.stdout.write("  " + _("people kept: %(count)d") % {"count": len(outcome.kept)})
        for participant_id, keepers in outcome.kept.items():
            self.stdout.write(
                "    "
                + _("participant no. %(id)d: still in project %(projects)s")
                % {"id": participant_id, "projects": ", ".join(map(_keeper, keepers))}
            )
        records = [
            f"{model._meta.verbose_name_plural} {count}"
            for model, count in outcome.records.items()
            if count
        ]
        self.stdout.write(
            "  "
            + _("records cleared: %(records)s; change history entries overwritten: %(history)d")
            % {"records": ", ".join(records) or "0", "history": outcome.history}
        )
