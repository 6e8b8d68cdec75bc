"""Who may act on pathways: predicates over the one scope (`partners.scoping`).

Writing the pathway and referring is the recruiting centre's work
(`participants.edit_enrolment`); recording support belongs to the staff of the
organisation that gives it; vocational steps to the coordinators of the organisation
the participant was referred to. Project managers may do all of it.
"""

import rules

from partners.models import OrganisationMembership
from partners.scoping import scope_for

COORDINATOR = OrganisationMembership.Role.COORDINATOR


@rules.predicate
def works_for_the_provider(user, project_and_organisation) -> bool:
    """Staff of a partner organisation, recording what their organisation gives."""
    project, organisation = project_and_organisation
    scope = scope_for(user)
    if scope.can_manage(project.pk):
        return True
    return organisation.pk in scope.organisation_ids and project.has_partner(organisation)


@rules.predicate
def coordinates_where_referred(user, enrolment) -> bool:
    scope = scope_for(user)
    if scope.can_manage(enrolment.project_id):
        return True
    mine = {pk for pk, roles in scope.organisation_roles.items() if COORDINATOR in roles}
    return enrolment.referrals.filter(to_organisation_id__in=mine).exists()


@rules.predicate
def coordinates_or_manages(user) -> bool:
    scope = scope_for(user)
    return (
        scope.sees_everything
        or bool(scope.managed_project_ids)
        or any(COORDINATOR in roles for roles in scope.organisation_roles.values())
    )


@rules.predicate
def manages_a_project(user) -> bool:
    """The catalogue of forms of support is shared by all projects: any project manager
    (or a superuser) extends it."""
    scope = scope_for(user)
    return scope.sees_everything or bool(scope.managed_project_ids)


rules.add_perm("pathways.record_support", works_for_the_provider)
rules.add_perm("pathways.act_vocational", coordinates_where_referred)
rules.add_perm("pathways.manage_employers", coordinates_or_manages)
rules.add_perm("pathways.manage_catalogue", manages_a_project)
