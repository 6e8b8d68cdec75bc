"""People, their enrolment in projects, eligibility, seat bookings, exit and follow-up.

Rules that touch several records (booking a seat, moving an enrolment along its
lifecycle) live in `participants.services`; what one user may see lives in the
`for_user` querysets below, built on `partners.scoping`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from partners.models import Commune, Organisation, Project, SeatQuota
from partners.scoping import scope_for
from partners.validators import validate_postcode

from .pesel import mask_pesel, parse_pesel, validate_pesel


class Answer(models.TextChoices):
    """A sensitive question the funder asks: the person may refuse to answer."""

    YES = "YES", _("yes")
    NO = "NO", _("no")
    REFUSED = "REFUSED", _("refused to answer")


class Sex(models.TextChoices):
    FEMALE = "K", _("woman")
    MALE = "M", _("man")


class Citizenship(models.TextChoices):
    POLISH = "PL", _("Polish")
    EU = "EU", _("another EU country")
    NON_EU = "NON_EU", _("a country outside the EU")
    STATELESS = "STATELESS", _("stateless")


class Education(models.TextChoices):
    # The funder's ISCED groups (SL2014).
    ISCED_0 = "ISCED_0", _("lower than primary (ISCED 0)")
    ISCED_1 = "ISCED_1", _("primary (ISCED 1)")
    ISCED_2 = "ISCED_2", _("lower secondary (ISCED 2)")
    ISCED_3 = "ISCED_3", _("upper secondary (ISCED 3)")
    ISCED_4 = "ISCED_4", _("post-secondary (ISCED 4)")
    ISCED_5_8 = "ISCED_5_8", _("higher (ISCED 5–8)")


class Degurba(models.IntegerChoices):
    CITIES = 1, _("1 — cities (densely populated)")
    TOWNS_SUBURBS = 2, _("2 — towns and suburbs (intermediate)")
    RURAL = 3, _("3 — rural areas (thinly populated)")


class LabourMarketStatus(models.TextChoices):
    UNEMPLOYED_REGISTERED = (
        "UNEMPLOYED_REGISTERED",
        _("unemployed, registered at the labour office"),
    )
    UNEMPLOYED_UNREGISTERED = (
        "UNEMPLOYED_UNREGISTERED",
        _("unemployed, not registered at the labour office"),
    )
    INACTIVE = "INACTIVE", _("economically inactive")
    EMPLOYED = "EMPLOYED", _("employed")


class LabourMarketSubstatus(models.TextChoices):
    """The funder's "W tym" column: which sub-statuses go with which status."""

    LONG_TERM_UNEMPLOYED = "LONG_TERM_UNEMPLOYED", _("long-term unemployed")
    IN_EDUCATION = "IN_EDUCATION", _("in education or training")
    NOT_IN_EDUCATION = "NOT_IN_EDUCATION", _("not in education or training")
    OTHER = "OTHER", _("other")


SUBSTATUSES_BY_STATUS = {
    LabourMarketStatus.UNEMPLOYED_REGISTERED: {"LONG_TERM_UNEMPLOYED", "OTHER"},
    LabourMarketStatus.UNEMPLOYED_UNREGISTERED: {"LONG_TERM_UNEMPLOYED", "OTHER"},
    LabourMarketStatus.INACTIVE: {"IN_EDUCATION", "NOT_IN_EDUCATION", "OTHER"},
    LabourMarketStatus.EMPLOYED: {"OTHER"},
}


class DisabilityDegree(models.TextChoices):
    LIGHT = "LIGHT", _("light")
    MODERATE = "MODERATE", _("moderate")
    SEVERE = "SEVERE", _("severe")
    EQUIVALENT = "EQUIVALENT", _("equivalent certificate (other act)")


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user) -> "ParticipantQuerySet":
        """People with at least one enrolment the user may see."""
        if scope_for(user).sees_everything:
            return self.all()
        return self.filter(pk__in=Enrolment.objects.for_user(user).values("participant_id"))


class Participant(models.Model):
    """One record per person in the whole system, whatever projects they join."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    pesel = models.CharField(
        _("PESEL"), max_length=11, blank=True, validators=[validate_pesel], db_index=True
    )
    no_pesel = models.BooleanField(
        _("has no PESEL"), default=False, help_text=_("A foreigner without a Polish PESEL.")
    )
    other_identifier = models.CharField(
        _("other identifier"),
        max_length=60,
        blank=True,
        help_text=_("For a person without PESEL: the kind and number of the document."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    citizenship = models.CharField(
        _("citizenship"), max_length=10, choices=Citizenship.choices, default=Citizenship.POLISH
    )
    education = models.CharField(_("education"), max_length=10, choices=Education.choices)

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="participants"
    )
    town = models.CharField(_("town"), max_length=100)
    street = models.CharField(_("street"), max_length=150, blank=True)
    building_number = models.CharField(_("building number"), max_length=10)
    flat_number = models.CharField(_("flat number"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[validate_postcode])
    degurba = models.PositiveSmallIntegerField(
        _("degree of urbanisation (DEGURBA)"), choices=Degurba.choices
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    disability = models.CharField(
        _("person with a disability"), max_length=8, choices=Answer.choices, default=Answer.NO
    )
    disability_degree = models.CharField(
        _("degree of disability"), max_length=10, choices=DisabilityDegree.choices, blank=True
    )
    disability_intellectual_or_multiple = models.BooleanField(
        _("intellectual or multiple disability"), default=False
    )
    foreign_origin_or_minority = models.CharField(
        _("national or ethnic minority, migrant, person of foreign origin"),
        max_length=8,
        choices=Answer.choices,
        default=Answer.NO,
    )
    homeless_or_housing_exclusion = models.CharField(
        _("homeless or excluded from access to housing"),
        max_length=8,
        choices=Answer.choices,
        default=Answer.NO,
    )
    other_disadvantage = models.CharField(
        _("in another disadvantaged social situation"),
        max_length=8,
        choices=Answer.choices,
        default=Answer.NO,
    )

    labour_market_status = models.CharField(
        _("labour-market status at entry"), max_length=25, choices=LabourMarketStatus.choices
    )
    labour_market_substatus = models.CharField(
        _("of which"), max_length=25, choices=LabourMarketSubstatus.choices, blank=True
    )
    social_assistance_client = models.BooleanField(_("social assistance client"), default=False)
    risk_long_term_unemployed = models.BooleanField(_("long-term unemployed"), default=False)
    risk_after_prison = models.BooleanField(_("released from prison"), default=False)
    risk_homeless = models.BooleanField(_("homeless"), default=False)
    risk_caring_for_dependant = models.BooleanField(
        _("inactive because of caring for a child or a dependant"), default=False
    )
    risk_addiction_in_treatment = models.BooleanField(_("addicted, in treatment"), default=False)
    risk_other = models.CharField(_("other risk factor"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    #: When the retention period ended and the personal data was removed
    #: (`manage.py anonymise_expired`); the statistical fields stay.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="participant_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["pesel"],
                condition=~Q(pesel=""),
                name="participant_unique_pesel",
                violation_error_message=_("A person with this PESEL is already registered."),
            ),
            models.CheckConstraint(
                condition=(Q(no_pesel=False) & ~Q(pesel=""))
                | (Q(no_pesel=True, pesel="") & ~Q(other_identifier="")),
                name="participant_pesel_or_other_identifier",
                violation_error_message=_(
                    "Enter the PESEL, or tick “has no PESEL” and enter another identifier."
                ),
            ),
            models.CheckConstraint(
                condition=Q(disability="YES") | Q(disability_degree=""),
                name="participant_degree_only_with_disability",
                violation_error_message=_(
                    "A degree of disability can be given only for a person with a disability."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.pk])

    @property
    def masked_pesel(self) -> str:
        return mask_pesel(self.pesel)

    RISK_FLAGS = (
        "risk_long_term_unemployed",
        "risk_after_prison",
        "risk_homeless",
        "risk_caring_for_dependant",
        "risk_addiction_in_treatment",
    )

    @property
    def risk_factors(self) -> list[str]:
        """The risk factors recorded, as their names (and the free-text one)."""
        names = [self._meta.get_field(f).verbose_name for f in self.RISK_FLAGS if getattr(self, f)]
        return [*names, self.risk_other] if self.risk_other else names

    @property
    def at_risk_of_exclusion(self) -> bool:
        """At risk of poverty or social exclusion: a client of social assistance, a
        person with a disability, or one with a risk factor."""
        return (
            self.social_assistance_client
            or self.disability == Answer.YES
            or bool(self.risk_factors)
        )

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.pesel and not self.no_pesel:
            try:
                data = parse_pesel(self.pesel)
            except ValidationError:
                pass  # the field validator reports it
            else:
                if self.birth_date and self.birth_date != data.birth_date:
                    errors["birth_date"] = [
                        ValidationError(
                            _("The birth date does not match the PESEL, which gives %(date)s."),
                            code="pesel_birth_date",
                            params={"date": data.birth_date.strftime("%d.%m.%Y")},
                        )
                    ]
                if self.sex and self.sex != data.sex:
                    errors["sex"] = [
                        ValidationError(
                            _("The sex does not match the PESEL (its tenth digit)."),
                            code="pesel_sex",
                        )
                    ]
        if self.no_pesel and self.pesel:
            errors["pesel"] = [
                ValidationError(
                    _("Leave the PESEL empty when the person has none."), code="pesel_and_no_pesel"
                )
            ]
        allowed = SUBSTATUSES_BY_STATUS.get(self.labour_market_status, set())
        if self.labour_market_substatus and self.labour_market_substatus not in allowed:
            errors["labour_market_substatus"] = [
                ValidationError(
                    _("This sub-status does not go with the labour-market status chosen."),
                    code="substatus",
                )
            ]
        if self.disability != Answer.YES and self.disability_intellectual_or_multiple:
            errors["disability_intellectual_or_multiple"] = [
                ValidationError(
                    _("Tick this only for a person with a disability."), code="disability_kind"
                )
            ]
        if errors:
            raise ValidationError(errors)


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user) -> "EnrolmentQuerySet":
        """Enrolments the user may see (see `partners.scoping`): all of the projects
        they manage or audit, those their organisations recruited, and those referred
        to their organisations for vocational activation."""
        scope = scope_for(user)
        if scope.sees_everything:
            return self.all()
        # Referrals belong to `pathways`: reached through the reverse relation only.
        referred_to_them = Enrolment.objects.filter(
            referrals__to_organisation_id__in=scope.organisation_ids
        ).values("pk")
        return self.filter(
            Q(project_id__in=scope.full_project_ids)
            | Q(recruiting_organisation_id__in=scope.organisation_ids)
            | Q(pk__in=referred_to_them)
        )

    def reserve_list(self, *, project, organisation) -> "EnrolmentQuerySet":
        """The reserve list of one partner, first in line first."""
        return self.filter(
            project=project, recruiting_organisation=organisation, status=Enrolment.Status.RESERVE
        ).order_by("reserve_since", "pk")


class Enrolment(models.Model):
    """A person's participation in a project, through the organisation that recruited them."""

    class Status(models.TextChoices):
        CANDIDATE = "CANDIDATE", _("candidate")
        QUALIFIED = "QUALIFIED", _("qualified")
        REJECTED = "REJECTED", _("rejected")
        RESERVE = "RESERVE", _("on the reserve list")
        IN_SUPPORT = "IN_SUPPORT", _("in support")
        COMPLETED = "COMPLETED", _("completed")
        DROPPED_OUT = "DROPPED_OUT", _("dropped out")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="enrolments"
    )
    recruiting_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recruiting organisation"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE
    )
    registered_on = models.DateField(_("registered on"))
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reserve_since = models.DateTimeField(_("on the reserve list since"), null=True, blank=True)
    support_start = models.DateField(_("start of support"), null=True, blank=True)
    participation_start = models.DateField(
        _("start of participation"),
        null=True,
        blank=True,
        help_text=_("The day of the first support received: the funder's start date."),
    )
    end_date = models.DateField(_("end of participation"), null=True, blank=True)
    dropout_reason = models.TextField(_("reason for leaving"), blank=True)
    declaration_signed_on = models.DateField(
        _("participation declaration signed on"), null=True, blank=True
    )
    data_protection_signed_on = models.DateField(
        _("data-protection statement signed on"), null=True, blank=True
    )

    history = HistoricalRecords()
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-registered_on", "pk"]
        indexes = [
            models.Index(
                fields=["project", "recruiting_organisation", "status"],
                name="enrolment_partner_status_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "project"],
                name="enrolment_one_per_project",
                violation_error_message=_("This person is already enrolled in this project."),
            ),
            models.CheckConstraint(
                condition=Q(qualified_on__isnull=True) | Q(qualified_on__gte=F("registered_on")),
                name="enrolment_qualified_after_registered",
                violation_error_message=_("Qualification cannot come before registration."),
            ),
            models.CheckConstraint(
                condition=Q(support_start__isnull=True) | Q(support_start__gte=F("registered_on")),
                name="enrolment_support_after_registered",
                violation_error_message=_("Support cannot start before registration."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=F("registered_on"))
                & (Q(support_start__isnull=True) | Q(end_date__gte=F("support_start"))),
                name="enrolment_end_after_start",
                violation_error_message=_("The end of participation cannot come before its start."),
            ),
            models.CheckConstraint(
                condition=Q(participation_start__isnull=True)
                | Q(support_start__isnull=False, participation_start__gte=F("support_start")),
                name="enrolment_participation_after_support_start",
                violation_error_message=_(
                    "Support cannot be received before the person is taken into support."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["IN_SUPPORT", "COMPLETED"])
                | Q(support_start__isnull=False),
                name="enrolment_supported_has_start",
                violation_error_message=_("Support in progress or completed needs its start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["COMPLETED", "DROPPED_OUT"]) | Q(end_date__isnull=False),
                name="enrolment_ended_has_end_date",
                violation_error_message=_("A finished participation needs its end date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="DROPPED_OUT") | ~Q(dropout_reason=""),
                name="enrolment_dropout_has_reason",
                violation_error_message=_("Give the reason for leaving."),
            ),
            models.CheckConstraint(
                condition=~Q(status="REJECTED") | ~Q(rejection_reason=""),
                name="enrolment_rejection_has_reason",
                violation_error_message=_("Give the reason for rejection."),
            ),
            models.CheckConstraint(
                condition=~Q(status="RESERVE") | Q(reserve_since__isnull=False),
                name="enrolment_reserve_has_time",
                violation_error_message=_("A place on the reserve list needs its time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.project.short_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.participant_id]) + f"#enrolment-{self.pk}"

    @property
    def has_consent(self) -> bool:
        """Both documents signed: the gate before any support."""
        return bool(self.declaration_signed_on and self.data_protection_signed_on)

    def clean(self) -> None:
        if self.project_id and self.recruiting_organisation_id:
            quota_exists = SeatQuota.objects.filter(
                project_id=self.project_id,
                organisation_id=self.recruiting_organisation_id,
                place_kind="SOCIAL_ACTIVATION",
            ).exists()
            if not quota_exists:
                raise ValidationError(
                    {
                        "recruiting_organisation": ValidationError(
                            _(
                                "This organisation recruits no participants in this project "
                                "(it has no social-activation places)."
                            ),
                            code="not_recruiting",
                        )
                    }
                )
        for name in ("declaration_signed_on", "data_protection_signed_on"):
            signed = getattr(self, name)
            if (
                signed
                and self.registered_on
                and signed < self.registered_on - datetime.timedelta(days=366)
            ):
                raise ValidationError(
                    {
                        name: ValidationError(
                            _("The signature date is long before registration; check the year."),
                            code="signature_date",
                        )
                    }
                )


class EligibilityCheck(models.Model):
    """One verdict of the eligibility service, with every reason, kept for the file."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="eligibility_checks",
    )
    checked_on = models.DateField(_("checked for the day"))
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible = models.BooleanField(_("eligible"))
    #: [{"code": …, "passed": bool, "message": …}] in the order the service checks them
    reasons = models.JSONField(_("reasons"))
    override_justification = models.TextField(_("justification of the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overridden by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-checked_at", "-pk"]
        get_latest_by = ["checked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True) | ~Q(override_justification=""),
                name="eligibility_override_justified",
                violation_error_message=_("An override needs a written justification."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {'+' if self.eligible else '-'} {self.checked_on}"

    @property
    def failed_reasons(self) -> list[dict]:
        return [reason for reason in self.reasons if not reason["passed"]]


class SeatBookingQuerySet(models.QuerySet):
    def active(self) -> "SeatBookingQuerySet":
        return self.filter(released_at__isnull=True)


class SeatBooking(models.Model):
    """A seat of a quota held by an enrolment, until released.

    Made only by `services.seat_book`, which locks the quota row first.
    """

    quota = models.ForeignKey(
        SeatQuota, verbose_name=_("seat quota"), on_delete=models.PROTECT, related_name="bookings"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="seat_bookings",
    )
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = SeatBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat booking")
        verbose_name_plural = _("seat bookings")
        ordering = ["booked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quota", "enrolment"],
                condition=Q(released_at__isnull=True),
                name="seatbooking_one_active_per_quota",
                violation_error_message=_("This person already holds a seat of this quota."),
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=F("booked_at")),
                name="seatbooking_released_after_booked",
                violation_error_message=_("A seat cannot be released before it was booked."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quota} ← {self.enrolment_id}"


class EnrolmentExit(models.Model):
    """The situation on leaving the project (several outcomes may apply)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="exit"
    )
    completed_pathway = models.BooleanField(_("completed the planned pathway"))
    left_for_job = models.BooleanField(
        _("left early to take up a job"),
        default=False,
        help_text=_("Counts as a finisher for the funder although the pathway was cut short."),
    )
    employed = models.BooleanField(pgettext_lazy("outcome", "employed"), default=False)
    self_employed = models.BooleanField(_("self-employed"), default=False)
    seeking_work = models.BooleanField(_("seeking work"), default=False)
    in_education = models.BooleanField(_("in education or training"), default=False)
    qualification_gained = models.BooleanField(_("gained a qualification"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit data")
        verbose_name_plural = _("exit data")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_for_job=False) | Q(employed=True) | Q(self_employed=True),
                name="exit_left_for_job_means_work",
                violation_error_message=_(
                    "Leaving to take up a job means being employed or self-employed on leaving."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}"


class SocialProgress(models.TextChoices):
    EDUCATION_STARTED = "EDUCATION_STARTED", _("started education or training")
    MOTIVATION = "MOTIVATION", _("more motivation or self-confidence (survey)")
    FUNCTIONING = "FUNCTIONING", _("better everyday functioning")
    VOLUNTEERING = "VOLUNTEERING", _("took up volunteering")
    HEALTH = "HEALTH", _("improved health")
    ADDICTION_TREATMENT = "ADDICTION_TREATMENT", _("started or continued addiction treatment")


class FollowUp(models.Model):
    """The situation three months after leaving, for the effectiveness figures."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="follow_up"
    )
    checked_on = models.DateField(_("checked on"))
    employed = models.BooleanField(pgettext_lazy("outcome", "employed"), default=False)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    working_time = models.DecimalField(
        _("working time (FTE)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("A share of full time: 1,00 full time, 0,50 half time."),
    )
    self_employed = models.BooleanField(_("self-employed"), default=False)
    social_progress = models.CharField(
        _("social progress"), max_length=25, choices=SocialProgress.choices, blank=True
    )
    social_progress_evidence = models.TextField(_("evidence of social progress"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(employed=False)
                | Q(contract_months__isnull=False, working_time__isnull=False),
                name="followup_employment_details",
                violation_error_message=_(
                    "For a person in employment give the contract length and the working time."
                ),
            ),
            models.CheckConstraint(
                condition=Q(social_progress="") | ~Q(social_progress_evidence=""),
                name="followup_progress_has_evidence",
                violation_error_message=_("Social progress needs its evidence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.checked_on}"

    def clean(self) -> None:
        end = self.enrolment.end_date if self.enrolment_id else None
        if end and self.checked_on and self.checked_on <= end:
            raise ValidationError(
                {
                    "checked_on": ValidationError(
                        _("The follow-up comes after the end of participation."),
                        code="follow_up_date",
                    )
                }
            )


class ParticipantImportQuerySet(models.QuerySet):
    def for_user(self, user) -> "ParticipantImportQuerySet":
        """Imports the user may see: all of the projects they manage or audit, and
        those into their own organisations (the scope of the people imported)."""
        scope = scope_for(user)
        if scope.sees_everything:
            return self.all()
        return self.filter(
            Q(project_id__in=scope.full_project_ids) | Q(organisation_id__in=scope.organisation_ids)
        )


class ParticipantImport(models.Model):
    """The record of one import of a participant list: who, when, which file, what came
    of it. It holds no personal data: the file's bytes (`content`) are kept only while
    the import needs them and cleared when it ends; the errors are our messages, which
    name a row and a column, never the PESEL."""

    class Status(models.TextChoices):
        UPLOADED = "UPLOADED", _("waiting to be checked")
        PREVIEWING = "PREVIEWING", _("being checked")
        PREVIEWED = "PREVIEWED", _("checked")
        IMPORTING = "IMPORTING", _("being imported")
        IMPORTED = "IMPORTED", pgettext_lazy("import status", "imported")
        FAILED = "FAILED", _("not imported")

    RUNNING = (Status.UPLOADED, Status.PREVIEWING, Status.IMPORTING)

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="participant_imports",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recruiting organisation"),
        on_delete=models.PROTECT,
        related_name="participant_imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size (bytes)"))
    content = models.BinaryField(_("file content"), blank=True, default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    new = models.PositiveIntegerField(_("new people"), default=0)
    updated = models.PositiveIntegerField(_("updated people"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged people"), default=0)
    invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    refused = models.TextField(_("reason for refusal"), blank=True)
    #: [{"row": 5, "column": "PESEL", "message": "…"}], the first MAX_ERRORS of them
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # The file's bytes never go into the history: they hold the people's data.
    history = HistoricalRecords(excluded_fields=["content"])
    objects = ParticipantImportQuerySet.as_manager()

    MAX_ERRORS = 1000

    class Meta:
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
                name="participantimport_finished_after_started",
                violation_error_message=_("An import cannot finish before it started."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("participants:import_detail", args=[self.pk])

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_clean(self) -> bool:
        """Checked without a single error or refusal: nothing stops the import."""
        return not (self.invalid or self.refused)

    @property
    def may_be_confirmed(self) -> bool:
        return self.status == self.Status.PREVIEWED and self.is_clean


class AccessAction(models.TextChoices):
    VIEW = "VIEW", _("viewed the record")
    LIST = "LIST", _("shown in a list")
    EDIT = "EDIT", _("sent a form about the person")
    EXPORT = "EXPORT", _("exported")
    IMPORT = "IMPORT", _("imported")
    PRINT = "PRINT", _("printed a document")
    ANONYMISE = "ANONYMISE", _("anonymised")


class AccessPurpose(models.TextChoices):
    CASEWORK = "CASEWORK", _("support in the project")
    RECRUITMENT = "RECRUITMENT", _("recruitment")
    MANAGEMENT = "MANAGEMENT", _("project management and monitoring")
    REPORTING = "REPORTING", _("reporting to the funder")
    AUDIT = "AUDIT", _("audit")
    ADMINISTRATION = "ADMINISTRATION", _("system administration")
    DATA_SUBJECT_REQUEST = "DATA_SUBJECT_REQUEST", _("the person's request (GDPR art. 15)")
    RETENTION = "RETENTION", _("end of the retention period")


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are added, never changed or removed (on PostgreSQL a trigger says so too)."""

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")

    _raw_delete = delete


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class AccessEvent(AppendOnly):
    """One look at (or use of) the personal data of one or more participants: who,
    for which organisation, what, why, when, from where. It names the screen, never
    what was searched for, and holds no PESEL and no names: the people are linked
    through `AccessEventParticipant`. Written only by `participants.access_log`."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=AccessPurpose.choices)
    #: The URL name of the screen (`participants:detail`) or the command's name.
    source = models.CharField(_("screen or command"), max_length=100)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    participant_count = models.PositiveIntegerField(_("people"))
    participants = models.ManyToManyField(
        Participant,
        through="AccessEventParticipant",
        related_name="access_events",
        verbose_name=_("participants"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} ({self.participant_count})"


class AccessEventParticipant(AppendOnly):
    event = models.ForeignKey(AccessEvent, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("person in an access")
        verbose_name_plural = _("people in accesses")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "event"], name="accesseventparticipant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.participant_id}"
