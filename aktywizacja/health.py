"""The health endpoint that load balancers and the container runtime probe."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    """Whether the default database answers a trivial query."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason goes to the log, never to the (public) response.
        logger.exception("Health check: the database does not answer")
        return False
    return True


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} when the app can reach its database, else 503 {"status": "error"}.

    Public and deliberately silent: no version, no host names, no error text.
    """
    if database_answers():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "error"}, status=503)
