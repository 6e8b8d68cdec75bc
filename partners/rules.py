"""Who may change a project's set-up: predicates over the one scope (`partners.scoping`).

Seeing a project is decided by `Project.objects.for_user` (404 outside). Changing its
budget plan is the project manager's job (or a superuser's); auditors, social
workers and coordinators read it. Views answer 403, services raise PermissionDenied.
Registered by rules' autodiscovery (`rules.apps.AutodiscoverRulesConfig`).
"""

import rules

from .scoping import scope_for


@rules.predicate
def manages_the_project(user, project) -> bool:
    return project is not None and scope_for(user).can_manage(project.pk)


rules.add_perm("partners.manage_budget", manages_the_project)
