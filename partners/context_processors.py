from django.utils.functional import SimpleLazyObject

from .models import OrganisationMembership, ProjectRole


def _roles(user) -> list[str]:
    if not user.is_authenticated:
        return []
    memberships = OrganisationMembership.objects.filter(user=user).select_related("organisation")
    project_roles = ProjectRole.objects.filter(user=user).select_related("project")
    return [f"{m.get_role_display()}, {m.organisation.short_name}" for m in memberships] + [
        f"{r.get_role_display()}, {r.project.short_name}" for r in project_roles
    ]


def user_scope(request) -> dict:
    """The user's roles for the page header, read only when a template asks."""
    user = getattr(request, "user", None)
    return {"user_roles": SimpleLazyObject(lambda: _roles(user) if user else [])}
