"""Forms of the social worker's pathway screens: they validate, they never save.

Saving is the job of `pathways.services`; a view hands a service the cleaned data
and puts any `ValidationError` it raises back on the form (`add_service_error`).
Choices are scoped: forms take the `user` or the `enrolment` whose project bounds them.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aktywizacja.forms import MoneyField, date_field, date_input, label
from participants.models import Enrolment
from partners.models import BudgetLine, Organisation, Partnership, Project

from . import services
from .models import (
    Attendance,
    Course,
    Pathway,
    PathwayGoal,
    Payment,
    PlannedSupport,
    Referral,
    Session,
    SupportForm,
)
from .selectors import recording_pairs, recording_providers


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _row_errors(error: ValidationError) -> list[ValidationError]:
    """A service's error as a flat list, whatever shape it came in (with its codes)."""
    if hasattr(error, "error_dict"):
        return [e for errors in error.error_dict.values() for e in errors]
    return error.error_list


# The pathway ----------------------------------------------------------------------


class PathwayForm(forms.ModelForm):
    """The diagnosis: written once, revised as often as needed (history keeps each)."""

    class Meta:
        model = Pathway
        fields = ["needs", "potential", "barriers", "signed_on"]
        widgets = {
            "needs": _textarea(5),
            "potential": _textarea(4),
            "barriers": _textarea(4),
            "signed_on": date_input(),
        }
        help_texts = {
            "needs": _("What the person needs to return to social and working life."),
            "potential": _("Strengths, skills and experience to build on."),
            "barriers": _("What stands in the way: health, care duties, transport, addiction…"),
        }

    def __init__(self, *args, enrolment: Enrolment, user, **kwargs) -> None:
        self.enrolment = enrolment
        kwargs["instance"] = getattr(enrolment, "pathway", None) or Pathway(enrolment=enrolment)
        super().__init__(*args, **kwargs)


class GoalForm(forms.ModelForm):
    class Meta:
        model = PathwayGoal
        fields = ["description"]

    def __init__(self, *args, enrolment: Enrolment, user, **kwargs) -> None:
        self.enrolment = enrolment
        super().__init__(*args, **kwargs)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=label(PathwayGoal, "status"), choices=PathwayGoal.Status)

    def __init__(self, *args, goal: PathwayGoal, **kwargs) -> None:
        self.goal = goal
        super().__init__(*args, **kwargs)
        self.initial.setdefault("status", goal.status)


class PlanItemForm(forms.ModelForm):
    """An item of the plan: a form of support in use, by a partner of the project."""

    class Meta:
        model = PlannedSupport
        fields = ["support_form", "provider", "planned_start", "planned_end", "planned_hours"]
        localized_fields = ["planned_hours"]  # typed as 1,5
        widgets = {"planned_start": date_input(), "planned_end": date_input()}
        help_texts = {"planned_hours": _("For support counted in hours of sessions.")}

    def __init__(self, *args, enrolment: Enrolment, user, **kwargs) -> None:
        self.enrolment = enrolment
        kwargs["instance"] = PlannedSupport(pathway=getattr(enrolment, "pathway", None))
        super().__init__(*args, **kwargs)
        self.fields["support_form"].queryset = SupportForm.objects.filter(is_active=True)
        self.fields["provider"].queryset = Organisation.objects.filter(
            partnerships__project=enrolment.project
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            message = _("The plan cannot end before it starts.")
            self.add_error("planned_end", ValidationError(message, code="dates_order"))
        return cleaned


class ReferralForm(forms.Form):
    """Skierowanie to a partner that gives vocational activation in the project."""

    to_organisation = forms.ModelChoiceField(
        label=label(Referral, "to_organisation"), queryset=Organisation.objects.none()
    )
    referred_on = date_field(label(Referral, "referred_on"), initial=timezone.localdate)
    note = forms.CharField(label=label(Referral, "note"), required=False, widget=_textarea())

    def __init__(self, *args, enrolment: Enrolment, user, **kwargs) -> None:
        self.enrolment = enrolment
        super().__init__(*args, **kwargs)
        targets = services.referral_targets(enrolment.project)
        self.fields["to_organisation"].queryset = targets
        if len(targets) == 1:
            self.initial.setdefault("to_organisation", targets[0].pk)

    def clean_referred_on(self):
        # The service says it too, but of a field named `date`: said here at ours.
        day = self.cleaned_data["referred_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return day


class PaymentForm(forms.ModelForm):
    """A payment to or for the participant, against a budget line of a partner the
    user records for; the line decides who pays and from which funds."""

    class Meta:
        model = Payment
        fields = [
            "kind",
            "amount",
            "paid_on",
            "period_start",
            "period_end",
            "document_number",
            "budget_line",
        ]
        localized_fields = ["amount"]
        field_classes = {"amount": MoneyField}
        widgets = {
            "paid_on": date_input(),
            "period_start": date_input(),
            "period_end": date_input(),
        }
        help_texts = {
            "amount": _("In złoty, e.g. 1 234,56."),
            "budget_line": _("A benefit paid by the centre goes to an own-contribution line."),
        }

    def __init__(self, *args, enrolment: Enrolment, user, **kwargs) -> None:
        self.enrolment = enrolment
        kwargs["instance"] = Payment(enrolment=enrolment)
        super().__init__(*args, **kwargs)
        payers = recording_providers(user, enrolment.project)
        lines = BudgetLine.objects.filter(
            project=enrolment.project, organisation__in=[o.pk for o in payers]
        ).select_related("organisation")
        field = self.fields["budget_line"]
        field.queryset = lines
        field.label_from_instance = lambda line: (
            f"{line.organisation.short_name} — {line.category} ({line.get_funding_display()})"
        )
        if len(lines) == 1:
            self.initial.setdefault("budget_line", lines[0].pk)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            message = _("The period cannot end before it starts.")
            self.add_error("period_end", ValidationError(message, code="period_order"))
        return cleaned


# Sessions ----------------------------------------------------------------------------


def session_support_forms():
    """Forms of support delivered in sessions with an attendance list: meetings, and
    the classes of a course (those go with the course)."""
    units = [SupportForm.Unit.SESSION_HOURS, SupportForm.Unit.COURSE]
    return SupportForm.objects.filter(is_active=True, unit__in=units)


class RecordingPairMixin:
    """The project and the provider: only the pairs the user may record support for
    (`pathways.record_support`). A form calls `init_recording_pair` in `__init__` and
    `clean_recording_pair` in `clean`."""

    def init_recording_pair(self, user) -> None:
        self.pairs = recording_pairs(user)
        projects = {project.pk for project, _organisation in self.pairs}
        providers = {organisation.pk for _project, organisation in self.pairs}
        self.fields["project"].queryset = Project.objects.filter(pk__in=projects)
        self.fields["provider"].queryset = Organisation.objects.filter(pk__in=providers)
        self.fields["support_form"].queryset = session_support_forms()
        # A class of a course: the course fixes the project and the provider.
        self.fields["course"].queryset = Course.objects.filter(
            project__in=projects, organiser__in=providers
        )
        chosen = str(self.data.get("course") or self.initial.get("course") or "")
        course = (
            self.fields["course"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if course is not None:
            self.initial.setdefault("project", course.project_id)
            self.initial.setdefault("provider", course.organiser_id)
        if len(projects) == 1:
            self.initial.setdefault("project", next(iter(projects)))
        if len(providers) == 1:
            self.initial.setdefault("provider", next(iter(providers)))

    def clean_recording_pair(self, cleaned: dict) -> None:
        project, provider = cleaned.get("project"), cleaned.get("provider")
        support_form = cleaned.get("support_form")
        if project and provider and (project.pk, provider.pk) not in self.allowed_pairs:
            if Partnership.objects.filter(project=project, organisation=provider).exists():
                message, code = _("You do not record support for this provider."), "not_yours"
            else:
                message = _("%(organisation)s is not a partner of this project.") % {
                    "organisation": provider.short_name
                }
                code = "not_a_partner"
            self.add_error("provider", ValidationError(message, code=code))
        elif provider and support_form and not support_form.provided_by(provider):
            message = _("%(organisation)s does not provide “%(form)s”.") % {
                "organisation": provider.short_name,
                "form": support_form.name,
            }
            self.add_error("support_form", ValidationError(message, code="not_a_provider"))
        course = cleaned.get("course")
        if course and (course.project != project or course.organiser != provider):
            message = _("A course's classes are recorded for its project and its organiser.")
            self.add_error("course", ValidationError(message, code="course_mismatch"))
        day = cleaned.get("date")
        if day and day > timezone.localdate():
            message = _("The date cannot be in the future.")
            self.add_error("date", ValidationError(message, code="future"))

    @property
    def allowed_pairs(self) -> set[tuple[int, int]]:
        return {(project.pk, organisation.pk) for project, organisation in self.pairs}


class SessionSetupForm(RecordingPairMixin, forms.Form):
    """The first step: for which project, provider, form of support and day the
    attendance grid is built (sent by GET)."""

    project = forms.ModelChoiceField(label=label(Session, "project"), queryset=Project.objects)
    provider = forms.ModelChoiceField(
        label=label(Session, "provider"), queryset=Organisation.objects
    )
    support_form = forms.ModelChoiceField(
        label=label(Session, "support_form"), queryset=SupportForm.objects
    )
    date = date_field(label(Session, "date"), initial=timezone.localdate)
    course = forms.ModelChoiceField(
        label=label(Session, "course"),
        queryset=Course.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.init_recording_pair(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_recording_pair(cleaned)
        return cleaned


SETUP_FIELDS = ["project", "provider", "support_form", "date", "course"]


class SessionForm(RecordingPairMixin, forms.ModelForm):
    """The session itself; what the grid was built for travels in hidden fields."""

    class Meta:
        model = Session
        fields = [*SETUP_FIELDS, "hours", "specialist", "place", "is_group"]
        localized_fields = ["hours"]  # typed as 1,5
        widgets = dict.fromkeys(SETUP_FIELDS, forms.HiddenInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.init_recording_pair(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_recording_pair(cleaned)
        return cleaned


#: the largest id the database holds (a BigAutoField)
MAX_ID = 2**63 - 1


class AttendanceRowForm(forms.Form):
    """One row of the grid: a participant, present or not, and their hours."""

    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.BooleanField(label=label(Attendance, "present"), required=False)
    hours = forms.DecimalField(
        label=label(Attendance, "hours"),
        required=False,
        min_value=Decimal("0.5"),
        max_digits=4,
        decimal_places=1,
        localize=True,
        help_text=_("Empty: the whole session."),
    )
    #: the row's enrolment, found by the formset (None: not one the user may see)
    enrolment_object: Enrolment | None = None


class BaseAttendanceFormSet(forms.BaseFormSet):
    """The attendance grid. Each row is checked by the same gates the service applies
    (`services.support_gate`), so every refusal shows at its row; the service, called
    once with all the rows, saves them all or none."""

    def __init__(self, *args, user, session_form: SessionForm | None = None, **kwargs) -> None:
        self.user = user
        self.session_form = session_form
        super().__init__(*args, **kwargs)
        self._find_enrolments()

    def _find_enrolments(self) -> None:
        wanted = {}
        for form in self.forms:
            try:
                pk = int(form["enrolment"].value())
            except (TypeError, ValueError):
                continue
            # An id beyond the database's integers is nobody's; looked up with the
            # others (`pk__in`), it made SQLite and PostgreSQL refuse the query: a 500.
            if 0 < pk <= MAX_ID:
                wanted[form] = pk
        found = Enrolment.objects.for_user(self.user).select_related("participant", "project")
        found = found.in_bulk(set(wanted.values()))
        for form, pk in wanted.items():
            form.enrolment_object = found.get(pk)

    def clean(self) -> None:
        session = self.session_form
        if session is None or not session.is_valid():
            return
        # A row sent empty (beyond the initial rows) is valid and says nothing: skipped.
        if not any(form.cleaned_data for form in self.forms):
            message = _("Nobody is on the attendance list.")
            raise ValidationError(message, code="no_rows")
        seen: set[int] = set()
        for form in self.forms:
            if "enrolment" in form.cleaned_data:
                self._check_row(form, session.cleaned_data, seen)

    def _check_row(self, form: AttendanceRowForm, session: dict, seen: set[int]) -> None:
        enrolment = form.enrolment_object
        if enrolment is None or enrolment.project_id != session["project"].pk:
            message = _("Not a participant of this project you may see.")
            form.add_error(None, ValidationError(message, code="scope"))
            return
        if enrolment.pk in seen:
            message = _("This participant is already on the list.")
            form.add_error(None, ValidationError(message, code="twice"))
            return
        seen.add(enrolment.pk)
        try:
            services.support_gate(
                enrolment=enrolment,
                support_form=session["support_form"],
                provider=session["provider"],
                day=session["date"],
            )
        except ValidationError as error:
            for row_error in _row_errors(error):
                form.add_error(None, row_error)
        hours = form.cleaned_data.get("hours")
        if form.cleaned_data.get("present") and hours is not None and hours > session["hours"]:
            message = _("More hours than the session lasted (%(hours)s).") % {
                "hours": session["hours"]
            }
            form.add_error("hours", ValidationError(message, code="too_many_hours"))

    def attendance_rows(self) -> list[services.AttendanceRow]:
        return [
            services.AttendanceRow(
                enrolment=form.enrolment_object,
                present=form.cleaned_data["present"],
                hours=form.cleaned_data["hours"],
            )
            for form in self.forms
            if form.cleaned_data
        ]


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=BaseAttendanceFormSet, extra=0)
