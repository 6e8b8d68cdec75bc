"""What a user may see: the one place that answers it.

A user's scope is read once from their staff memberships and project roles:

* a **social worker** or **coordinator** works for organisations; they see the
  projects those organisations take part in (and, from the participants issue on,
  the people those organisations recruited — or had referred to them);
* a **project manager** or **auditor** sees everything in the projects they hold
  that role in (the auditor read-only);
* a **superuser** administers the system and sees everything;
* anyone else — no role, inactive, anonymous — sees nothing.

Extending it: each app's `QuerySet.for_user(user)` calls `scope_for(user)` and turns
the same `Scope` into a filter of its own rows (`Project.objects.for_user`,
`Organisation.objects.for_user`, and later participants and enrolments). Never
write a second notion of scope; add what a new rule needs to `Scope` instead.
Outside the scope a view answers 404; inside it but read-only, 403.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    sees_everything: bool = False
    #: organisations the user is staff of, with the roles they hold there
    organisation_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    #: project id → PROJECT_MANAGER or AUDITOR
    project_roles: dict[int, str] = field(default_factory=dict)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self.organisation_roles)

    @property
    def full_project_ids(self) -> frozenset[int]:
        """Projects seen whole: those the user manages or audits."""
        return frozenset(self.project_roles)

    @property
    def managed_project_ids(self) -> frozenset[int]:
        return frozenset(pk for pk, role in self.project_roles.items() if role == "PROJECT_MANAGER")

    def can_manage(self, project_id: int) -> bool:
        return self.sees_everything or project_id in self.managed_project_ids

    def sees_recruits_of(self, project_id: int, organisation_id: int) -> bool:
        """Whether the people `organisation` recruited in `project` are in scope: the
        same rule as `EnrolmentQuerySet.for_user`, for one partner (its reserve list)."""
        return (
            self.sees_everything
            or project_id in self.full_project_ids
            or organisation_id in self.organisation_ids
        )

    @property
    def is_empty(self) -> bool:
        return not (self.sees_everything or self.organisation_roles or self.project_roles)


NOBODY = Scope()
_CACHE_ATTRIBUTE = "_aktywizacja_scope"


def scope_for(user, *, refresh: bool = False) -> Scope:
    """The user's scope, read once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    if not refresh and hasattr(user, _CACHE_ATTRIBUTE):
        return getattr(user, _CACHE_ATTRIBUTE)
    if user.is_superuser:
        scope = Scope(sees_everything=True)
    else:
        organisation_roles: dict[int, set[str]] = {}
        for organisation_id, role in user.memberships.values_list("organisation_id", "role"):
            organisation_roles.setdefault(organisation_id, set()).add(role)
        scope = Scope(
            organisation_roles={k: frozenset(v) for k, v in organisation_roles.items()},
            project_roles=dict(user.project_roles.values_list("project_id", "role")),
        )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope
