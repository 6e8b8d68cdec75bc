"""Hypothesis strategies for fuzzing forms and views (tests/test_fuzzing.py): values
by kind of field — hostile text, impossible numbers and dates, ids inside, outside and
around a choice, broken files — and submissions that mutate a valid one."""

import datetime
import io
import struct
import zipfile

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eRTL\u202c \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "Zażółć gęślą jaźń",
    "😀" * 5,
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n{0}{{ 7*7 }}",
    "\r\n\t",
    "\ufeff\u200b",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
]
TEXT = st.one_of(
    st.sampled_from(NASTY_TEXT), st.text(max_size=40), st.text(min_size=100, max_size=600)
)
NUMBERS = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "sNaN",
            "Infinity",
            "-inf",
            "1e400",
            "1E+999999999",
            "1e-999999999",
            "-0",
            "0",
            "-1",
            "1,5",
            "1.5",
            "1 234,56",
            "1\xa0234,56",
            "0,001",
            "99999999999999999999999",
            "-99999999999999999999",
            "9223372036854775808",
            "0x1F",
            "١٢٣",
            " 7 ",
            "1_000",
            "12.345.678,9",
        ]
    ),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(lambda f: str(f).replace(".", ",")),
    TEXT,
)


def polish(day: datetime.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


DATES = st.one_of(
    st.sampled_from(
        [
            "31.02.2020",
            "29.02.2017",
            "29.02.2016",
            "0001-01-01",
            "01.01.0001",
            "9999-12-31",
            "31.12.9999",
            "00.00.0000",
            "32.01.2020",
            "2020-13-01",
            "1.1.1",
            "01.01.10000",
            "jutro",
        ]
    ),
    st.dates().map(polish),
    st.dates().map(str),
    st.dates(datetime.date(2015, 1, 1), datetime.date(2019, 12, 31)).map(polish),
    TEXT,
)
BOOLEANS = st.sampled_from(["on", "", "true", "false", "0", "1", "False", "off", "\x00", "x" * 500])
JUNK_IDS = ["0", "-1", "999999999", "99999999999999999999999", "abc", "1.5", "1 OR 1=1", "\x00"]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


#: a local file header claiming a member of 4 GB, and nothing after it
ZIP_BOMB_HEADER = b"PK\x03\x04" + struct.pack(
    "<HHHHHIIIHH", 20, 0, 8, 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 17, 0
)
ZIP_BOMB_HEADER += b"xl/workbook.xml" + b"\x00" * 64
#: a whole archive whose one member inflates a thousandfold (8 MB of zeros)
ZIP_BOMB = _zip({"xl/worksheets/sheet1.xml": b"\x00" * 8 * 1024 * 1024})


def _files():
    names = ["lista.csv", "lista.xlsx", "lista.exe", "lista", "x" * 300 + ".csv", "..\\x.csv"]
    return st.one_of(
        st.tuples(st.sampled_from(names), st.binary(max_size=2000)),
        st.sampled_from(
            [
                ("pusty.csv", b""),
                ("pusty.xlsx", b""),
                ("bomba.xlsx", ZIP_BOMB_HEADER),
                ("bomba.xlsx", ZIP_BOMB),
                ("bomba.csv", ZIP_BOMB),
                ("utf16.csv", "PESEL;Imię".encode("utf-16")),
            ]
        ),
    ).map(lambda file: SimpleUploadedFile(file[0], file[1]))


FILES = _files()


def _ids(model, in_scope: list) -> list[str]:
    """Ids of `model` inside the field's choices, outside them (foreign), and junk."""
    foreign = model._default_manager.exclude(pk__in=in_scope).values_list("pk", flat=True)[:3]
    return [str(pk) for pk in [*in_scope, *foreign]] + JUNK_IDS


def values_for(bound: forms.BoundField):
    """A strategy for one field's submitted value, by the field's type."""
    form_field = bound.field
    if isinstance(form_field, forms.FileField):
        return FILES
    if isinstance(form_field, forms.ModelChoiceField):
        in_scope = list(form_field.queryset.values_list("pk", flat=True)[:5])
        ids = st.sampled_from(_ids(form_field.queryset.model, in_scope))
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            return st.lists(ids, max_size=3)
        return st.one_of(ids, TEXT)
    if isinstance(form_field, forms.ChoiceField):
        choices = [str(value) for value, text in form_field.choices if not isinstance(text, list)]
        values = st.one_of(st.sampled_from(choices or [""]), TEXT)
        if isinstance(form_field, forms.MultipleChoiceField):
            return st.lists(values, max_size=3)
        return values
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return BOOLEANS
    if isinstance(form_field, forms.DateField | forms.DateTimeField):
        return DATES
    if isinstance(form_field, forms.IntegerField):  # DecimalField and FloatField too
        return NUMBERS
    return TEXT


def split(data: dict) -> tuple[QueryDict, MultiValueDict]:
    """A submission as a form takes it: the values, and the files apart."""
    values, files = QueryDict(mutable=True), MultiValueDict()
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, SimpleUploadedFile) for item in items):
            files.setlist(key, [i for i in items if isinstance(i, SimpleUploadedFile)])
        else:
            values.setlist(key, [str(item) for item in items])
    return values, files


#: fields no form asks for, sent anyway: they must be ignored
EXTRA_KEYS = [
    "organisation",
    "status",
    "is_staff",
    "is_superuser",
    "project",
    "id",
    "user",
    "x" * 300,
]


@st.composite
def submissions(draw, base: dict, strategies: dict) -> dict:
    """The base, mutated: some fields replaced, dropped or sent twice; or every field
    fuzzed; or nothing; and perhaps fields no form asked for."""
    mode = draw(st.sampled_from(["mutate", "mutate", "mutate", "every", "empty", "base"]))
    data = {} if mode == "empty" else dict(base)
    names = sorted(strategies)
    chosen = names if mode == "every" else []
    if mode == "mutate" and names:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    for name in chosen:
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "twice"]))
        if action == "drop":
            data.pop(name, None)
        elif action == "twice":
            data[name] = [draw(strategies[name]), draw(strategies[name])]
        else:
            data[name] = draw(strategies[name])
    if mode != "base":
        data |= draw(st.dictionaries(st.sampled_from(EXTRA_KEYS), TEXT, max_size=2))
    return data
