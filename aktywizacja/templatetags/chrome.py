"""The page chrome every template shares: the product's version in the footer and the
breadcrumb trail, so that each page's trail has the same markup."""

import tomllib
from functools import cache
from pathlib import Path

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

register = template.Library()

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def version() -> str:
    """The version in pyproject.toml, read once; empty where the file is not shipped."""
    try:
        with PYPROJECT.open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


@register.simple_tag
def product_version() -> str:
    return version()


@register.simple_tag
def breadcrumbs(*trail) -> str:
    """`{% breadcrumbs url1 label1 url2 label2 … current %}`: the trail from the home page
    (added here) through each (url, label) pair to the current page, which is the last
    argument and gets aria-current. Labels are escaped by the partial."""
    *pairs, current = trail
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes (url, label) pairs, then a label")
    return breadcrumb_trail([(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)], current)


@register.simple_tag
def breadcrumb_trail(trail, current) -> str:
    """The same trail from a list of (url, label) pairs a view made (shared pages such as
    the confirmation page)."""
    links = [(reverse("home"), gettext("My projects")), *trail]
    return render_to_string("_breadcrumbs.html", {"links": links, "current": current})
