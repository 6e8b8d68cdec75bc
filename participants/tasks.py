"""Imports of participant lists, run in the background (django-tasks, `manage.py db_worker`).

A file goes through two runs of the same engine (`imports.import_run`): the preview
(a dry run, always rolled back) and, once the user confirms a preview without errors,
the import (one transaction: every row or none). Each run is a task; the record
(`ParticipantImport`) says where it stands, and the screens read it.

Progress: a run takes minutes for 10 000 rows inside one transaction, which nobody
else sees until it ends. So every `PROGRESS_EVERY` rows the number done is written
through a second connection (`progress_db()`), which commits at once.

Nothing personal is logged: a failure is logged with the record's id, the exception's
type and where it happened, never its message (a database error quotes values).
"""

import dataclasses
import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from aktywizacja.services import require
from partners.models import Organisation, Project
from partners.scoping import scope_for

from .imports import ImportFileError, Outcome, import_run, read_table
from .models import ParticipantImport

logger = logging.getLogger(__name__)

Status = ParticipantImport.Status
PROGRESS_EVERY = 50


def progress_db() -> str:
    """The database alias progress is written through: "progress", a second connection
    to the same PostgreSQL database, which commits while the import's transaction is
    open; on SQLite (one writer at a time, no such alias) "default", so the progress
    commits with the run and the page shows it at the end."""
    return "progress" if "progress" in settings.DATABASES else "default"


def progress_reporter(import_id: int) -> Callable[[int], None]:
    """`progress(done)` for `import_run`: every PROGRESS_EVERY rows, the count on the record."""
    alias = progress_db()

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY:
            return
        try:
            ParticipantImport.objects.using(alias).filter(pk=import_id).update(rows_done=done)
        except Exception as error:  # the progress shown is no reason to stop an import
            logger.warning(
                "participant import %s: progress not written (%s)",
                import_id,
                type(error).__name__,
            )

    return progress


# What the screens call ---------------------------------------------------------------


def import_upload(
    *,
    user,
    project: Project,
    organisation: Organisation,
    file_name: str,
    content: bytes,
    rows_total: int,
) -> ParticipantImport:
    """Store an uploaded file and have it checked in the background.

    The caller has read the file (`read_table`) and shown its errors: a file that
    cannot be read is never stored. An earlier preview of the same user for the same
    partner that was never confirmed is abandoned (its file deleted)."""
    require(user, "participants.register", (project, organisation))
    with transaction.atomic():
        # a preview without errors is the one whose file is kept (see `_finish`)
        waiting = ParticipantImport.objects.filter(
            created_by=user, project=project, organisation=organisation, status=Status.PREVIEWED
        ).filter(invalid=0, refused="")
        for earlier in waiting.select_for_update().defer("content"):
            earlier.status = Status.FAILED
            earlier.refused = _("Not imported: a newer file was uploaded instead.")
            earlier.content = b""
            _save(earlier)
        record = ParticipantImport(
            project=project,
            organisation=organisation,
            created_by=user,
            file_name=file_name[-255:],
            file_size=len(content),
            content=content,
            rows_total=rows_total,
        )
        _save(record)
    import_preview.enqueue(record.pk)
    return record


def require_may_accept(*, user, record: ParticipantImport) -> None:
    """PermissionDenied unless `user` may confirm `record` (the confirmation page asks too)."""
    require(user, "participants.register", (record.project, record.organisation))
    if record.created_by_id != user.pk and not scope_for(user).can_manage(record.project_id):
        raise PermissionDenied(
            _("Only the person who uploaded the file or a manager may import it.")
        )


def import_accept(*, user, record: ParticipantImport) -> None:
    """Confirm a preview: the import runs in the background. Only the uploader or a
    manager of the project, holding the right to register people of the partner, may
    confirm; only a preview without errors can be."""
    require_may_accept(user=user, record=record)
    with transaction.atomic():
        locked = ParticipantImport.objects.select_for_update().defer("content").get(pk=record.pk)
        if not locked.may_be_confirmed:
            raise ValidationError(
                _("This file cannot be imported: fix it and upload it again."), code="not_ready"
            )
        locked.status = Status.IMPORTING
        locked.rows_done = 0
        locked.started_at = locked.finished_at = None
        _save(locked, user)
    import_confirm.enqueue(record.pk)


# The tasks -----------------------------------------------------------------------------


@task()
def import_preview(import_id: int) -> None:
    """Check the file (a dry run): the counts and every row's errors, nothing written."""
    _run(import_id, dry_run=True)


@task()
def import_confirm(import_id: int) -> None:
    """Import the file: every row or none."""
    _run(import_id, dry_run=False)


def _run(import_id: int, *, dry_run: bool) -> None:
    waiting = Status.UPLOADED if dry_run else Status.IMPORTING
    with transaction.atomic():  # claimed by one worker only, even if enqueued twice
        record = (
            ParticipantImport.objects.select_for_update(of=("self",))
            .select_related("project", "organisation", "created_by")
            .filter(pk=import_id, status=waiting, started_at__isnull=True)
            .first()
        )
        if record is None:
            logger.warning("participant import %s: not waiting to be run, skipped", import_id)
            return
        record.status = Status.PREVIEWING if dry_run else Status.IMPORTING
        record.started_at, record.finished_at, record.rows_done = timezone.now(), None, 0
        _save(record, with_content=False)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            table = read_table(bytes(record.content), record.file_name)
            outcome = import_run(
                user=record.created_by,
                project=record.project,
                organisation=record.organisation,
                table=table,
                dry_run=dry_run,
                progress=progress_reporter(record.pk),
            )
        except ImportFileError as error:
            _fail(record, str(error))
        except PermissionDenied:
            _fail(record, _("The uploader may no longer register participants of this partner."))
        except Exception as error:
            logger.error(
                "participant import %s failed: %s\n%s",
                record.pk,
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            _fail(
                record,
                _(
                    "The import stopped on an unexpected error; nothing was written. "
                    "Try again; if it happens again, tell the administrator."
                ),
            )
        else:
            _finish(record, outcome, dry_run=dry_run)
        finally:
            if progress_db() != "default":
                connections[progress_db()].close()  # one import, one connection


def _finish(record: ParticipantImport, outcome: Outcome, *, dry_run: bool) -> None:
    record.rows_total = record.rows_done = outcome.total
    record.new, record.updated = outcome.new, outcome.updated
    record.unchanged, record.invalid = outcome.unchanged, outcome.invalid
    record.refused = outcome.refused
    record.errors = [
        dataclasses.asdict(error) for error in outcome.errors[: ParticipantImport.MAX_ERRORS]
    ]
    record.finished_at = timezone.now()
    # The file waits only for the confirmation of a preview without errors.
    keep = dry_run and outcome.ok
    if dry_run:
        record.status = Status.PREVIEWED
    else:
        record.status = Status.IMPORTED if outcome.ok else Status.FAILED
        if not outcome.ok and not record.refused:
            record.refused = _(
                "The data changed since the preview and some rows are no longer valid; "
                "nothing was written. Fix the file and upload it again."
            )
    if not keep:
        record.content = b""
    _save(record, with_content=not keep)


def _fail(record: ParticipantImport, reason: str) -> None:
    record.status = Status.FAILED
    record.refused = reason
    record.content = b""
    record.finished_at = timezone.now()
    _save(record)


def _save(record: ParticipantImport, user=None, *, with_content: bool = True) -> None:
    """Save, the history naming who acted: the user of a screen, else the uploader (a
    task runs on the uploader's behalf, outside any request). `with_content=False`
    leaves the file's bytes as they are in the database, not written again."""
    record._history_user = user or record.created_by
    if with_content:
        record.save()
    else:
        fields = [f.name for f in record._meta.concrete_fields if f.name not in ("id", "content")]
        record.save(update_fields=fields)
