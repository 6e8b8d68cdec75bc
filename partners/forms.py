"""Forms of the project screens: they validate, they never save (`partners.services` does)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aktywizacja.forms import MoneyField

from .models import BudgetLine, Organisation, Project


class BudgetLineForm(forms.ModelForm):
    """A line of the project's budget plan; the partner is one of the project's."""

    class Meta:
        model = BudgetLine
        fields = ["organisation", "category", "funding", "planned_amount"]
        localized_fields = ["planned_amount"]
        field_classes = {"planned_amount": MoneyField}
        help_texts = {
            "category": _("E.g. travel refunds, stipends, social assistance benefits."),
            "planned_amount": _("In złoty, e.g. 1 234,56."),
        }

    def __init__(self, *args, project: Project, **kwargs) -> None:
        kwargs.setdefault("instance", BudgetLine(project=project))
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(partnerships__project=project).order_by(
            "short_name"
        )
        field.label_from_instance = lambda organisation: organisation.short_name

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation, category = cleaned.get("organisation"), cleaned.get("category")
        taken = BudgetLine.objects.filter(
            project_id=self.instance.project_id, organisation=organisation, category=category
        ).exclude(pk=self.instance.pk)
        if organisation and category and taken.exists():
            # the database's constraint says the same; here the error goes to its field
            message = _("This partner already has this budget category.")
            self.add_error("category", ValidationError(message, code="duplicate_category"))
        return cleaned
