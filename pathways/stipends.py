"""Stipends, computed pro rata with Decimal and rounded once, half up, to the grosz.

DESIGN §6: an internship stipend is the project's monthly amount for the full hour
norm (160 h), less in proportion for fewer hours; a training stipend is the monthly
amount for its norm (150 h), in proportion, but not below a floor (20%) of it.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

GROSZ = Decimal("0.01")
ZERO = Decimal("0")


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(GROSZ, rounding=ROUND_HALF_UP)


def internship_stipend(
    *, monthly_amount: Decimal, hours_norm: int, hours_worked: Decimal, excused_hours: Decimal
) -> Decimal:
    """Hours worked and hours of excused absence count alike, up to the norm."""
    counted = min(Decimal(hours_worked) + Decimal(excused_hours), Decimal(hours_norm))
    if counted <= 0:
        return ZERO.quantize(GROSZ)
    return _round(Decimal(monthly_amount) * counted / Decimal(hours_norm))


def training_stipend(
    *, monthly_amount: Decimal, hours_norm: int, hours: Decimal, floor_percent: Decimal
) -> Decimal:
    """In proportion to the hours of the month, never above the full amount and,
    for any hours at all, never below the floor."""
    hours = Decimal(hours)
    if hours <= 0:
        return ZERO.quantize(GROSZ)
    share = min(hours / Decimal(hours_norm), Decimal(1))
    share = max(share, Decimal(floor_percent) / 100)
    return _round(Decimal(monthly_amount) * share)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday to Friday from `start` to `end` inclusive (public holidays not counted)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start + datetime.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count
