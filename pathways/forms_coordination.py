"""Forms of the coordinators' screens: they validate, the services save.

Choices come scoped by the `user` (or the course, or the enrolment) the view hands
in: nobody is offered a project, organiser or person outside their scope.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aktywizacja.forms import date_field, date_input, label
from participants.models import Enrolment
from partners.models import Organisation, PlaceKind, Project

from .models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    MedicalExam,
    SupportForm,
)
from .selectors_coordination import COURSE_PLACES, course_candidates, quotas_to_act_on


class CourseForm(forms.ModelForm):
    """A new course, on a quota of course places the user may act on."""

    class Meta:
        model = Course
        fields = [
            "project",
            "organiser",
            "place_kind",
            "title",
            "provider_name",
            "hours",
            "start_date",
            "end_date",
            "capacity",
            "exam",
        ]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.quotas = quotas_to_act_on(user, COURSE_PLACES)
        projects = {q.project_id for q in self.quotas}
        organisers = {q.organisation_id for q in self.quotas}
        self.fields["project"].queryset = Project.objects.filter(pk__in=projects)
        self.fields["organiser"].queryset = Organisation.objects.filter(pk__in=organisers)
        for name, values in (("project", projects), ("organiser", organisers)):
            if len(values) == 1:
                self.initial.setdefault(name, next(iter(values)))
        kinds = {q.place_kind for q in self.quotas}
        if len(kinds) == 1:
            self.initial.setdefault("place_kind", next(iter(kinds)))

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = (cleaned.get("project"), cleaned.get("organiser"), cleaned.get("place_kind"))
        allowed = {(q.project, q.organisation, q.place_kind) for q in self.quotas}
        if all(chosen) and chosen not in allowed:
            self.add_error(
                "organiser",
                ValidationError(
                    _("This organiser has no places of this kind in the project for you."),
                    code="no_quota",
                ),
            )
        return cleaned


class CourseAssignForm(forms.Form):
    enrolment = forms.ModelChoiceField(label=_("Participant"), queryset=Enrolment.objects.none())

    def __init__(self, *args, user, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["enrolment"]
        field.queryset = course_candidates(user, course)
        field.label_from_instance = lambda e: (
            f"{e.participant.last_name} {e.participant.first_name} "
            f"({e.recruiting_organisation.short_name})"
        )
        field.help_text = _("People in support referred to the organiser, not yet on the course.")


class CertificateForm(forms.ModelForm):
    class Meta:
        model = CourseParticipation
        fields = ["exam_passed", "certificate_name", "certificate_number", "certificate_date"]
        widgets = {"certificate_date": date_input()}


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "nip",
            "street",
            "postcode",
            "town",
            "contact_person",
            "phone",
            "email",
        ]
        help_texts = {"nip": _("10 digits; dashes are allowed.")}
        # The model field checks the NIP and says what is wrong in Polish; the form
        # field of localflavor would answer first, in English.
        field_classes = {"nip": forms.CharField}


class MedicalExamForm(forms.ModelForm):
    class Meta:
        model = MedicalExam
        fields = ["examined_on", "valid_until", "result", "purpose"]
        widgets = {"examined_on": date_input(), "valid_until": date_input()}

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enrolment = enrolment


class InternshipForm(forms.ModelForm):
    """A placement of the enrolment at an employer, organised by a partner with
    internship places the user may act for."""

    class Meta:
        model = Internship
        fields = [
            "organiser",
            "employer",
            "position",
            "mentor",
            "start_date",
            "end_date",
            "hours_per_day",
            "hours_per_week",
        ]
        widgets = {"start_date": date_input(), "end_date": date_input()}
        localized_fields = ["hours_per_day", "hours_per_week"]  # typed as 7,5

    def __init__(self, *args, user, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enrolment = enrolment
        self.quotas = quotas_to_act_on(user, [PlaceKind.INTERNSHIP], project=enrolment.project)
        organisers = [q.organisation_id for q in self.quotas]
        self.fields["organiser"].queryset = Organisation.objects.filter(pk__in=organisers)
        if len(organisers) == 1:
            self.initial.setdefault("organiser", organisers[0])


MONTH = re.compile(r"^\s*(\d{1,2})[./-](\d{4})\s*$")


class InternshipMonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=10,
        help_text=_("As mm.yyyy (e.g. 09.2016) or any date of the month."),
        widget=forms.TextInput(attrs={"placeholder": _("mm.yyyy"), "autocomplete": "off"}),
    )
    days_worked = forms.IntegerField(label=_("Days worked"), min_value=0, max_value=31)
    hours_worked = forms.DecimalField(
        label=_("Hours worked"), min_value=0, max_digits=5, decimal_places=1, localize=True
    )
    excused_days = forms.IntegerField(
        label=_("Days of excused absence"), min_value=0, max_value=31, initial=0
    )

    def clean_month(self) -> datetime.date:
        text = self.cleaned_data["month"]
        match = MONTH.match(text)
        if match and 1 <= int(match[1]) <= 12:
            return datetime.date(int(match[2]), int(match[1]), 1)
        try:
            day = forms.DateField().clean(text)
        except ValidationError:
            raise ValidationError(
                _("Enter the month as mm.yyyy, e.g. 09.2016."), code="invalid_month"
            ) from None
        return day.replace(day=1)


class InternshipFinishForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Internship.Status.COMPLETED, Internship.Status.COMPLETED.label),
            (Internship.Status.INTERRUPTED, Internship.Status.INTERRUPTED.label),
        ],
        widget=forms.RadioSelect,
    )
    end_date = date_field(_("End date"))


class SupportFormForm(forms.ModelForm):
    """A form of support of the catalogue; the kinds of organisation that provide it
    are ticked from the list and kept as a list of codes in the order of the list."""

    provider_kinds = forms.MultipleChoiceField(
        label=label(SupportForm, "provider_kinds"),
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of organisation.")},
    )

    class Meta:
        model = SupportForm
        fields = ["name", "category", "stage", "unit", "provider_kinds", "is_active"]
        help_texts = {
            "is_active": _("A form no longer used is retired here: it is no longer offered."),
        }

    def clean_provider_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["provider_kinds"])
        return [code for code in Organisation.Kind.values if code in chosen]
