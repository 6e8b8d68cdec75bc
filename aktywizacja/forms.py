"""Form pieces every app shares: dates and amounts typed the way our users write
them, and a service's errors put back on the form. Apps import them from here, so
the lowest app (partners) can use them too."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def date_input() -> forms.DateInput:
    """A date typed as our users write it, 01.04.2016 (the settings parse it too)."""
    return forms.DateInput(
        format="%d.%m.%Y", attrs={"placeholder": _("dd.mm.yyyy"), "autocomplete": "off"}
    )


def label(model, name: str):
    """A model field's name as a form label (translated with the model)."""
    return capfirst(model._meta.get_field(name).verbose_name)


def date_field(text, *, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(label=text, required=required, widget=date_input(), **kwargs)


class MoneyField(forms.DecimalField):
    """An amount as our users type it: 1234,56 or 1 234,56 (any space groups digits)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())  # str.split() also splits at no-break spaces
        return super().to_python(value)


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field where the form has
    that field, otherwise above the form (a model field the form does not show)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
