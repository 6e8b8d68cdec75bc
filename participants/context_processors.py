from django.utils.functional import SimpleLazyObject

from partners.scoping import scope_for

from .selectors import registration_pairs


def _may_register(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    # An administrator passes every permission check: no need to read the quotas.
    return scope_for(user).sees_everything or bool(registration_pairs(user))


def registration(request) -> dict:
    """Whether the user may register a participant anywhere (the navbar's link),
    worked out only when a template asks."""
    user = getattr(request, "user", None)
    return {"may_register": SimpleLazyObject(lambda: _may_register(user))}
