"""The participants admin: reading, correcting personal data, and the workflow
actions — which call the same services as the screens, never write statuses."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from partners.admin import BaseAdmin, ScopedAdmin

from . import services
from .access_log import access_shown
from .forms import ADDRESS, LABOUR_MARKET, PERSONAL, RISK_FACTORS, SENSITIVE
from .models import (
    AccessEvent,
    EligibilityCheck,
    Enrolment,
    EnrolmentExit,
    FollowUp,
    Participant,
    ParticipantImport,
    SeatBooking,
)


class PersonalDataAdmin(admin.ModelAdmin):
    """An admin of records that show a person: opening one, or a page of the list,
    is written to the access log like the screens. `participant_path` leads from the
    model to the person (`pk` for the person themself)."""

    participant_path = "enrolment__participant"

    def _people(self, pks) -> list:
        people = self.model._default_manager.filter(pk__in=pks)
        return list(people.values_list(self.participant_path, flat=True))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            access_shown(request, self._people([obj.pk]))
        return obj

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = self._people([obj.pk for obj in changelist.result_list])
            access_shown(request, shown, listing=True)
        return response


class ReadOnlyAdmin(BaseAdmin):
    """Records written only by services: viewable, never added or edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    fields = ["project", "recruiting_organisation", "status", "registered_on", "end_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(PersonalDataAdmin, ScopedAdmin):
    participant_path = "pk"
    list_display = ["last_name", "first_name", "masked_pesel", "commune", "created_at"]
    list_filter = ["sex", "commune", "labour_market_status", "disability", "enrolments__status"]
    search_fields = ["last_name", "first_name", "=pesel"]
    inlines = [EnrolmentInline]
    # The same groups as the registration form: one list of the funder's fields.
    fieldsets = [
        (_("Identity"), {"fields": PERSONAL}),
        (_("Address and contact"), {"fields": ADDRESS}),
        (_("Situation at entry"), {"fields": LABOUR_MARKET + SENSITIVE + RISK_FACTORS}),
    ]

    @admin.display(description=_("PESEL"))
    def masked_pesel(self, obj: Participant) -> str:
        return obj.masked_pesel

    def has_add_permission(self, request) -> bool:
        return False  # a person is registered into a project: use the registration screen

    def save_model(self, request, obj, form, change) -> None:
        services.participant_update(user=request.user, participant=obj)


@admin.action(description=_("Check eligibility and qualify"))
def qualify(modeladmin, request, queryset) -> None:
    _run(request, queryset, lambda e: services.enrolment_qualify(user=request.user, enrolment=e))


@admin.action(description=_("Start support (book a seat or join the reserve list)"))
def start_support(modeladmin, request, queryset) -> None:
    _run(
        request,
        queryset,
        lambda e: services.enrolment_start_support(user=request.user, enrolment=e),
    )


def _run(request, queryset, action) -> None:
    done = 0
    for enrolment in queryset:
        try:
            action(enrolment)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, f"{enrolment}: {text}")
    if done:
        messages.success(request, _("Done for %(count)d enrolments.") % {"count": done})


@admin.register(Enrolment)
class EnrolmentAdmin(PersonalDataAdmin, ScopedAdmin):
    participant_path = "participant"

    list_display = ["participant", "project", "recruiting_organisation", "status", "registered_on"]
    list_filter = ["status", "project", "recruiting_organisation"]
    search_fields = ["participant__last_name", "participant__first_name", "=participant__pesel"]
    list_select_related = ["participant", "project", "recruiting_organisation"]
    actions = [qualify, start_support]
    fields = [
        "participant",
        "project",
        "recruiting_organisation",
        "status",
        "registered_on",
        "qualified_on",
        "rejection_reason",
        "reserve_since",
        "support_start",
        "end_date",
        "dropout_reason",
        "declaration_signed_on",
        "data_protection_signed_on",
    ]
    # The lifecycle moves only through the services (the actions above and the screens).
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "checked_on", "eligible", "checked_by", "overridden_by"]
    list_filter = ["eligible"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(SeatBooking)
class SeatBookingAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["quota", "enrolment", "booked_at", "released_at"]
    list_filter = ["quota__project", "quota__place_kind"]
    search_fields = ["enrolment__participant__last_name", "quota__organisation__short_name"]


@admin.register(EnrolmentExit)
class EnrolmentExitAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "completed_pathway", "employed", "qualification_gained"]
    list_filter = ["completed_pathway", "employed", "qualification_gained"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(FollowUp)
class FollowUpAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "checked_on", "employed", "social_progress"]
    list_filter = ["employed", "social_progress"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(ParticipantImport)
class ParticipantImportAdmin(ScopedAdmin, ReadOnlyAdmin):
    """The record of the imports, read-only: imports run from the import screens."""

    list_display = ["created_at", "file_name", "project", "organisation", "created_by", "status"]
    list_filter = ["status", "project", "organisation"]
    list_select_related = ["project", "organisation", "created_by"]
    # Not the uploaded file (`content`): it holds people's data, never shown, never read.
    fields = [
        "project",
        "organisation",
        "created_by",
        "created_at",
        "file_name",
        "file_size",
        "status",
        "rows_total",
        "rows_done",
        "new",
        "updated",
        "unchanged",
        "invalid",
        "refused",
        "errors",
        "started_at",
        "finished_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    """The access log, read-only (append-only in the database). It shows no person:
    the list for one person is on their page ("Kto przeglądał dane")."""

    list_display = ["at", "user", "organisation", "project", "action", "purpose", "source"]
    list_filter = ["action", "purpose", "project"]
    list_select_related = ["user", "organisation", "project"]
    fields = [
        "at",
        "user",
        "organisation",
        "project",
        "action",
        "purpose",
        "source",
        "ip",
        "participant_count",
    ]
    readonly_fields = fields
    date_hierarchy = "at"
    # The log has no history of its own (it never changes): simple-history's page,
    # which the base admin links to, raised AttributeError; Django's own page instead.
    object_history_template = None
    history_view = admin.ModelAdmin.history_view
