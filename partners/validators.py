"""Validators for Polish identifiers, shared by models, forms, imports and commands.

The arithmetic is python-stdnum's; this module only turns its exceptions into
Django validation errors with messages in Polish.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.pl import nip, regon

validate_postcode = RegexValidator(
    r"^\d{2}-\d{3}$", _("Enter a postcode in the format 00-000."), code="invalid_postcode"
)


def _validate(module, value: str, label: str) -> None:
    try:
        module.validate(value)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("%(label)s %(value)s has a wrong check digit. Check it against the document."),
            code="checksum",
            params={"label": label, "value": value},
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("%(label)s must consist of digits only, in the right number."),
            code="invalid",
            params={"label": label},
        ) from None


def validate_nip(value: str) -> None:
    """A NIP: 10 digits with the mod-11 check digit (dashes are allowed)."""
    _validate(nip, value, "NIP")


def validate_regon(value: str) -> None:
    """A REGON: 9 or 14 digits with its check digit."""
    _validate(regon, value, "REGON")
