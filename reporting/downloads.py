"""The download-token pattern: tells the page's script that a file has started to arrive.

A download link sent by static/js/download-progress.js carries `download_token`, a
random string the script made. The file's response sets a short-lived cookie named
after it; the script, which watches for that cookie, then says the file has arrived and
makes the button usable again. The token is checked against a strict format, so a
crafted one can name no other cookie; the cookie holds nothing but "1".
"""

import re

from django.http import HttpRequest, HttpResponseBase

TOKEN_PARAMETER = "download_token"  # noqa: S105 (a query parameter's name)
COOKIE_PREFIX = "download_"
#: what the script makes: 16 to 64 letters and digits
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9]{16,64}")
#: long enough for the script to see it, short enough not to linger
COOKIE_SECONDS = 60


def download_token(request: HttpRequest) -> str | None:
    """The request's token if it has the expected format, else None."""
    token = request.GET.get(TOKEN_PARAMETER, "")
    return token if TOKEN_FORMAT.fullmatch(token) else None


def mark_download(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Sets the token's cookie on a file's response (nothing when there is no valid token)."""
    token = download_token(request)
    if token is not None:
        response.set_cookie(
            COOKIE_PREFIX + token,
            "1",
            max_age=COOKIE_SECONDS,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,  # the page's script reads it: it is the whole point
        )
    return response


def without_token(query):
    """A copy of a QueryDict without the token: it belongs to one download, not to links."""
    query = query.copy()
    query.pop(TOKEN_PARAMETER, None)
    return query
