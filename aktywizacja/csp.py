"""The Content-Security-Policy middleware: django-csp's, with one exception for the admin.

The policy (CONTENT_SECURITY_POLICY in the settings) allows nothing inline. Django's own
admin satisfies it; django-simple-history's history page in the admin carries one style
attribute (`<p class="paginator" style="border-top: 0">`). Rather than a copy of that
template, the admin — and only the admin — may apply exactly that attribute, named by
its hash: no other inline style, and no inline script, runs there either.
"""

import base64
import hashlib

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse


def style_hash(style: str) -> str:
    """The CSP source that allows exactly this inline style (with 'unsafe-hashes')."""
    digest = hashlib.sha256(style.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# The style attributes the admin's third-party templates use, verbatim.
ADMIN_STYLE_ATTRIBUTES = ("border-top: 0",)  # simple_history/object_history_list.html


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (extended the documented way, `get_policy_parts`)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            allowed = ["'unsafe-hashes'", *map(style_hash, ADMIN_STYLE_ATTRIBUTES)]
            parts.update = {**(parts.update or {}), "style-src-attr": allowed}
        return parts
