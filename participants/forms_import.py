"""The upload form of the participant import: it reads the file, it stores nothing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .imports import MAX_BYTES, MAX_ROWS, ImportFileError, Table, read_table
from .selectors import registration_pairs


def limits() -> str:
    """The limits of a file, as the upload page states them."""
    return gettext(
        "Up to %(megabytes)d MB and %(rows)s rows; XLSX or CSV (UTF-8 or Windows-1250, "
        "separated by ; or ,)."
    ) % {
        "megabytes": MAX_BYTES // 1024 // 1024,
        "rows": number_format(MAX_ROWS, force_grouping=True),
    }


def _pair_key(project, organisation) -> str:
    return f"{project.pk}:{organisation.pk}"


class ImportUploadForm(forms.Form):
    """A file of participants for one project and one recruiting partner: only the
    pairs the user may register people in (`participants.register`)."""

    pair = forms.ChoiceField(label=_("Project and recruiting organisation"))
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limits()
        self.pairs = {_pair_key(p, o): (p, o) for p, o in registration_pairs(user)}
        self.fields["pair"].choices = [
            (key, f"{project.short_name} — {organisation.short_name}")
            for key, (project, organisation) in self.pairs.items()
        ]
        if len(self.pairs) == 1:
            self.initial.setdefault("pair", next(iter(self.pairs)))
        #: set by a valid form: the file's bytes and its rows
        self.content: bytes = b""
        self.table: Table | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size first: a file over the limit is not read at all.
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _(
                    "The file has %(size)s MB; the limit is %(limit)s MB. "
                    "Split it into smaller files."
                ),
                code="too_big",
                params={
                    "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    "limit": MAX_BYTES // 1024 // 1024,
                },
            )
        content = upload.read()
        try:
            self.table = read_table(content, upload.name)
        except ImportFileError as error:
            raise ValidationError(str(error), code="unreadable") from error
        self.content = content
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        key = cleaned.get("pair")
        if key:
            cleaned["project"], cleaned["organisation"] = self.pairs[key]
        return cleaned
