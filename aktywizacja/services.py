"""The two steps every service of every app takes, written once."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .constraints import validate_constraints


def require(user, permission: str, obj=None) -> None:
    """PermissionDenied (403 in a view) unless the user holds `permission` on `obj`."""
    allowed = user.has_perm(permission, obj) if obj is not None else user.has_perm(permission)
    if not allowed:
        raise PermissionDenied(_("Your role does not allow this action."))


def save(instance, user, **clean_options) -> None:
    """Validate every rule of the model (fields, clean(), constraints), then save, the
    history record naming `user` (simple-history knows the user by itself only inside
    a request; the demo, imports and commands act outside one)."""
    constraints = clean_options.pop("validate_constraints", True)
    instance.full_clean(validate_constraints=False, **clean_options)
    if constraints:
        # Django would ask one query per check constraint; one is enough.
        validate_constraints(instance, exclude=clean_options.get("exclude"))
    instance._history_user = user
    instance.save()
