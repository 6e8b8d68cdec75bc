"""Polish wording and formats: the visible text of every page of our own, walked over
the demo, and one Polish term per domain word in the catalogue.

The walk opens every own URL pattern (GET, with in-scope objects of the demo, as
tests/test_access_log_demo.py does) as the project manager and as a social worker and
reads the text a user sees: not attributes, not the values of form fields, not
scripts. There it finds no ISO date (dates are dd.mm.rrrr), no money but "1 234,56 zł",
no decimal point, no English word left and no msgid shown untranslated.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.contrib.auth import get_user_model

from .samples import own_paths

User = get_user_model()
CATALOGUE = Path(__file__).resolve().parent.parent / "locale/pl/LC_MESSAGES/django.po"


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


# Reading what a user sees --------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text nodes of a page, without scripts, styles, form-field values (a
    textarea's content) and the values of attributes."""

    SKIPPED = {"script", "style", "textarea", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.pieces.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.pieces


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: a number with a decimal point: 1234.56 (not a date's dd.mm, which goes on .rrrr, nor
#: the number of a programme's measure, "Działanie 6.1", which is written so)
DECIMAL_POINT = re.compile(r"(?<![\d.])(?<!ziałanie )\d+\.\d{1,2}(?![\d.])")
#: an amount written before "zł"
AMOUNT = re.compile(r"(\d[\d\s\u00a0.,]*?)\s*zł\b")
GOOD_AMOUNT = re.compile(r"-?\d{1,3}(?:[ \u00a0]\d{3})*,\d{2}")
#: English words that must not be left on a Polish page (whole words, as written)
ENGLISH = re.compile(
    r"\b(None|True|False|Yes|No|Submit|Save|Delete|Cancel|Search|Edit|Back|Next|Previous"
    r"|Close|Loading|Download|Upload|Filter|Page|Show|Hide|Total|Name|Date|Error"
    r"|Warning|Success|Required|optional|unknown|and|the|of|or)\b"
)
#: text of the demo's own data that looks like a finding and is not
ALLOWED = [
    re.compile(r"^Aktywizacja$"),
]


def _msgids() -> list[str]:
    """The English msgids a page could show untranslated: those of two words or more
    without placeholders, whose Polish differs."""
    found = []
    for message in _catalogue():
        if not message.id or not isinstance(message.id, str):
            continue
        msgid, msgstr = message.id, message.string
        if "%" in msgid or "{" in msgid or "<" in msgid or len(msgid.split()) < 2:
            continue
        if msgstr and msgstr != msgid:
            found.append(msgid)
    return found


def findings(text: list[str], msgids: list[str]) -> list[str]:
    found = []
    for piece in text:
        if any(pattern.search(piece) for pattern in ALLOWED):
            continue
        for match in ISO_DATE.finditer(piece):
            found.append(f"ISO date {match.group()!r} in {piece!r}")
        for match in DECIMAL_POINT.finditer(piece):
            found.append(f"decimal point {match.group()!r} in {piece!r}")
        for match in AMOUNT.finditer(piece):
            amount = match.group(1).strip()
            if not GOOD_AMOUNT.fullmatch(amount):
                found.append(f"money {match.group()!r} in {piece!r}")
        for match in ENGLISH.finditer(piece):
            found.append(f"English {match.group()!r} in {piece!r}")
    page = "\n".join(text)
    found += [f"untranslated {msgid!r}" for msgid in msgids if msgid in page]
    return found


def test_the_reading_takes_text_only():
    html = (
        '<p title="2016-05-02">Dnia <b>02.05.2016</b></p><script>var None = 1;</script>'
        '<input value="1234.56"><textarea>True</textarea><span>1 234,56 zł</span>'
    )
    assert visible_text(html) == ["Dnia", "02.05.2016", "1 234,56 zł"]
    assert findings(visible_text(html), []) == []


@pytest.mark.parametrize(
    "text, finding",
    [
        ("Data: 2016-05-02", "ISO date"),
        ("Kwota 1234.56", "decimal point"),
        ("Kwota 12.5", "decimal point"),
        ("Razem 1234 zł", "money"),
        ("Razem 1234,56 zł", "money"),
        ("Razem 12,5 zł", "money"),
        ("Save", "English"),
        ("Status: None", "English"),
        ("Wartość: True", "English"),
    ],
)
def test_the_checks_find_what_they_look_for(text, finding):
    assert any(f.startswith(finding) for f in findings([text], [])), findings([text], [])


def test_good_polish_text_passes():
    text = ["Razem: 1 234,56 zł", "100 555,00 zł", "02.05.2016 14:30", "89,5%", "Nie", "Tak"]
    text += ["RPO WP 2014–2020, Działanie 6.1", "Poddziałanie 7.1.1", "Status celu"]
    assert findings(text, []) == []


def test_an_untranslated_msgid_is_found():
    assert findings(["Participant list (CSV)"], ["Participant list (CSV)"])


# The walk -----------------------------------------------------------------------------


def _own_pages(client, user, demo):
    """(path, HTML) of every own page the user opens in the demo."""
    for _name, path in own_paths(user, demo, skip={"logout", "login", "health"}):
        response = client.get(path)
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith("text/html"):
            yield path, response.content.decode()


@pytest.mark.parametrize("username", ["kierownik", "sw.lebork"])
def test_every_page_reads_in_polish(demo, login, username):
    user = User.objects.get(username=username)
    client = login(user)
    msgids = _msgids()
    problems, opened = [], 0
    for path, html in _own_pages(client, user, demo):
        opened += 1
        problems += [f"{path}: {finding}" for finding in findings(visible_text(html), msgids)]
    assert opened > 20
    assert not problems, "\n".join(problems)


# The glossary ---------------------------------------------------------------------------

#: DESIGN.md's domain words: an English msgid that names the word is translated with
#: the Polish term; the rejected synonyms appear in no translation.
GLOSSARY = """
english-regex                      | polish-regex             | never
internships?                       | sta[żż]                  | praktyk
pathways?                          | ścież|ISR                |
participants?                      | uczestni                 |
referr(?:al|als|ed|ing)|refer      | skierow|kieruj           |
reserve list                       | rezerwow                 |
quotas?                            | limi                     | kwot[ay] miejsc|przydział miejsc
employers?                         | pracodaw                 |
coordinators?                      | koordynator              |
social workers?                    | pracowni\\w* socjaln      |
stipends?                          | stypendi                 |
auditors?                          | kontrol|audytor          |
(?<!family )support                | wspar                    |
courses?                           | kurs                     |
budget lines?                      | pozycj                   |
"""

#: the button verbs: one Polish word each
BUTTONS = {
    "Save": "Zapisz",
    "Cancel": "Anuluj",
    "Delete": "Usuń",
    "Filter": "Filtruj",
    "Edit": "Edytuj",
    "Confirm": "Potwierdź",
    "Close": "Zamknij",
    "Refresh": "Odśwież",
}
#: verbs that would compete with them
NEVER_ON_BUTTONS = re.compile(r"^(Zachowaj|Skasuj|Wymaż|Porzuć|Wyszukaj|Zatwierdź)\b")

#: msgids that name a word in another sense, with the reason
GLOSSARY_EXCEPTIONS = {
    # the message names the person, not the role
    "The candidate is qualified despite the rules.",
    "The quota of %(organisation)s is full: the candidate is on the reserve list at "
    "position %(position)d.",
}


def _glossary() -> list[tuple[re.Pattern, re.Pattern, re.Pattern | None]]:
    rows = []
    for line in GLOSSARY.strip().splitlines()[1:]:
        # cells are parted by a bar with spaces around it (the regexes' bars have none)
        english, polish, never = (cell.strip() for cell in re.split(r"\s+\|(?:\s+|$)", line))
        rows.append(
            (
                re.compile(rf"\b(?:{english})\b", re.IGNORECASE),
                re.compile(polish, re.IGNORECASE),
                re.compile(never, re.IGNORECASE) if never else None,
            )
        )
    return rows


def _translations(message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [s for s in strings if s]


def _english(message) -> str:
    return " ".join(message.id) if isinstance(message.id, tuple) else message.id


def test_one_polish_term_per_domain_word():
    problems = []
    for message in _catalogue():
        if not message.id:
            continue
        english = _english(message)
        for term, polish, never in _glossary():
            for translation in _translations(message):
                if never and never.search(translation):
                    problems.append(f"{english!r} → {translation!r}: not {never.pattern!r}")
                if (
                    term.search(english)
                    and english not in GLOSSARY_EXCEPTIONS
                    and not polish.search(translation)
                ):
                    problems.append(f"{english!r} → {translation!r}: wants {polish.pattern!r}")
    assert not problems, "\n".join(problems)


def test_one_verb_per_button():
    catalogue = _catalogue()
    for english, polish in BUTTONS.items():
        assert catalogue.get(english).string == polish, english
    competing = [
        (_english(m), t)
        for m in catalogue
        if m.id
        for t in _translations(m)
        if NEVER_ON_BUTTONS.search(t)
    ]
    assert not competing, competing
