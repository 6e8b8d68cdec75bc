from django.utils.functional import SimpleLazyObject

from .selectors import may_record_support


def recording(request) -> dict:
    """Whether the user records support for some provider (the navbar's "Sessions"
    link), worked out only when a template asks."""
    user = getattr(request, "user", None)
    return {"may_record_support": SimpleLazyObject(lambda: bool(user) and may_record_support(user))}
