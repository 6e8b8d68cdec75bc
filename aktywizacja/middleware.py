"""Session lifetime and the client's address for the login lockout."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LAST_ACTIVITY_KEY = "aktywizacja_last_activity"
LOGIN_TIME_KEY = "aktywizacja_login_time"


def mark_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver: the session's 12 hours start now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_TIME_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


class IdleTimeoutMiddleware:
    """Log the user out after `SESSION_IDLE_TIMEOUT` seconds without a request, or
    `SESSION_COOKIE_AGE` seconds after the login, and send them to the login page.

    Each request of a logged-in user stamps its time in the session (so the session
    is saved on every request and its expiry date moves on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_activity = session.get(LAST_ACTIVITY_KEY, now)
            login_time = session.setdefault(LOGIN_TIME_KEY, now)
            if (
                now - last_activity > settings.SESSION_IDLE_TIMEOUT
                or now - login_time > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect_to_login(request.get_full_path())
            session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The client's IP for django-axes (`AXES_CLIENT_IP_CALLABLE`).

    With `TRUSTED_PROXY_COUNT` = N > 0 trusted proxies, each appending the address
    it received the request from to X-Forwarded-For, the client is the N-th address
    from the right; anything further left was sent by the client and may be forged.
    With 0 the header is ignored: the address is the connection's own."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
