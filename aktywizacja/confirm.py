"""The confirmation step before an action that destroys something or cannot be undone:
a GET page that says what will happen and to whom, with a danger button that POSTs to
the same address and "Cancel" back. No JavaScript: the page is the confirmation."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    title: str  # the action, as the page's heading: "Import the file"
    subject: str  # to whom or what: "lista.csv · lebork-2016 · MOPS Lębork"
    consequences: Sequence[str]  # what will happen, one sentence each
    confirm_label: str  # the danger button: "Import 12 rows"
    back_url: str  # where "Cancel" and the breadcrumb before the last lead
    trail: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (url, label) after home


def render_confirmation(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "confirm.html", {"confirmation": confirmation})
