"""Reads of projects and quotas for the screens."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Partnership, PlaceKind, Project, SeatQuota


@dataclass
class QuotaRow:
    organisation_id: int
    organisation: str
    seats: int
    #: seats booked; None until the booking service of `participants` counts them
    taken: int | None = None

    @property
    def free(self) -> int | None:
        return None if self.taken is None else self.seats - self.taken


@dataclass
class QuotaGroup:
    place_kind: str
    label: str
    rows: list[QuotaRow] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rows)

    @property
    def taken(self) -> int | None:
        if any(row.taken is None for row in self.rows):
            return None
        return sum(row.taken for row in self.rows)

    @property
    def free(self) -> int | None:
        taken = self.taken
        return None if taken is None else self.seats - taken


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
    """The project's quotas grouped by kind of place, in the order of `PlaceKind`."""
    groups = {kind: QuotaGroup(kind, label) for kind, label in PlaceKind.choices}
    quotas = (
        SeatQuota.objects.filter(project=project)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for quota in quotas:
        groups[quota.place_kind].rows.append(
            QuotaRow(quota.organisation_id, quota.organisation.short_name, quota.seats)
        )
    return [group for group in groups.values() if group.rows]
