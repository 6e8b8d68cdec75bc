"""Breadcrumbs on every page of our own but the home page: one markup (the `breadcrumbs`
tag of `aktywizacja.templatetags.chrome`), a trail that starts at home, ends with the
current page, and whose every link opens for the same user."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from .samples import own_paths

User = get_user_model()

LABEL = "Ścieżka nawigacji"
#: Pages without a trail: home is where every trail starts; the others are seen before
#: logging in, or are steps of logging in that lead nowhere else.
NO_TRAIL = {
    "home",
    "login",
    "logout",
    "health",
    "two_factor_verify",
    "two_factor_setup",
}


class Trail(HTMLParser):
    """The items of the page's breadcrumb navigation: (href or None, aria-current, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: list[str] = []
        self.items: list[dict] = []
        self._inside = self._item = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.navs.append(attrs.get("aria-label") or "")
            self._inside = attrs.get("aria-label") == LABEL
        elif self._inside and tag == "li":
            self._item = True
            self.items.append({"href": None, "current": attrs.get("aria-current"), "text": ""})
        elif self._item and tag == "a":
            self.items[-1]["href"] = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._inside = False
        elif tag == "li":
            self._item = False

    def handle_data(self, data):
        if self._item:
            self.items[-1]["text"] += data.strip()


def trail_of(html: str) -> Trail:
    trail = Trail()
    trail.feed(html)
    return trail


def _pages(user, demo):
    """(URL name, path) of every page of our own the user may open in the demo."""
    yield from own_paths(user, demo, skip=NO_TRAIL)


@pytest.mark.parametrize("username", ["kierownik", "sw.lebork", "koord.starostwo"])
def test_it_puts_a_trail_from_home_to_the_page_on_every_page(demo, login, username):
    client = login(User.objects.get(username=username))
    checked, missing, wrong, broken = 0, [], [], []
    for name, path in _pages(User.objects.get(username=username), demo):
        response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        if "<nav" not in text:  # a fragment the page loads (htmx), not a page
            continue
        checked += 1
        trail = trail_of(text)
        if LABEL not in trail.navs or not trail.items:
            missing.append(name)
            continue
        *earlier, last = trail.items
        if (
            not earlier
            or earlier[0]["href"] != "/"
            or last["current"] != "page"
            or last["href"] is not None
            or not last["text"]
            or any(item["href"] is None or item["current"] for item in earlier)
        ):
            wrong.append((name, trail.items))
        for item in earlier:
            answer = client.get(item["href"], follow=True)
            if answer.status_code != 200:
                broken.append((name, item["href"], answer.status_code))
    assert not missing, f"pages without breadcrumbs: {missing}"
    assert not wrong, f"trails not home → … → the page: {wrong}"
    assert not broken, f"breadcrumb links that do not open: {broken}"
    assert checked >= 20


def test_it_renders_the_trail_with_the_home_page_first_and_escapes_labels():
    # Labels come from data (a person's name, a file name): variables, which are escaped.
    html = Template("{% load chrome %}{% breadcrumbs '/lista/' list current %}").render(
        Context({"list": "<b>Lista</b>", "current": "Strona & <i>x</i>"})
    )
    trail = trail_of(html)
    assert [item["href"] for item in trail.items] == ["/", "/lista/", None]
    assert trail.items[-1]["current"] == "page"
    assert "<b>" not in html and "&lt;b&gt;Lista&lt;/b&gt;" in html
    assert "Strona &amp; &lt;i&gt;x&lt;/i&gt;" in html


def test_it_refuses_a_url_without_its_label():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load chrome %}{% breadcrumbs '/lista/' 'Lista' '/x/' 'X' %}").render(
            Context({})
        )
