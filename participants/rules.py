"""Who may do what with participants: predicates over the one scope (`partners.scoping`).

Seeing is decided by the `for_user` querysets (404 outside). Acting needs more:
the social workers of the recruiting organisation and the project's managers edit;
auditors and coordinators read. Views answer 403, services raise PermissionDenied.
"""

import rules

from partners.models import OrganisationMembership
from partners.scoping import scope_for

SOCIAL_WORKER = OrganisationMembership.Role.SOCIAL_WORKER


@rules.predicate
def is_recruiting_social_worker(user, enrolment) -> bool:
    roles = scope_for(user).organisation_roles.get(enrolment.recruiting_organisation_id, ())
    return SOCIAL_WORKER in roles


@rules.predicate
def manages_the_project(user, enrolment) -> bool:
    return scope_for(user).can_manage(enrolment.project_id)


@rules.predicate
def may_edit_a_participant(user, participant) -> bool:
    """The recruiting centre's social workers and the project's managers; nobody once
    the person is anonymised (the retention period is over: nothing is left to edit)."""
    if participant.anonymised_at is not None:
        return False
    return any(
        is_recruiting_social_worker(user, e) or manages_the_project(user, e)
        for e in participant.enrolments.all()
    )


@rules.predicate
def may_register_in(user, project_and_organisation) -> bool:
    """A social worker of a recruiting partner (one with social-activation places), or
    the project's manager, for any of its recruiting partners."""
    project, organisation = project_and_organisation
    scope = scope_for(user)
    own = SOCIAL_WORKER in scope.organisation_roles.get(organisation.pk, ())
    # the cheap test first: the database is asked only for someone who may act
    return (own or scope.can_manage(project.pk)) and project.recruits_through(organisation)


rules.add_perm("participants.register", may_register_in)
rules.add_perm("participants.edit_enrolment", is_recruiting_social_worker | manages_the_project)
rules.add_perm("participants.edit_participant", may_edit_a_participant)
rules.add_perm("participants.override_eligibility", manages_the_project)
rules.add_perm("participants.view_history", manages_the_project)
