"""The pathways admin: the catalogue and employers are edited here; the rest is read
here and written through the services (the screens)."""

from django.contrib import admin

from participants.admin import PersonalDataAdmin, ReadOnlyAdmin
from partners.admin import BaseAdmin

from .models import (
    Course,
    CourseParticipation,
    Employer,
    Internship,
    InternshipMonth,
    MedicalExam,
    Pathway,
    Payment,
    Referral,
    Session,
    SupportForm,
)


@admin.register(SupportForm)
class SupportFormAdmin(BaseAdmin):
    list_display = ["name", "category", "stage", "unit", "is_active"]
    list_filter = ["stage", "category", "unit", "is_active"]
    search_fields = ["name"]
    fields = ["name", "category", "stage", "unit", "provider_kinds", "is_active"]


@admin.register(Employer)
class EmployerAdmin(BaseAdmin):
    list_display = ["name", "nip", "town", "contact_person"]
    search_fields = ["name", "nip", "town"]
    fields = ["name", "nip", "street", "postcode", "town", "contact_person", "phone", "email"]


@admin.register(Pathway)
class PathwayAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "stage", "signed_on"]
    list_filter = ["stage"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(Referral)
class ReferralAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "to_organisation", "referred_on"]
    list_filter = ["to_organisation"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["support_form", "provider", "date", "hours", "specialist"]
    list_filter = ["provider", "support_form"]
    search_fields = ["specialist", "place"]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "organiser", "place_kind", "start_date", "end_date", "capacity"]
    list_filter = ["organiser", "place_kind"]
    search_fields = ["title", "provider_name"]


@admin.register(CourseParticipation)
class CourseParticipationAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["course", "enrolment", "exam_passed", "certificate_date"]
    search_fields = ["enrolment__participant__last_name", "course__title"]


@admin.register(MedicalExam)
class MedicalExamAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "examined_on", "valid_until", "result"]
    search_fields = ["enrolment__participant__last_name"]


@admin.register(Internship)
class InternshipAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "employer", "start_date", "end_date", "status"]
    list_filter = ["status", "organiser"]
    search_fields = ["enrolment__participant__last_name", "employer__name"]


@admin.register(InternshipMonth)
class InternshipMonthAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    participant_path = "internship__enrolment__participant"

    list_display = ["internship", "month", "days_worked", "hours_worked", "stipend"]
    search_fields = ["internship__enrolment__participant__last_name"]


@admin.register(Payment)
class PaymentAdmin(PersonalDataAdmin, ReadOnlyAdmin):
    list_display = ["enrolment", "kind", "amount", "paid_on", "paid_by", "funding"]
    list_filter = ["kind", "funding", "paid_by"]
    search_fields = ["enrolment__participant__last_name", "document_number"]
