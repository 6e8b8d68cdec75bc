"""The individual reintegration pathway and the support delivered along it.

A pathway belongs to one enrolment and runs in two stages: social activation at the
recruiting centre, then — after a referral — vocational activation by Starostwo
and/or PCE-ZSP. Every write goes through `pathways.services`, which applies the
stage gates and books course and internship seats through the one booking service
of `participants`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from participants.models import Enrolment, SeatBooking
from partners.fields import NIPField
from partners.models import BudgetLine, Funding, Organisation, PlaceKind, Project
from partners.validators import validate_postcode

ZERO = Decimal("0")


class Stage(models.TextChoices):
    SOCIAL = "SOCIAL", _("social activation")
    VOCATIONAL = "VOCATIONAL", _("vocational activation")


class SupportForm(models.Model):
    """A form of support of the catalogue (formy wsparcia)."""

    class Category(models.TextChoices):
        SOCIAL = "SOCIAL", _("social")
        VOCATIONAL = "VOCATIONAL", _("vocational")
        EDUCATIONAL = "EDUCATIONAL", _("educational")
        HEALTH = "HEALTH", _("health")

    class Unit(models.TextChoices):
        SESSION_HOURS = "SESSION_HOURS", _("hours of sessions")
        COURSE = "COURSE", _("a course")
        INTERNSHIP_MONTH = "INTERNSHIP_MONTH", _("months of an internship")
        REFUND = "REFUND", _("a refund")
        STIPEND = "STIPEND", _("a stipend")
        EXAMINATION = "EXAMINATION", _("an examination")
        MATERIALS = "MATERIALS", _("materials or clothing")
        SURVEY = "SURVEY", _("a survey")

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    unit = models.CharField(_("counted as"), max_length=20, choices=Unit.choices)
    provider_kinds = models.JSONField(
        _("kinds of organisation that provide it"),
        default=list,
        help_text=_("Codes of organisation kinds, e.g. MOPS, STAROSTWO."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("form of support")
        verbose_name_plural = _("forms of support")
        ordering = ["stage", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        known = set(Organisation.Kind.values)
        if not isinstance(self.provider_kinds, list) or not set(self.provider_kinds) <= known:
            raise ValidationError(
                {
                    "provider_kinds": ValidationError(
                        _("Choose kinds of organisation from the list: %(kinds)s.")
                        % {"kinds": ", ".join(sorted(known))},
                        code="provider_kinds",
                    )
                }
            )

    def provided_by(self, organisation: Organisation) -> bool:
        return not self.provider_kinds or organisation.kind in self.provider_kinds


class Pathway(models.Model):
    """Indywidualna Ścieżka Reintegracji: one per enrolment."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="pathway"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.SOCIAL)
    needs = models.TextField(_("needs"))
    potential = models.TextField(_("potential"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    signed_on = models.DateField(_("signed by the participant on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reintegration pathway")
        verbose_name_plural = _("reintegration pathways")

    def __str__(self) -> str:
        return str(self.enrolment.participant)


class PathwayGoal(models.Model):
    class Status(models.TextChoices):
        PLANNED = "PLANNED", _("planned")
        IN_PROGRESS = "IN_PROGRESS", _("in progress")
        ACHIEVED = "ACHIEVED", _("achieved")
        ABANDONED = "ABANDONED", _("abandoned")

    pathway = models.ForeignKey(
        Pathway, verbose_name=_("pathway"), on_delete=models.CASCADE, related_name="goals"
    )
    description = models.CharField(_("goal"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class PlannedSupport(models.Model):
    """An item of the plan: which support, by whom, when."""

    pathway = models.ForeignKey(
        Pathway, verbose_name=_("pathway"), on_delete=models.CASCADE, related_name="items"
    )
    support_form = models.ForeignKey(
        SupportForm, verbose_name=_("form of support"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned until"))
    planned_hours = models.DecimalField(
        _("planned hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("2000"))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned support")
        verbose_name_plural = _("planned support")
        ordering = ["planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="plannedsupport_dates_in_order",
                violation_error_message=_("The plan cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.support_form} — {self.provider}"


class Referral(models.Model):
    """Skierowanie: hands a participant to a vocational partner, who then sees them."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="referrals"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    referred_on = models.DateField(_("referred on"))
    note = models.TextField(_("note"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "to_organisation"],
                name="referral_once_per_organisation",
                violation_error_message=_("The participant is already referred there."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} → {self.to_organisation}"


class Session(models.Model):
    """A meeting of support (counselling, a workshop…) with its attendance list."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="sessions"
    )
    support_form = models.ForeignKey(
        SupportForm, verbose_name=_("form of support"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    specialist = models.CharField(_("trainer or specialist"), max_length=150)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_group = models.BooleanField(_("group session"), default=True)
    course = models.ForeignKey(
        "Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        help_text=_("For a class of a course: its attendance list is the course's."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=12),
                name="session_hours_possible",
                violation_error_message=_("A session lasts from half an hour to 12 hours."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.support_form} {self.date:%d.%m.%Y}"


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(_("present"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(ZERO)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_once_per_session",
                violation_error_message=_("This participant is already on the list."),
            ),
            models.CheckConstraint(
                condition=Q(present=True) | Q(hours=0),
                name="attendance_absent_has_no_hours",
                violation_error_message=_("An absent participant has no hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant}: {self.hours}"

    def clean(self) -> None:
        if self.session_id and self.hours is not None and self.hours > self.session.hours:
            raise ValidationError(
                {
                    "hours": ValidationError(
                        _("More hours than the session lasted (%(hours)s).")
                        % {"hours": self.session.hours},
                        code="too_many_hours",
                    )
                }
            )


class Course(models.Model):
    """A course run by Starostwo (specialist) or PCE-ZSP (school), with its seats."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="courses"
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("The partner whose quota of course places the course uses."),
    )
    place_kind = models.CharField(
        _("kind of place"),
        max_length=20,
        choices=[
            (PlaceKind.SPECIALIST_COURSE, PlaceKind.SPECIALIST_COURSE.label),
            (PlaceKind.SCHOOL_COURSE, PlaceKind.SCHOOL_COURSE.label),
        ],
    )
    title = models.CharField(_("title"), max_length=200)
    provider_name = models.CharField(_("training provider"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    exam = models.CharField(_("final exam"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_dates_in_order",
                violation_error_message=_("The course cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="course_capacity_positive",
                violation_error_message=_("A course needs at least one place."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourseParticipation(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="participations"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="course_participations",
    )
    seat_booking = models.OneToOneField(
        SeatBooking, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+"
    )
    exam_passed = models.BooleanField(_("exam passed"), null=True, blank=True)
    certificate_name = models.CharField(_("certificate"), max_length=200, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "enrolment"],
                name="courseparticipation_once",
                violation_error_message=_("The participant is already on this course."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_date__isnull=True)
                | (~Q(certificate_name="") & ~Q(certificate_number="")),
                name="courseparticipation_certificate_complete",
                violation_error_message=_("A certificate needs its name, number and date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} — {self.course}"

    @property
    def qualification_gained(self) -> bool:
        """A certificate counts as a qualification gained (the funder's result)."""
        return self.certificate_date is not None


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=255)
    nip = NIPField(_("NIP"), unique=True)
    street = models.CharField(_("street and number"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[validate_postcode])
    town = models.CharField(_("town"), max_length=100)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MedicalExam(models.Model):
    """The occupational-medicine examination required before an internship or course."""

    class Result(models.TextChoices):
        FIT = "FIT", _("no contraindications")
        UNFIT = "UNFIT", _("contraindications")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="medical_exams",
    )
    examined_on = models.DateField(_("examined on"))
    valid_until = models.DateField(_("valid until"))
    result = models.CharField(_("result"), max_length=5, choices=Result.choices)
    purpose = models.CharField(_("for"), max_length=200, help_text=_("E.g. the internship's post."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medical examination")
        verbose_name_plural = _("medical examinations")
        ordering = ["-examined_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("examined_on")),
                name="medicalexam_valid_after_exam",
                violation_error_message=_("The validity cannot end before the examination."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()} {self.examined_on:%d.%m.%Y}"

    def covers(self, start: datetime.date, end: datetime.date) -> bool:
        return (
            self.result == self.Result.FIT and self.examined_on <= start and self.valid_until >= end
        )


class Internship(models.Model):
    """A staż or reintegration placement at an employer, on Starostwo's quota."""

    class Status(models.TextChoices):
        PLANNED = "PLANNED", _("planned")
        RUNNING = "RUNNING", _("running")
        COMPLETED = "COMPLETED", pgettext_lazy("internship", "completed")
        INTERRUPTED = "INTERRUPTED", pgettext_lazy("internship", "interrupted")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="internships"
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="internships",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="internships"
    )
    position = models.CharField(_("post"), max_length=150)
    mentor = models.CharField(_("mentor"), max_length=150)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_per_day = models.DecimalField(
        _("hours a day"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("8"))],
    )
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("40"))],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    medical_exam = models.ForeignKey(
        MedicalExam,
        verbose_name=_("medical examination"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    seat_booking = models.OneToOneField(
        SeatBooking, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="internship_dates_in_order",
                violation_error_message=_("The internship must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0, hours_per_day__lte=8)
                & Q(hours_per_week__gt=0, hours_per_week__lte=40),
                name="internship_hours_possible",
                violation_error_message=_("An internship lasts at most 8 hours a day, 40 a week."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.participant} — {self.employer}"


class InternshipMonth(models.Model):
    """A month of an internship's attendance list, and the stipend it gives."""

    internship = models.ForeignKey(
        Internship, verbose_name=_("internship"), on_delete=models.PROTECT, related_name="months"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    days_worked = models.PositiveSmallIntegerField(_("days worked"))
    hours_worked = models.DecimalField(
        _("hours worked"), max_digits=5, decimal_places=1, validators=[MinValueValidator(ZERO)]
    )
    excused_days = models.PositiveSmallIntegerField(_("days of excused absence"), default=0)
    stipend = models.DecimalField(
        _("stipend"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Computed when the month is recorded, by the project's rule of that day."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internship month")
        verbose_name_plural = _("internship months")
        ordering = ["internship", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "month"],
                name="internshipmonth_once",
                violation_error_message=_("This month is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(stipend__gte=0),
                name="internshipmonth_stipend_not_negative",
                violation_error_message=_("A stipend cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.internship} {self.month:%m.%Y}"


class Payment(models.Model):
    """Money paid to or for a participant: stipends, refunds, other costs, benefits."""

    class Kind(models.TextChoices):
        INTERNSHIP_STIPEND = "INTERNSHIP_STIPEND", _("internship stipend")
        TRAINING_STIPEND = "TRAINING_STIPEND", _("training stipend")
        TRAVEL_REFUND = "TRAVEL_REFUND", _("travel refund")
        CARE_REFUND = "CARE_REFUND", _("childcare or dependant-care refund")
        OTHER_COST = "OTHER_COST", _("other cost")
        BENEFIT = "BENEFIT", _("social assistance benefit (own contribution)")

    Funding = Funding

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (PLN)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("50000"))],
    )
    paid_on = models.DateField(_("paid on"))
    period_start = models.DateField(_("for the period from"))
    period_end = models.DateField(_("for the period until"))
    document_number = models.CharField(_("document number"), max_length=60)
    paid_by = models.ForeignKey(
        Organisation, verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="payments"
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    # Copied from the budget line by `services.payment_record`, so that reports and
    # scoping read them without a join.
    funding = models.CharField(
        _("funded from"), max_length=16, choices=Funding.choices, default=Funding.GRANT
    )
    internship_month = models.OneToOneField(
        InternshipMonth,
        verbose_name=_("internship month"),
        on_delete=models.PROTECT,
        related_name="payment",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["enrolment", "kind"], name="payment_enrolment_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("An amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="payment_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="BENEFIT") | Q(funding="OWN_CONTRIBUTION"),
                name="payment_benefit_is_own_contribution",
                violation_error_message=_(
                    "Benefits paid by the centre count as the own contribution."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.enrolment.participant})"

    def clean(self) -> None:
        line = self.budget_line if self.budget_line_id else None
        if line is None or not self.enrolment_id:
            return
        if line.project_id != self.enrolment.project_id:
            raise ValidationError(
                {
                    "budget_line": ValidationError(
                        _("Choose a budget line of the participant's project."),
                        code="line_project",
                    )
                }
            )
        if self.kind == self.Kind.BENEFIT and line.funding != Funding.OWN_CONTRIBUTION:
            raise ValidationError(
                {
                    "budget_line": ValidationError(
                        _("A benefit paid by the centre goes to an own-contribution line."),
                        code="benefit_line",
                    )
                }
            )
