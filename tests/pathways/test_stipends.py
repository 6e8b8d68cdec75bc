"""Stipends by hand: the project's monthly amount, pro rata, rounded half up to the grosz."""

import datetime
from decimal import Decimal

import pytest

from pathways.stipends import internship_stipend, month_bounds, training_stipend, working_days

FULL = Decimal("997.32")  # 120% of the 2016 unemployment benefit, 831,10 zł


def internship(hours, excused=0, amount=FULL):
    return internship_stipend(
        monthly_amount=amount,
        hours_norm=160,
        hours_worked=Decimal(hours),
        excused_hours=Decimal(excused),
    )


def test_a_full_month_pays_the_full_amount():
    assert internship(160) == Decimal("997.32")


def test_more_hours_than_the_norm_pay_no_more():
    assert internship(168) == Decimal("997.32")


def test_partial_hours_pay_in_proportion():
    # 997,32 × 120 / 160 = 747,99 exactly
    assert internship(120) == Decimal("747.99")


def test_excused_absence_counts_as_time_worked():
    # 17 days × 8 h = 136 h worked + 3 excused days × 8 h = 24 h → 160 h: full month
    assert internship(136, excused=24) == Decimal("997.32")
    # without the excused days: 997,32 × 136 / 160 = 847,722 → 847,72
    assert internship(136) == Decimal("847.72")


def test_a_month_cut_by_the_start_date():
    # Starting Wednesday 15.06.2016: 12 working days to 30.06 → 96 h
    # 997,32 × 96 / 160 = 598,392 → 598,39
    start, end = datetime.date(2016, 6, 15), month_bounds(datetime.date(2016, 6, 1))[1]
    assert working_days(start, end) == 12
    assert internship(12 * 8) == Decimal("598.39")


def test_a_month_cut_by_the_end_date():
    # Ending Friday 08.07.2016: 6 working days from 01.07 → 48 h → 997,32 × 48/160 = 299,196
    assert working_days(datetime.date(2016, 7, 1), datetime.date(2016, 7, 8)) == 6
    assert internship(48) == Decimal("299.20")


def test_rounding_is_half_up_not_to_even():
    # 20,00 × 1 / 160 = 0,125 → 0,13 (banker's rounding would give 0,12)
    assert internship(1, amount=Decimal("20.00")) == Decimal("0.13")


def test_no_hours_no_stipend():
    assert internship(0) == Decimal("0.00")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (150, "997.32"),  # the full norm
        (200, "997.32"),  # never above the full amount
        (75, "498.66"),  # half: 997,32 / 2
        (100, "664.88"),  # 997,32 × 100/150 = 664,88
        (10, "199.46"),  # 66,488 is below the floor: 20% × 997,32 = 199,464 → 199,46
        (0, "0.00"),
    ],
)
def test_training_stipend(hours, expected):
    amount = training_stipend(
        monthly_amount=FULL, hours_norm=150, hours=Decimal(hours), floor_percent=Decimal("20")
    )
    assert amount == Decimal(expected)


def test_working_days_count_weekdays_only():
    assert working_days(datetime.date(2016, 6, 1), datetime.date(2016, 6, 30)) == 22
    assert working_days(datetime.date(2016, 6, 4), datetime.date(2016, 6, 5)) == 0  # weekend
    assert working_days(datetime.date(2016, 6, 5), datetime.date(2016, 6, 4)) == 0
