"""Organisations, projects, partnerships, seat quotas and staff roles.

This app knows no people: participants live in `participants`, which reaches
these models through foreign keys. What a user may see is answered in one place,
`partners.scoping`, and the `for_user` querysets below build on it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import NIPField, REGONField
from .scoping import scope_for
from .validators import validate_postcode

GROSZ = Decimal("0.01")
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Voivodeship(models.TextChoices):
    # Proper names: the funder's forms use them as they are, in Polish.
    DOLNOSLASKIE = "DOLNOSLASKIE", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "KUJAWSKO_POMORSKIE", "kujawsko-pomorskie"
    LUBELSKIE = "LUBELSKIE", "lubelskie"
    LUBUSKIE = "LUBUSKIE", "lubuskie"
    LODZKIE = "LODZKIE", "łódzkie"
    MALOPOLSKIE = "MALOPOLSKIE", "małopolskie"
    MAZOWIECKIE = "MAZOWIECKIE", "mazowieckie"
    OPOLSKIE = "OPOLSKIE", "opolskie"
    PODKARPACKIE = "PODKARPACKIE", "podkarpackie"
    PODLASKIE = "PODLASKIE", "podlaskie"
    POMORSKIE = "POMORSKIE", "pomorskie"
    SLASKIE = "SLASKIE", "śląskie"
    SWIETOKRZYSKIE = "SWIETOKRZYSKIE", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "WARMINSKO_MAZURSKIE", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "WIELKOPOLSKIE", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "ZACHODNIOPOMORSKIE", "zachodniopomorskie"


class Commune(models.Model):
    """A gmina as a territory: a project's area and, later, a participant's address."""

    class Kind(models.TextChoices):
        URBAN = "URBAN", _("urban commune")
        RURAL = "RURAL", _("rural commune")
        URBAN_RURAL = "URBAN_RURAL", _("urban-rural commune")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    county = models.CharField(
        _("county"), max_length=100, help_text=_("The county (powiat), e.g. lęborski.")
    )
    voivodeship = models.CharField(_("voivodeship"), max_length=20, choices=Voivodeship.choices)
    teryt = models.CharField(
        _("TERYT code"),
        max_length=7,
        blank=True,
        help_text=_("Seven digits of the commune in the national register TERYT."),
        validators=[
            RegexValidator(r"^\d{7}$", _("A TERYT code has seven digits."), code="invalid_teryt")
        ],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "county", "voivodeship"],
                name="commune_unique_name_in_county",
                violation_error_message=_("This commune is already on the list."),
            ),
            models.UniqueConstraint(
                fields=["teryt"],
                condition=~Q(teryt=""),
                name="commune_unique_teryt",
                violation_error_message=_("A commune with this TERYT code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county})"


class LocalGovernmentUnit(models.Model):
    """The self-government that runs an organisation: Powiat Lęborski, Gmina Wicko…"""

    class Kind(models.TextChoices):
        VOIVODESHIP = "VOIVODESHIP", _("voivodeship self-government")
        COUNTY = "COUNTY", _("county (powiat)")
        MUNICIPALITY = "MUNICIPALITY", _("municipality (gmina or town)")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local-government unit")
        verbose_name_plural = _("local-government units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganisationQuerySet":
        """Organisations the user belongs to, and their partners in visible projects."""
        scope = scope_for(user)
        if scope.sees_everything:
            return self.all()
        in_visible_projects = Partnership.objects.filter(
            project__in=Project.objects.for_user(user)
        ).values("organisation_id")
        return self.filter(Q(pk__in=scope.organisation_ids) | Q(pk__in=in_visible_projects))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PCPR = "PCPR", _("county family support centre (PCPR)")
        MOPS = "MOPS", _("town social assistance centre (MOPS)")
        GOPS = "GOPS", _("commune social assistance centre (GOPS)")
        OPS = "OPS", _("social assistance centre (OPS)")
        WTZ = "WTZ", _("occupational therapy workshop (WTZ)")
        STAROSTWO = "STAROSTWO", _("county office (Starostwo)")
        SCHOOL = "SCHOOL", _("vocational school or education centre")
        NGO = "NGO", _("non-governmental organisation")
        OTHER = "OTHER", _("other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    local_government_unit = models.ForeignKey(
        LocalGovernmentUnit,
        verbose_name=_("local-government unit"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_("Leave empty for a non-governmental organisation."),
    )
    street = models.CharField(_("street and number"), max_length=150, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=6, blank=True, validators=[validate_postcode]
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    nip = NIPField(_("NIP"), blank=True)
    regon = REGONField(_("REGON"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, place) if part)


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProjectQuerySet":
        """Projects the user may see: see `partners.scoping` for the rules."""
        scope = scope_for(user)
        if scope.sees_everything:
            return self.all()
        through_organisation = Partnership.objects.filter(
            organisation_id__in=scope.organisation_ids
        ).values("project_id")
        return self.filter(Q(pk__in=scope.full_project_ids) | Q(pk__in=through_organisation))


class Project(models.Model):
    title = models.CharField(_("title"), max_length=300)
    short_name = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("Letters, digits and dashes, e.g. lebork-2016; used in commands and exports."),
    )
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    programme = models.CharField(_("programme"), max_length=200)
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    archive_until = models.DateField(
        _("data kept until"),
        null=True,
        blank=True,
        help_text=_(
            "From the funding agreement (umowa o dofinansowanie): the documents and the "
            "participants' data are kept until this day, then anonymised "
            "(manage.py anonymise_expired)."
        ),
    )
    edition_year = models.PositiveSmallIntegerField(
        _("edition (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("For systemic projects run in yearly editions."),
    )
    communes = models.ManyToManyField(
        Commune,
        verbose_name=_("communes of the project's area"),
        related_name="projects",
        blank=True,
        help_text=_("Residents of these communes may take part."),
    )
    budget_total = models.DecimalField(
        _("total budget (PLN)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    grant_share = models.DecimalField(
        _("grant share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    own_contribution_share = models.DecimalField(
        _("own contribution share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    # Eligibility settings: read by the eligibility service of `participants`.
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        default=18,
        validators=[MinValueValidator(15), MaxValueValidator(99)],
        help_text=_("Age a participant must have reached on the day of qualification."),
    )
    admits_inactive = models.BooleanField(_("admits economically inactive people"), default=True)
    admits_unemployed_unregistered = models.BooleanField(
        _("admits unemployed people not registered at the labour office"), default=True
    )
    admits_unemployed_registered = models.BooleanField(
        _("admits unemployed people registered at the labour office"), default=False
    )
    admits_employed = models.BooleanField(_("admits employed people"), default=False)

    # Stipend rules (DESIGN §6): a monthly amount for the full hour norm, pro rata below.
    internship_stipend = models.DecimalField(
        _("internship stipend for a full month (PLN)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("E.g. 120% of the unemployment benefit, paid for the full hour norm."),
    )
    internship_hours_norm = models.PositiveSmallIntegerField(
        _("internship hours in a full month"),
        default=160,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    training_stipend = models.DecimalField(
        _("training stipend for a full month (PLN)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    training_hours_norm = models.PositiveSmallIntegerField(
        _("training hours in a full month"),
        default=150,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    training_stipend_floor = models.DecimalField(
        _("lowest training stipend (% of the full amount)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    # Effectiveness thresholds (DESIGN §6): percentages of the finishers the funder expects.
    social_effectiveness_threshold = models.DecimalField(
        _("social effectiveness threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("34"),
        validators=PERCENT,
    )
    employment_effectiveness_threshold = models.DecimalField(
        _("employment effectiveness threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("22"),
        validators=PERCENT,
        help_text=_("For people at risk of poverty or social exclusion."),
    )
    employment_effectiveness_threshold_severe = models.DecimalField(
        _("employment effectiveness threshold, severe disabilities (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("12"),
        validators=PERCENT,
        help_text=_("For people with severe, intellectual or multiple disabilities."),
    )

    history = HistoricalRecords(m2m_fields=[communes])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("The end date must be later than the start date."),
            ),
            models.CheckConstraint(
                condition=Q(archive_until__isnull=True) | Q(archive_until__gte=F("end_date")),
                name="project_archive_after_end",
                violation_error_message=_(
                    "The data cannot be kept for less than the project lasts: the "
                    "retention date must not come before the end date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget_total__isnull=True) | Q(budget_total__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(grant_share__isnull=True, own_contribution_share__isnull=True)
                | Q(
                    grant_share__gte=0,
                    own_contribution_share__gte=0,
                    grant_share=100 - F("own_contribution_share"),
                ),
                name="project_shares_sum_to_100",
                violation_error_message=_(
                    "The grant share and the own contribution share must add up to 100%%."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.edition_year:
            return f"{self.title} ({self.edition_year})"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partners:project_detail", args=[self.pk])

    @property
    def grant_amount(self) -> Decimal | None:
        """The grant in złoty, rounded half up to the grosz."""
        if self.budget_total is None or self.grant_share is None:
            return None
        return (self.budget_total * self.grant_share / 100).quantize(GROSZ, ROUND_HALF_UP)

    @property
    def own_contribution_amount(self) -> Decimal | None:
        """What is left after the grant, so that the two always add up to the total."""
        grant = self.grant_amount
        return None if grant is None else self.budget_total - grant

    def _prefetched(self, relation: str):
        """The related rows if a query prefetched them (lists read them for many
        projects at once), else None: then ask the database."""
        return getattr(self, "_prefetched_objects_cache", {}).get(relation)

    def has_partner(self, organisation: "Organisation") -> bool:
        partnerships = self._prefetched("partnerships")
        if partnerships is not None:
            return any(p.organisation_id == organisation.pk for p in partnerships)
        return self.partnerships.filter(organisation=organisation).exists()

    def recruits_through(self, organisation: "Organisation") -> bool:
        """Whether `organisation` recruits participants here: it has social-activation places."""
        quotas = self._prefetched("quotas")
        if quotas is not None:
            return any(
                q.organisation_id == organisation.pk and q.place_kind == PlaceKind.SOCIAL_ACTIVATION
                for q in quotas
            )
        return self.quotas.filter(
            organisation=organisation, place_kind=PlaceKind.SOCIAL_ACTIVATION
        ).exists()

    @property
    def leader(self) -> "Organisation | None":
        partnership = next((p for p in self.partnerships.all() if p.is_leader), None)
        return partnership.organisation if partnership else None


def _require_partner(record, message, *, code: str) -> None:
    """A record of a project's partner (its quota, its budget line): the organisation
    must be a partner of the project."""
    if (
        record.project_id
        and record.organisation_id
        and not Partnership.objects.filter(
            project_id=record.project_id, organisation_id=record.organisation_id
        ).exists()
    ):
        raise ValidationError({"organisation": ValidationError(message, code=code)})


class Funding(models.TextChoices):
    GRANT = "GRANT", _("grant")
    OWN_CONTRIBUTION = "OWN_CONTRIBUTION", _("own contribution")


class BudgetLineQuerySet(models.QuerySet):
    def with_paid(self, **sums: Q) -> "BudgetLineQuerySet":
        """Annotate each line with what was paid from it: one sum per keyword, over
        the payments the Q selects (`Q()`: all). Payments belong to `pathways` and are
        reached through the reverse relation only. SQLite sums decimals as floats: the
        readers round to the grosz (`paid_amount`)."""
        return self.annotate(
            **{
                name: Coalesce(
                    Sum("payments__amount", filter=condition),
                    Value(Decimal("0.00")),
                    output_field=models.DecimalField(max_digits=14, decimal_places=2),
                )
                for name, condition in sums.items()
            }
        )


def paid_amount(value) -> Decimal:
    """A sum of `with_paid`, to the grosz whatever the database."""
    return Decimal(value).quantize(GROSZ)


class BudgetLine(models.Model):
    """A planned amount of a partner's budget in one category, funded by the grant or
    by the partner's own contribution. Payments are recorded against a line."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    category = models.CharField(_("budget category"), max_length=150)
    funding = models.CharField(
        _("funded from"), max_length=16, choices=Funding.choices, default=Funding.GRANT
    )
    planned_amount = models.DecimalField(
        _("planned amount (PLN)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()
    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "organisation__short_name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "category"],
                name="budgetline_unique_category",
                violation_error_message=_("This partner already has this budget category."),
            ),
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0),
                name="budgetline_planned_not_negative",
                violation_error_message=_("A planned amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name}: {self.category}"

    def clean(self) -> None:
        _require_partner(
            self, _("This organisation is not a partner of the project."), code="not_partner"
        )


class Partnership(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    is_leader = models.BooleanField(_("leader"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-is_leader", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partnership_unique_organisation",
                violation_error_message=_("This organisation is already a partner of the project."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(is_leader=True),
                name="partnership_one_leader",
                violation_error_message=_(
                    "The project already has a leader; a project has exactly one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.project.short_name}"


class PlaceKind(models.TextChoices):
    SOCIAL_ACTIVATION = "SOCIAL_ACTIVATION", _("social activation")
    SPECIALIST_COURSE = "SPECIALIST_COURSE", _("specialist courses")
    INTERNSHIP = "INTERNSHIP", _("internships and reintegration placements")
    SCHOOL_COURSE = "SCHOOL_COURSE", _("school courses")


class SeatQuota(models.Model):
    """How many people an organisation may take in a project, per kind of place.

    A hard cap: the booking service in `participants` locks this row and counts
    the seats taken before it gives one out.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="quotas"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    place_kind = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    seats = models.PositiveIntegerField(_("seats"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seat quota")
        verbose_name_plural = _("seat quotas")
        ordering = ["project", "place_kind", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gt=0),
                name="seatquota_seats_positive",
                violation_error_message=_("The number of seats must be greater than zero."),
            ),
            models.UniqueConstraint(
                fields=["project", "organisation", "place_kind"],
                name="seatquota_unique_triple",
                violation_error_message=_(
                    "This organisation already has a quota of this kind in the project."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_place_kind_display()}: {self.seats}"

    def clean(self) -> None:
        _require_partner(
            self, _("Only a partner of the project can have seats in it."), code="not_a_partner"
        )


class OrganisationMembership(models.Model):
    """A member of staff at an organisation, in a role."""

    class Role(models.TextChoices):
        SOCIAL_WORKER = "SOCIAL_WORKER", _("social worker")
        COORDINATOR = "COORDINATOR", _("coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("This user already has this role in the organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class ProjectRole(models.Model):
    """A user's role across a whole project: its manager or its auditor."""

    class Role(models.TextChoices):
        PROJECT_MANAGER = "PROJECT_MANAGER", _("project manager")
        AUDITOR = "AUDITOR", _("auditor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="project_roles",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        ordering = ["project", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"],
                name="projectrole_one_per_user",
                violation_error_message=_("This user already has a role in the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.project.short_name}"
