"""progress_percent: 0 at the baseline, 100 at the target, monotone in the actual along the indicator's direction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bakuhub.results.progress import progress_percent

MODEST = settings(max_examples=200, deadline=None)
# Values as the database stores them: DecimalField(max_digits=18, decimal_places=2).
values = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False)


@st.composite
def framed(draw, ascending):
    """(baseline, target) with the target on the side the indicator wants to move to."""
    baseline = draw(values)
    target = draw(values)
    assume(target > baseline if ascending else target < baseline)
    return baseline, target


@MODEST
@given(st.booleans().flatmap(lambda up: st.tuples(st.just(up), framed(up))))
def test_0_at_the_baseline_and_100_at_the_target(case):
    ascending, (baseline, target) = case
    assert progress_percent(baseline, target, baseline, ascending) == 0
    assert progress_percent(baseline, target, target, ascending) == 100


@MODEST
@given(framed(True), values, values)
def test_monotone_in_the_actual_for_ascending_indicators(frame, a, b):
    baseline, target = frame
    low, high = sorted((a, b))
    assert progress_percent(baseline, target, low, True) <= progress_percent(baseline, target, high, True)


@MODEST
@given(framed(False), values, values)
def test_anti_monotone_in_the_actual_for_descending_indicators(frame, a, b):
    baseline, target = frame
    low, high = sorted((a, b))
    assert progress_percent(baseline, target, low, False) >= progress_percent(baseline, target, high, False)


@MODEST
@given(values, values, st.booleans())
def test_no_progress_without_a_distance_to_cover(baseline, actual, ascending):
    assert progress_percent(baseline, baseline, actual, ascending) is None


@MODEST
@given(values, values, values, st.booleans())
def test_a_target_on_the_wrong_side_gives_no_progress(baseline, target, actual, ascending):
    assume(target < baseline if ascending else target > baseline)
    assert progress_percent(baseline, target, actual, ascending) is None


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "ascending", "expected"),
    [
        ("100", "500", "420", True, "80.00"),
        ("100", "500", "700", True, "150.00"),  # not clipped: the target was exceeded
        ("100", "500", "50", True, "-12.50"),  # not clipped: worse than the baseline
        ("40", "10", "25", False, "50.00"),  # descending: from 40 incidents down to 10
        ("40", "10", "5", False, "116.67"),
        ("0", "3", "1", True, "33.33"),
        (None, "500", "420", True, None),
        ("100", None, "420", True, None),
        ("100", "500", None, True, None),
    ],
)
def test_examples(baseline, target, actual, ascending, expected):
    def dec(v):
        return None if v is None else Decimal(v)

    assert progress_percent(dec(baseline), dec(target), dec(actual), ascending) == dec(expected)
