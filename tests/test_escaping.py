"""Escaping (issue 7, item 6): markup stored in any text field is shown, never run.

`hostile_demo` takes the Lębork demo and overwrites every free-text field (a CharField
or TextField without choices) of every model of our apps — their history copies
included — and the users' names with markup, through `QuerySet.update()`: that skips
every validator on purpose, because such text can come from an import, the admin or an
older version. Each field gets its own tag (Z00, Z01…), so a failure names the field.

Then every own page (`OWN_PATTERNS`, parameters filled from `PARAMETERS` with objects
of the demo) is rendered as the demo's manager and as the superuser, and the admin's
changelist, change and history pages of every registered model as the superuser: the
raw markup must never appear in an HTML answer, and its escaped form must (that proves
the payloads were rendered at all). The CSV and XLSX files are not HTML: their formula
neutralisation is tested in `tests/reporting/test_neutralise.py`.

The last test fixes the number of places where our code turns autoescaping off.
"""

import re
import string
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Max
from django.urls import reverse
from simple_history.models import HistoricalChanges

from participants.models import AppendOnlyQuerySet, Participant
from partners.models import Project

from .demo_samples import demo_samples
from .urlwalk import (
    OWN_PATTERNS,
    PARAMETERS,
    QUERY_PARAMETERS,
    missing_parameters,
    parameter_names,
    path_for,
)

APPS = ("partners", "participants", "pathways", "reporting")
USER_FIELDS = ("username", "first_name", "last_name", "email")

# Payloads, longest first: each field gets the longest that fits its max_length.
PAYLOADS = (
    "<script>alert({tag})</script>\"'><img src=x onerror=alert({tag})>",  # 60 characters
    "\"'><script>alert({tag})</script>",  # 30
    "<b>{tag}</b>",  # 10
    "<b>{tag}",  # 6
)
_TAG = r"(Z\d[0-9A-Z])"
#: Markup that would run or render: a leak. (Case-blind: a filter may change the case.)
RAW = re.compile(rf"<(?:script>alert\(|img src=x onerror=alert\(|b>){_TAG}", re.IGNORECASE)
#: The same markup escaped: the payload was shown as text.
ESCAPED = re.compile(rf"&lt;(?:script&gt;alert\(|img src=x onerror=alert\(|b&gt;){_TAG}", re.I)

#: Free-text fields that no page of the walk shows, with the reason. Every other field
#: must be seen escaped on at least one page (history copies are checked apart).
NOT_SHOWN: dict[str, str] = {}


def _tag(index: int) -> str:
    return f"Z{index // 36}{(string.digits + string.ascii_uppercase)[index % 36]}"


def _payload(tag: str, max_length: int | None, *, suffix: str = "") -> str | None:
    room = (max_length or 10_000) - len(suffix)
    for template in PAYLOADS:
        value = template.format(tag=tag)
        if len(value) <= room:
            return value + suffix
    return None


def _is_history(model) -> bool:
    return issubclass(model, HistoricalChanges)


def hostile_fields() -> list[models.Field]:
    """Every free-text field of our apps' models (history copies too), and the users'
    names: the fields a person (or an import) can put markup in."""
    fields = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            fields += [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
    user = get_user_model()
    return fields + [user._meta.get_field(name) for name in USER_FIELDS]


def _label(model_field: models.Field) -> str:
    return f"{model_field.model._meta.label}.{model_field.name}"


def _unique_fields(model) -> set[str]:
    """Fields whose values must differ between rows (alone or with others)."""
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        names |= set(getattr(constraint, "fields", ()) or ())
    for together in model._meta.unique_together:
        names |= set(together)
    return names


@dataclass
class Hostile:
    """The demo with markup in every text field."""

    demo: Project
    manager: object
    superuser: object
    #: tag → "app.Model.field"
    fields: dict[str, str]
    #: fields left as they are, with why: "too short" for any payload, or "append-only"
    #: (the access log refuses updates by design; the code writes it, never a person)
    left: dict[str, str]
    #: model → objects to fill the URL parameters with; the first is used everywhere
    samples: dict[type, list]


def _fill(model_field: models.Field, tag: str, unique: bool) -> str:
    """Put the tag's payload in the field of every row (history: of each object's
    latest record, so that a change history shows it). Says what was done."""
    model, name = model_field.model, model_field.attname
    if _payload(tag, model_field.max_length) is None:
        return "too short"
    if isinstance(model.objects.all(), AppendOnlyQuerySet):
        return "append-only"
    if _is_history(model):
        key = model.instance_type._meta.pk.attname
        latest = model.objects.values(key).annotate(last=Max("history_id")).values("last")
        model.objects.filter(history_id__in=latest).update(
            **{name: _payload(tag, model_field.max_length)}
        )
    elif unique:
        digits = string.digits + string.ascii_lowercase
        for index, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            suffix = digits[index // 36] + digits[index % 36] if index >= 36 else digits[index]
            value = _payload(tag, model_field.max_length, suffix=suffix)
            model.objects.filter(pk=pk).update(**{name: value})
    else:
        text = "\n" if isinstance(model_field, models.TextField) else ""
        value = _payload(tag, model_field.max_length)
        model.objects.update(**{name: value.replace("</script>", f"</script>{text}", 1)})
    return "filled"


@pytest.fixture
def samples(demo) -> dict[type, list]:
    return demo_samples(demo)


@pytest.fixture
def hostile_demo(demo, samples) -> Hostile:
    user_model = get_user_model()
    manager = user_model.objects.get(username="kierownik")
    superuser = user_model.objects.get(username="admin")
    # A second history record of the first person, so that their change history has a
    # change to show (the history copies' payloads below).
    samples[Participant][0].save()
    fields, left = {}, {}
    for index, model_field in enumerate(hostile_fields()):
        tag = _tag(index)
        unique = model_field.name in _unique_fields(model_field.model)
        done = _fill(model_field, tag, unique)
        if done == "filled":
            fields[tag] = _label(model_field)
        else:
            left[_label(model_field)] = done
    return Hostile(demo, manager, superuser, fields, left, samples)


# The walk --------------------------------------------------------------------------------


@dataclass
class Walk:
    pages: int = 0
    hits: int = 0
    statuses: Counter = field(default_factory=Counter)
    #: tag → the pages it was seen escaped on
    seen: dict[str, set[str]] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)

    def visit(self, client, path: str, hostile: Hostile, who: str) -> None:
        response = client.get(path)
        self.statuses[response.status_code] += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return
        html = response.content.decode()
        self.pages += 1
        for match in RAW.finditer(html):
            tag = match.group(1).upper()
            context = html[max(match.start() - 40, 0) : match.end() + 20]
            self.leaks.append(
                f"{who} {path}: {hostile.fields.get(tag, tag)} unescaped in …{context}…"
            )
        for match in ESCAPED.finditer(html):
            self.hits += 1
            self.seen.setdefault(match.group(1).upper(), set()).add(f"{who} {path}")


#: pages that take one object of each parameter; these take every sample (a person's
#: page looks different in every status)
EVERY_SAMPLE = {"participants:detail", "pathways:detail"}


def own_paths(hostile: Hostile) -> list[str]:
    paths = []
    for route, name in OWN_PATTERNS:
        parameters = PARAMETERS.get(name, {})
        if not parameter_names(route):
            paths.append(path_for(route, {}))
            continue
        lacking = [m.__name__ for m in parameters.values() if m not in hostile.samples]
        assert not lacking, f"{name}: no sample of {lacking} in tests/demo_samples.py"
        count = max(len(hostile.samples[m]) for m in parameters.values())
        for index in range(count if name in EVERY_SAMPLE else 1):
            values = {
                p: hostile.samples[m][min(index, len(hostile.samples[m]) - 1)]
                for p, m in parameters.items()
            }
            paths.append(path_for(route, values))
    return paths


def admin_paths(hostile: Hostile) -> list[str]:
    paths = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{prefix}_changelist"))
        sample = next(iter(hostile.samples.get(model, [])), None) or model.objects.first()
        if sample is not None:
            paths.append(reverse(f"{prefix}_change", args=[sample.pk]))
            paths.append(reverse(f"{prefix}_history", args=[sample.pk]))
    return paths


def test_every_page_shows_the_stored_markup_escaped(hostile_demo, login):
    """N fields × M pages: no raw payload anywhere, and every field's escaped payload
    on at least one page."""
    assert not missing_parameters()
    hostile, walk = hostile_demo, Walk()
    for who, user in (("manager", hostile.manager), ("superuser", hostile.superuser)):
        client = login(user)
        for path in own_paths(hostile):
            walk.visit(client, path, hostile, who)
    for path in admin_paths(hostile):
        walk.visit(client, path, hostile, "admin")

    assert not walk.leaks, "\n".join(walk.leaks)
    assert 500 not in walk.statuses
    unseen = {
        label
        for tag, label in hostile.fields.items()
        if tag not in walk.seen and not _is_history(apps.get_model(label.rsplit(".", 1)[0]))
    }
    assert unseen == set(NOT_SHOWN), "fields no page showed: " + ", ".join(sorted(unseen))
    # The change history shows the history copies too (the first person's page).
    history_seen = {
        label for tag, label in hostile.fields.items() if tag in walk.seen and "Historical" in label
    }
    assert "participants.HistoricalParticipant.last_name" in history_seen
    assert set(hostile.left.values()) <= {"append-only"}, hostile.left
    own = len(hostile.fields) - sum("Historical" in label for label in hostile.fields.values())
    print(
        f"\nescaping: {len(hostile.fields)} fields ({own} of our models and the users', all "
        f"seen escaped; {len(history_seen)} of {len(hostile.fields) - own} history copies "
        f"seen; left: {sorted(hostile.left)}) × {walk.pages} HTML pages "
        f"({dict(walk.statuses)}): {walk.hits} payloads seen escaped, none raw"
    )


# Reflected input ------------------------------------------------------------------------------


def test_query_parameters_are_shown_escaped(demo, samples, login):
    """Reflected XSS: markup in every query parameter a view reads, on every own page."""
    manager = get_user_model().objects.get(username="kierownik")
    tags = {_tag(300 + i): name for i, name in enumerate(QUERY_PARAMETERS)}
    hostile = Hostile(demo, manager, None, {t: f"?{n}=" for t, n in tags.items()}, {}, samples)
    query = urlencode({name: _payload(tag, None) for tag, name in tags.items()})
    client, walk = login(manager), Walk()
    for path in own_paths(hostile):
        walk.visit(client, f"{path}?{query}", hostile, "manager")
    assert not walk.leaks, "\n".join(walk.leaks)
    assert walk.seen, "no page showed a query parameter"
    print(f"\nreflected: {walk.pages} HTML pages, {len(walk.seen)} parameters shown escaped")


# Markup marked safe -------------------------------------------------------------------------

#: Every place our code or templates turn autoescaping off: {path: count}, each with
#: why it is safe. A new one fails the test until it is justified here.
SAFE_MARKUP: dict[str, int] = {"aktywizacja/two_factor.py": 1}
SAFE_MARKUP_WHY: dict[str, str] = {
    "aktywizacja/two_factor.py": "the QR code of the TOTP set-up as inline SVG: segno writes "
    "every byte of it (its own path data, fixed attributes, a constant title it escapes); the "
    "otpauth link with the username is encoded in the modules, never written as text",
}

SAFE = re.compile(r"\|\s*safe\b|mark_safe\(|\{%\s*autoescape\s+off|SafeString\(|\bsafeseq\b")
SKIP = {".venv", "staticfiles", "node_modules", ".git", "tests", "__pycache__"}


def test_markup_marked_safe_is_counted_and_justified():
    found: Counter = Counter()
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt", ".svg", ".xml"} or not path.is_file():
            continue
        if SKIP & set(path.relative_to(root).parts):
            continue
        count = len(SAFE.findall(path.read_text(encoding="utf-8", errors="replace")))
        if count:
            found[str(path.relative_to(root))] = count
    assert dict(found) == SAFE_MARKUP
    assert set(SAFE_MARKUP_WHY) == set(SAFE_MARKUP)
