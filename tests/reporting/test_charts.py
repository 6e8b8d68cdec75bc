"""The charts' geometry: pure functions of numbers."""

import datetime
from decimal import Decimal

import pytest

from reporting.charts import BarRow, bar_chart, funnel, line_chart, nice_ceiling
from reporting.selectors import _running_total, months_between


def test_bars_are_proportional_to_the_largest_value_or_target():
    chart = bar_chart([BarRow("MOPS", 9, 36), BarRow("OPS", 30, 30)], width=360)
    mops, ops = chart.bars
    assert chart.max_value == 36
    assert (mops.width, mops.target_width) == (90.0, 360.0)
    assert (ops.width, ops.target_width) == (300.0, 300.0)
    assert (mops.share, ops.share) == (Decimal("25.00"), Decimal("100.00"))


def test_bars_take_a_given_maximum_and_never_overflow_the_chart():
    chart = bar_chart([BarRow("a", 5), BarRow("b", 20)], max_value=10, width=200)
    assert [bar.width for bar in chart.bars] == [100.0, 200.0]
    assert [bar.target_width for bar in chart.bars] == [0.0, 0.0]
    assert chart.bars[0].share is None  # no target, no share


def test_money_is_drawn_to_scale():
    chart = bar_chart([BarRow("PCPR", Decimal("1506.00"), Decimal("6000.00"))], width=600)
    assert chart.bars[0].width == 150.6
    assert chart.bars[0].share == Decimal("25.10")


def test_rows_are_stacked_one_under_another():
    chart = bar_chart([BarRow(str(n), n) for n in range(1, 4)])
    tops = [bar.y for bar in chart.bars]
    assert tops == sorted(tops) and len(set(tops)) == 3
    assert all(bar.text_y < bar.y for bar in chart.bars)  # the label above its bar
    assert chart.height >= tops[-1] + chart.bar_height


def test_a_zero_maximum_draws_empty_bars():
    chart = bar_chart([BarRow("MOPS", 0, 0), BarRow("OPS", 0, None)])
    assert [(bar.width, bar.target_width) for bar in chart.bars] == [(0.0, 0.0), (0.0, 0.0)]
    assert chart.bars[0].share is None


def test_no_rows_make_an_empty_chart():
    chart = bar_chart([])
    assert chart.bars == [] and chart.height > 0


@pytest.mark.parametrize(
    ("largest", "ceiling", "step"),
    [(0, 4, 1), (1, 4, 1), (4, 4, 1), (23, 24, 6), (62, 80, 20), (150, 160, 40)],
)
def test_the_y_axis_ends_on_a_round_number(largest, ceiling, step):
    assert nice_ceiling(largest) == (ceiling, step)


MONTHS = months_between(datetime.date(2016, 4, 1), datetime.date(2016, 7, 31))


def test_line_points_run_left_to_right_and_up_with_the_values():
    series = [("registered", [0, 4, 6, 8]), ("started", [0, 2, 2, 8])]
    chart = line_chart(series, MONTHS, width=656)  # 600 wide between the axes
    registered, started = chart.lines
    assert [p.x for p in registered.points] == [44.0, 244.0, 444.0, 644.0]
    assert registered.points[0].y == chart.bottom  # 0 sits on the axis
    assert registered.points[-1].y == chart.top  # the maximum, 8, at the top
    assert registered.points[1].y == chart.bottom - (chart.bottom - chart.top) / 2
    assert started.points[1].y == started.points[2].y  # a flat month stays flat
    assert [p.month for p in started.points] == MONTHS
    assert registered.last.value == 8


def test_line_chart_ticks_and_table_rows():
    chart = line_chart([("registered", [1, 2, 3, 4])], MONTHS)
    assert [tick.value for tick in chart.y_ticks] == [0, 1, 2, 3, 4]
    assert [tick.value for tick in chart.x_ticks] == MONTHS
    assert chart.rows() == [(month, [n]) for month, n in zip(MONTHS, [1, 2, 3, 4], strict=True)]


def test_a_long_period_labels_only_some_months():
    months = months_between(datetime.date(2016, 4, 1), datetime.date(2018, 10, 31))
    chart = line_chart([("registered", list(range(len(months))))], months, max_labels=8)
    assert len(months) == 31
    assert len(chart.x_ticks) <= 8
    assert chart.x_ticks[0].value == months[0]


def test_a_line_of_zeros_and_a_single_month_are_drawn():
    chart = line_chart([("registered", [0])], MONTHS[:1])
    (point,) = chart.lines[0].points
    assert point.x == (chart.left + chart.right) / 2
    assert point.y == chart.bottom


def test_funnel_widths_are_shares_of_the_first_step_and_centred():
    chart = funnel([("registered", 10), ("in support", 5), ("completed", 0)], width=400)
    first, middle, last = chart.steps
    assert [s.width for s in chart.steps] == [400.0, 200.0, 0.0]
    assert (first.x, middle.x, last.x) == (0.0, 100.0, 200.0)
    assert [s.share for s in chart.steps] == [Decimal("100.00"), Decimal("50.00"), Decimal("0.00")]
    assert chart.centre == 200


def test_an_empty_funnel_has_no_shares():
    chart = funnel([("registered", 0), ("in support", 0)])
    assert [(s.width, s.share) for s in chart.steps] == [(0.0, None), (0.0, None)]


def test_months_between_and_running_totals_fold_the_open_ends():
    assert months_between(datetime.date(2016, 11, 15), datetime.date(2017, 2, 1)) == [
        datetime.date(2016, 11, 1),
        datetime.date(2016, 12, 1),
        datetime.date(2017, 1, 1),
        datetime.date(2017, 2, 1),
    ]
    counts = {
        datetime.date(2016, 1, 1): 2,  # before the first month
        datetime.date(2016, 5, 1): 3,
        datetime.date(2017, 1, 1): 1,  # after the last month
    }
    assert _running_total(counts, MONTHS) == [2, 5, 5, 6]
