from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    BudgetLine,
    Commune,
    LocalGovernmentUnit,
    Organisation,
    OrganisationMembership,
    Partnership,
    Project,
    ProjectRole,
    SeatQuota,
)


def is_an_id(field, value) -> bool:
    """Whether `value` can be looked up as a value of `field`: of its type and, for an
    integer, within the database's range (a query with a larger one fails)."""
    try:
        value = field.get_prep_value(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)
    return True


class ValidIdsAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up as given when it shows
    a form again; a value that is no id at all (a tampered form) raised ValueError —
    a 500 instead of the form's "select a valid choice". It shows only real ids."""

    def optgroups(self, name, value, attr=None):
        ids = [item for item in value if is_an_id(self.field.target_field, item)]
        return super().optgroups(name, ids, attr)


class InRangeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond the database's integers are no choice. Django looks the chosen ids up
    with `__in`, which SQLite (OverflowError) and PostgreSQL (DataError) refuse for
    such a number: a tampered form gave a 500 instead of "select a valid choice"."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for item in value:
            if str(item).strip().lstrip("-").isdigit() and not is_an_id(field, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)  # which says itself what is no number


class ValidIdsAutocomplete:
    """For an admin or an inline: its `autocomplete_fields` use the widget above, its
    many-to-many fields the field above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidIdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", InRangeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BaseAdmin(ValidIdsAutocomplete, SimpleHistoryAdmin):
    """Every admin of the project: history kept, amounts typed the Polish way (1984,80)."""

    formfield_overrides = {models.DecimalField: {"localize": True}}


class ScopedAdmin(BaseAdmin):
    """Staff who are not superusers see in the admin only what they see in the app."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or not hasattr(queryset, "for_user"):
            return queryset
        return queryset.for_user(request.user)


class ConstrainedInlineFormSet(BaseInlineFormSet):
    """An inline whose rows are checked against the model's constraints with the
    parent's key included. Django leaves an inline's foreign key out of each row's
    checks, so a row repeating one already saved (a page open in two tabs, a tampered
    management form) reached the database's constraint: an IntegrityError, a 500."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.errors or not form.has_changed() or self._should_delete_form(form):
                continue
            instance = form.instance
            exclude = {
                f.name
                for f in instance._meta.fields
                if f.name not in form.fields and f.name != self.fk.name
            }
            try:
                instance.validate_constraints(exclude=exclude)
            except ValidationError as error:
                form.add_error(None, error)


class PartnershipFormSet(ConstrainedInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # The database allows one leader per project; a single submission could
        # mark two before either is saved, so count them across the forms here.
        leaders = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_leader") and not form.cleaned_data.get("DELETE")
        ]
        if len(leaders) > 1:
            for form in leaders[1:]:
                form.add_error(
                    "is_leader",
                    ValidationError(
                        _("The project already has a leader; a project has exactly one."),
                        code="second_leader",
                    ),
                )


class PartnershipInline(ValidIdsAutocomplete, admin.TabularInline):
    model = Partnership
    formset = PartnershipFormSet
    fields = ["organisation", "is_leader"]
    autocomplete_fields = ["organisation"]
    extra = 0


class SeatQuotaInline(ValidIdsAutocomplete, admin.TabularInline):
    model = SeatQuota
    formset = ConstrainedInlineFormSet
    fields = ["organisation", "place_kind", "seats"]
    autocomplete_fields = ["organisation"]
    extra = 0


class ProjectRoleInline(ValidIdsAutocomplete, admin.TabularInline):
    model = ProjectRole
    formset = ConstrainedInlineFormSet
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    list_display = ["title", "short_name", "edition_year", "start_date", "end_date"]
    list_filter = ["programme", "edition_year"]
    search_fields = ["title", "short_name", "contract_number"]
    filter_horizontal = ["communes"]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "edition_year"]}),
        (_("Funding"), {"fields": ["programme", "measure", "contract_number", "archive_until"]}),
        (_("Period and area"), {"fields": ["start_date", "end_date", "communes"]}),
        (_("Budget"), {"fields": ["budget_total", "grant_share", "own_contribution_share"]}),
        (
            _("Effectiveness thresholds"),
            {
                "fields": [
                    "social_effectiveness_threshold",
                    "employment_effectiveness_threshold",
                    "employment_effectiveness_threshold_severe",
                ]
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "min_age",
                    "admits_inactive",
                    "admits_unemployed_unregistered",
                    "admits_unemployed_registered",
                    "admits_employed",
                ]
            },
        ),
        (
            _("Stipends"),
            {
                "fields": [
                    "internship_stipend",
                    "internship_hours_norm",
                    "training_stipend",
                    "training_hours_norm",
                    "training_stipend_floor",
                ]
            },
        ),
    ]
    inlines = [PartnershipInline, SeatQuotaInline, ProjectRoleInline]


class MembershipInline(ValidIdsAutocomplete, admin.TabularInline):
    model = OrganisationMembership
    formset = ConstrainedInlineFormSet
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["short_name", "name", "kind", "local_government_unit", "town"]
    list_filter = ["kind", "local_government_unit"]
    search_fields = ["name", "short_name", "nip", "regon", "town"]
    fields = [
        "name",
        "short_name",
        "kind",
        "local_government_unit",
        "street",
        "postcode",
        "town",
        "nip",
        "regon",
        "email",
        "phone",
    ]
    inlines = [MembershipInline]


@admin.register(LocalGovernmentUnit)
class LocalGovernmentUnitAdmin(BaseAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = ["name", "kind"]


@admin.register(Commune)
class CommuneAdmin(BaseAdmin):
    list_display = ["name", "kind", "county", "voivodeship", "teryt"]
    list_filter = ["voivodeship", "kind"]
    search_fields = ["name", "county", "teryt"]
    fields = ["name", "kind", "county", "voivodeship", "teryt"]


@admin.register(Partnership)
class PartnershipAdmin(BaseAdmin):
    list_display = ["organisation", "project", "is_leader"]
    list_filter = ["is_leader", "project"]
    search_fields = ["organisation__name", "organisation__short_name", "project__title"]
    autocomplete_fields = ["organisation"]
    fields = ["project", "organisation", "is_leader"]


@admin.register(SeatQuota)
class SeatQuotaAdmin(BaseAdmin):
    list_display = ["project", "organisation", "place_kind", "seats"]
    list_filter = ["place_kind", "project"]
    search_fields = ["organisation__name", "organisation__short_name", "project__title"]
    autocomplete_fields = ["organisation"]
    fields = ["project", "organisation", "place_kind", "seats"]


class BudgetLineAdminForm(forms.ModelForm):
    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the submitted values
        try:
            services.budget_line_check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(BudgetLine)
class BudgetLineAdmin(BaseAdmin):
    form = BudgetLineAdminForm
    list_display = ["project", "organisation", "category", "funding", "planned_amount"]
    list_filter = ["funding", "project"]
    search_fields = ["category", "organisation__short_name", "project__title"]
    autocomplete_fields = ["organisation"]
    fields = ["project", "organisation", "category", "funding", "planned_amount"]

    # Through the services of the budget screen: a paid line keeps its partner and
    # funds, its plan stays above what was paid, and it cannot be deleted.
    def save_model(self, request, obj, form, change) -> None:
        services.budget_line_save(user=request.user, line=obj)

    def delete_model(self, request, obj) -> None:
        services.budget_line_delete(user=request.user, line=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Bulk deletion would bypass `delete_model`; lines are deleted one by one.
        return obj is not None and super().has_delete_permission(request, obj)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(BaseAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__short_name"]
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role"]


@admin.register(ProjectRole)
class ProjectRoleAdmin(BaseAdmin):
    list_display = ["user", "project", "role"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "user__last_name", "project__title"]
    autocomplete_fields = ["user"]
    fields = ["user", "project", "role"]
