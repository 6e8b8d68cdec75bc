"""Model fields for Polish identifiers: stored compact, validated everywhere."""

from django.db import models
from localflavor.pl.forms import PLNIPField, PLREGONField
from stdnum.pl import nip, regon

from .validators import validate_nip, validate_regon


class _CompactIdentifierField(models.CharField):
    """A number kept as digits only, whatever separators the user typed."""

    stdnum_module = None
    default_validators: list = []
    form_class = None

    def to_python(self, value):
        value = super().to_python(value)
        return self.stdnum_module.compact(value) if value else value

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # localflavor's field accepts the printed forms (123-456-32-18) and
        # returns the compact number; its length check replaces ours.
        return super().formfield(**{"form_class": self.form_class, "max_length": None, **kwargs})


class NIPField(_CompactIdentifierField):
    stdnum_module = nip
    default_validators = [validate_nip]
    form_class = PLNIPField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)


class REGONField(_CompactIdentifierField):
    stdnum_module = regon
    default_validators = [validate_regon]
    form_class = PLREGONField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)
