"""Reads of projects and quotas for the screens."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Partnership, PlaceKind, Project, SeatQuota


@dataclass
class QuotaRow:
    organisation_id: int
    organisation: str
    seats: int
    taken: int
    reserve: int

    @property
    def free(self) -> int:
        return self.seats - self.taken


@dataclass
class QuotaGroup:
    place_kind: str
    label: str
    rows: list[QuotaRow] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rows)

    @property
    def taken(self) -> int:
        return sum(row.taken for row in self.rows)

    @property
    def free(self) -> int:
        return self.seats - self.taken

    @property
    def reserve(self) -> int:
        return sum(row.reserve for row in self.rows)


def projects_for_home(user):
    """The user's projects with the figures the home page shows, in two queries."""
    social_seats = (
        SeatQuota.objects.filter(project=OuterRef("pk"), place_kind=PlaceKind.SOCIAL_ACTIVATION)
        .values("project")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    leaders = Partnership.objects.filter(is_leader=True).select_related("organisation")
    return (
        Project.objects.for_user(user)
        .annotate(
            partner_count=Count("partnerships"),
            social_seats=Coalesce(Subquery(social_seats, output_field=IntegerField()), 0),
        )
        .prefetch_related(Prefetch("partnerships", queryset=leaders, to_attr="leader_partnerships"))
    )


def quota_table(project: Project) -> list[QuotaGroup]:
    """The project's quotas grouped by kind of place, in the order of `PlaceKind`, with
    the seats taken (active bookings) and, for social activation, the reserve list.

    Bookings and enrolments belong to `participants`; this app reaches them only
    through reverse relations in the query, never by import.
    """
    groups = {kind: QuotaGroup(kind, label) for kind, label in PlaceKind.choices}
    reserve = (
        Project.objects.filter(
            pk=OuterRef("project_id"),
            enrolments__recruiting_organisation=OuterRef("organisation_id"),
            enrolments__status="RESERVE",
        )
        .values("pk")
        .annotate(count=Count("enrolments"))
        .values("count")
    )
    quotas = (
        SeatQuota.objects.filter(project=project)
        .select_related("organisation")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__released_at__isnull=True)),
            reserve=Coalesce(Subquery(reserve, output_field=IntegerField()), 0),
        )
        .order_by("organisation__name")
    )
    for quota in quotas:
        is_social = quota.place_kind == PlaceKind.SOCIAL_ACTIVATION
        groups[quota.place_kind].rows.append(
            QuotaRow(
                quota.organisation_id,
                quota.organisation.short_name,
                quota.seats,
                quota.taken,
                quota.reserve if is_social else 0,
            )
        )
    return [group for group in groups.values() if group.rows]
