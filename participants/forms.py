"""Forms of the participants screens: they validate, they never save.

Saving is the services' job (`participants.services`); a view hands them the
cleaned data and puts any `ValidationError` they raise back on the form with
`add_service_error`. Forms that offer choices take the `user`, so that nobody is
offered a project, organisation or commune outside their scope.
"""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aktywizacja.forms import date_field, date_input, label
from partners.models import Commune, Organisation, Project

from .models import EligibilityCheck, Enrolment, EnrolmentExit, FollowUp, Participant, Sex
from .pesel import parse_pesel
from .selectors import pesel_conflict_message, registration_pairs


class RecruitingPairMixin:
    """The project and the recruiting organisation: only the pairs the user may
    register people in (`participants.register`), preselected when there is one.
    A form calls `init_recruiting_pair` in `__init__` and `clean_recruiting_pair`
    in `clean`."""

    def init_recruiting_pair(self, user) -> None:
        self.pairs = registration_pairs(user)
        projects = {project.pk for project, _organisation in self.pairs}
        organisations = {organisation.pk for _project, organisation in self.pairs}
        self.fields["project"] = forms.ModelChoiceField(
            label=label(Enrolment, "project"), queryset=Project.objects.filter(pk__in=projects)
        )
        self.fields["organisation"] = forms.ModelChoiceField(
            label=label(Enrolment, "recruiting_organisation"),
            queryset=Organisation.objects.filter(pk__in=organisations),
        )
        # Preselect what leaves no choice: a manager of one project registers for
        # any of its partners, a social worker of one centre often in one project.
        if len(projects) == 1:
            self.initial.setdefault("project", next(iter(projects)))
        if len(organisations) == 1:
            self.initial.setdefault("organisation", next(iter(organisations)))

    def clean_recruiting_pair(self, cleaned: dict) -> None:
        project, organisation = cleaned.get("project"), cleaned.get("organisation")
        allowed = {(p.pk, o.pk) for p, o in self.pairs}
        if project and organisation and (project.pk, organisation.pk) not in allowed:
            self.add_error(
                "organisation",
                ValidationError(
                    _("You cannot register participants of this organisation in this project."),
                    code="not_recruiting_here",
                ),
            )


PERSONAL = [
    "first_name",
    "last_name",
    "pesel",
    "no_pesel",
    "other_identifier",
    "sex",
    "birth_date",
    "citizenship",
    "education",
]
ADDRESS = [
    "commune",
    "town",
    "street",
    "building_number",
    "flat_number",
    "postcode",
    "degurba",
    "phone",
    "email",
]
LABOUR_MARKET = ["labour_market_status", "labour_market_substatus", "social_assistance_client"]
SENSITIVE = [
    "disability",
    "disability_degree",
    "disability_intellectual_or_multiple",
    "foreign_origin_or_minority",
    "homeless_or_housing_exclusion",
    "other_disadvantage",
]
RISK_FACTORS = [
    "risk_long_term_unemployed",
    "risk_after_prison",
    "risk_homeless",
    "risk_caring_for_dependant",
    "risk_addiction_in_treatment",
    "risk_other",
]
#: the funder's sensitive questions, answered yes / no / refused
ANSWERS = [
    "disability",
    "foreign_origin_or_minority",
    "homeless_or_housing_exclusion",
    "other_disadvantage",
]


class ParticipantForm(forms.ModelForm):
    """A person's data. With a PESEL, the birth date and sex may be left empty: they
    are read from it; entered, they must match it (the model reports a mismatch)."""

    class Meta:
        model = Participant
        fields = PERSONAL + ADDRESS + LABOUR_MARKET + SENSITIVE + RISK_FACTORS
        widgets = {
            "birth_date": date_input(),
            **dict.fromkeys(ANSWERS, forms.RadioSelect),
        }
        help_texts = {
            "pesel": _("11 digits. Leave the birth date and sex empty to read them from it."),
            "education": _("The highest level completed, in the funder's ISCED groups."),
            "degurba": _(
                "The degree of urbanisation of the place of residence, from the funder's "
                "list of communes (DEGURBA)."
            ),
            "labour_market_status": _(
                "On the day of joining the project. “Registered” means registered as "
                "unemployed at the county labour office (PUP)."
            ),
            "labour_market_substatus": _(
                "The funder's “of which” column; long-term unemployed: over 12 months "
                "(over 6 months under the age of 25)."
            ),
            "social_assistance_client": _(
                "Receives benefits or other support of a social assistance centre."
            ),
            "disability": _(
                "With a certificate of disability or an equivalent document. The person "
                "may refuse to answer a sensitive question."
            ),
            "foreign_origin_or_minority": _("The person's own declaration."),
            "homeless_or_housing_exclusion": _("The person's own declaration."),
            "other_disadvantage": _(
                "E.g. a person leaving foster care or prison, or in a family with a "
                "person dependent on care."
            ),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible_area = Q(projects__in=Project.objects.for_user(user))
        if self.instance.commune_id:
            visible_area |= Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = Commune.objects.filter(visible_area).distinct()
        self.fields["sex"].required = False
        self.fields["sex"].choices = [("", _("— read from the PESEL —")), *Sex.choices]
        self.fields["birth_date"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> holds the token
        self.helper.layout = Layout(*self.fieldsets())

    def fieldsets(self) -> list[Fieldset]:
        answers = [InlineRadios(name) if name in ANSWERS else name for name in SENSITIVE]
        return [
            Fieldset(_("Personal data"), *PERSONAL),
            Fieldset(_("Address and contact"), *ADDRESS),
            Fieldset(_("Labour-market situation"), *LABOUR_MARKET),
            Fieldset(_("Sensitive data"), *answers),
            Fieldset(_("Risk factors"), *RISK_FACTORS),
        ]

    def pesel_conflict(self, pesel: str) -> ValidationError | None:
        """Why this PESEL cannot be saved, if another person has it."""
        if Participant.objects.filter(pesel=pesel).exclude(pk=self.instance.pk).exists():
            message = _("A person with this PESEL is already registered.")
            return ValidationError(message, code="pesel_registered")
        return None

    def clean(self) -> dict:
        cleaned = super().clean()
        pesel, no_pesel = cleaned.get("pesel"), cleaned.get("no_pesel")
        if no_pesel and not cleaned.get("other_identifier"):
            self.add_error(
                "other_identifier",
                ValidationError(
                    _("A person without PESEL needs another identifier: a document and number."),
                    code="no_identifier",
                ),
            )
        elif not no_pesel and not pesel and "pesel" not in self.errors:
            self.add_error(
                "pesel",
                ValidationError(
                    _("Enter the PESEL, or tick “has no PESEL” and enter another identifier."),
                    code="required",
                ),
            )
        data = None
        if pesel and not no_pesel:
            try:
                data = parse_pesel(pesel)
            except ValidationError as error:
                self.add_error("pesel", error)
            else:
                # Said at the field, before the model's constraint says it above the
                # form (a field with an error is left out of the model's checks).
                conflict = self.pesel_conflict(pesel)
                if conflict:
                    self.add_error("pesel", conflict)
        for name in ("birth_date", "sex"):
            if cleaned.get(name) or name in self.errors:
                continue
            if data is not None:
                cleaned[name] = getattr(data, name)
            elif "pesel" not in self.errors:  # else the PESEL's own message says what to fix
                self.add_error(
                    name,
                    ValidationError(
                        _("Enter it, or a valid PESEL to read it from."), code="required"
                    ),
                )
        return cleaned


class RegisterForm(RecruitingPairMixin, ParticipantForm):
    """A new person, registered as a candidate of a project at a recruiting partner."""

    registered_on = date_field(label(Enrolment, "registered_on"), initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.init_recruiting_pair(user)

    def fieldsets(self) -> list[Fieldset]:
        enrolment = Fieldset(_("Enrolment"), "project", "organisation", "registered_on")
        return [enrolment, *super().fieldsets()]

    def pesel_conflict(self, pesel: str) -> ValidationError | None:
        """In a registration, the message names the partner that enrolled the person in
        this project (and nothing about them), as the service would."""
        project = self.cleaned_data.get("project")
        if project is None:
            return super().pesel_conflict(pesel)
        message = pesel_conflict_message(pesel=pesel, project=project)
        return ValidationError(message, code="pesel_registered") if message else None

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_recruiting_pair(cleaned)
        return cleaned


class EnrolExistingForm(RecruitingPairMixin, forms.Form):
    """A person registered before (in an earlier project), found by PESEL and surname."""

    pesel = forms.CharField(label=label(Participant, "pesel"), max_length=11)
    last_name = forms.CharField(label=label(Participant, "last_name"), max_length=100)
    registered_on = date_field(label(Enrolment, "registered_on"), initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.init_recruiting_pair(user)
        self.order_fields(["project", "organisation"])

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_recruiting_pair(cleaned)
        return cleaned


# Enrolment actions -------------------------------------------------------------
# Field names are those the services use as keys of their errors.


class EnrolmentActionForm(forms.Form):
    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        self.enrolment = enrolment
        super().__init__(*args, **kwargs)


class QualifyForm(EnrolmentActionForm):
    qualified_on = date_field(
        label(EligibilityCheck, "checked_on"), required=False, help_text=_("Empty: today.")
    )


class RejectForm(EnrolmentActionForm):
    reason = forms.CharField(
        label=label(Enrolment, "rejection_reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


class OverrideForm(EnrolmentActionForm):
    justification = forms.CharField(
        label=label(EligibilityCheck, "override_justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the candidate is qualified although the rules refused them."),
    )


class ConsentForm(EnrolmentActionForm):
    declaration_signed_on = date_field(label(Enrolment, "declaration_signed_on"), required=False)
    data_protection_signed_on = date_field(
        label(Enrolment, "data_protection_signed_on"), required=False
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        super().__init__(*args, enrolment=enrolment, **kwargs)
        self.initial.setdefault("declaration_signed_on", enrolment.declaration_signed_on)
        self.initial.setdefault("data_protection_signed_on", enrolment.data_protection_signed_on)


class StartSupportForm(EnrolmentActionForm):
    support_start = date_field(label(Enrolment, "support_start"), initial=timezone.localdate)


class ResignForm(EnrolmentActionForm):
    end_date = date_field(_("Date of resignation"), initial=timezone.localdate)
    reason = forms.CharField(
        label=label(Enrolment, "dropout_reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _outcome(name: str) -> forms.BooleanField:
    return forms.BooleanField(label=label(EnrolmentExit, name), required=False)


class ExitForm(EnrolmentActionForm):
    end_date = date_field(label(Enrolment, "end_date"), initial=timezone.localdate)
    completed_pathway = forms.TypedChoiceField(
        label=label(EnrolmentExit, "completed_pathway"),
        choices=[(True, _("yes")), (False, _("no"))],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    dropout_reason = forms.CharField(
        label=label(Enrolment, "dropout_reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the pathway was not completed."),
    )
    left_for_job = _outcome("left_for_job")
    employed = _outcome("employed")
    self_employed = _outcome("self_employed")
    seeking_work = _outcome("seeking_work")
    in_education = _outcome("in_education")
    qualification_gained = _outcome("qualification_gained")


class FollowUpForm(forms.ModelForm):
    """The situation three months after leaving; a second entry corrects the first."""

    class Meta:
        model = FollowUp
        fields = [
            "checked_on",
            "employed",
            "contract_months",
            "working_time",
            "self_employed",
            "social_progress",
            "social_progress_evidence",
        ]
        localized_fields = ["working_time"]  # typed as 0,50
        widgets = {
            "checked_on": date_input(),
            "social_progress_evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enrolment: Enrolment, **kwargs) -> None:
        self.enrolment = enrolment
        existing = FollowUp.objects.filter(enrolment=enrolment).first()
        kwargs["instance"] = existing or FollowUp(enrolment=enrolment)
        super().__init__(*args, **kwargs)
