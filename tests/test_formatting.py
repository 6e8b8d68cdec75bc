"""Polish formats: 1 234,56 zł, 89,5%, dd.mm.rrrr."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats

from aktywizacja.templatetags.fmt import money, percent

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), f"1{NBSP}234,56{NBSP}zł"),
        (Decimal("100555"), f"100{NBSP}555,00{NBSP}zł"),
        (Decimal("0.005"), f"0,01{NBSP}zł"),  # half up, to the grosz
        (Decimal("-1234567.891"), f"-1{NBSP}234{NBSP}567,89{NBSP}zł"),
        (12, f"12,00{NBSP}zł"),
        (None, ""),
    ],
)
def test_money(value, expected):
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("89.50"), "89,5%"),
        (Decimal("10.50"), "10,5%"),
        (Decimal("100"), "100%"),
        (None, ""),
    ],
)
def test_percent(value, expected):
    assert percent(value) == expected


def test_dates_print_as_dd_mm_yyyy():
    rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2016, 4, 1)}))
    assert rendered == "01.04.2016"
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d.%m.%Y"
