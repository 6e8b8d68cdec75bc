"""PESEL: the one validator used by the model, every form and every import.

python-stdnum does the arithmetic (weights 1-3-7-9, century offsets in the month,
sex from the 10th digit); this module turns its verdicts into messages in Polish
and adds what stdnum cannot know: that nobody is born in the future.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.pl import pesel as stdnum_pesel

FEMALE = "K"
MALE = "M"


@dataclass(frozen=True)
class PeselData:
    number: str
    birth_date: datetime.date
    sex: str  # "K" or "M", as the funder writes it


def parse_pesel(value: str) -> PeselData:
    """Validate a PESEL and read the birth date and sex from it.

    Raises ValidationError (code: invalid_format, checksum, invalid_date,
    future_date) with a message that says how to fix the number.
    """
    number = (value or "").strip()
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(
            _("A PESEL has exactly 11 digits (with any leading zero); you entered %(count)d."),
            code="invalid_format",
            params={"count": len(number)},
        )
    try:
        stdnum_pesel.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("This PESEL has a wrong check digit: one of the digits is mistyped."),
            code="checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This PESEL holds an impossible birth date; check the first six digits."),
            code="invalid_date",
        ) from None
    birth_date = stdnum_pesel.get_birth_date(number)
    if birth_date > timezone.localdate():
        raise ValidationError(
            _("This PESEL holds a birth date in the future; check the first six digits."),
            code="future_date",
        )
    sex = FEMALE if stdnum_pesel.get_gender(number) == "F" else MALE
    return PeselData(number=number, birth_date=birth_date, sex=sex)


def validate_pesel(value: str) -> None:
    parse_pesel(value)


def mask_pesel(value: str) -> str:
    """Show only the last four digits: *******1234."""
    if not value:
        return ""
    return "•" * (len(value) - 4) + value[-4:]
