"""Formats our users read: money as 1 234,56 zł, shares as 89,5%."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.numberformat import format as number_format

register = template.Library()

NBSP = "\xa0"


def _number(value, decimal_pos: int) -> str:
    return number_format(
        Decimal(value).quantize(Decimal(1).scaleb(-decimal_pos), ROUND_HALF_UP),
        decimal_sep=",",
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep=NBSP,
        force_grouping=True,
    )


@register.filter
def money(value) -> str:
    """1234.5 → "1 234,50 zł" (non-breaking spaces); empty for None."""
    if value is None or value == "":
        return ""
    return f"{_number(value, 2)}{NBSP}zł"


@register.filter
def percent(value) -> str:
    """Decimal("89.50") → "89,5%": at most two decimals, trailing zeros dropped."""
    if value is None or value == "":
        return ""
    text = _number(value, 2).rstrip("0").rstrip(",")
    return f"{text}%"
