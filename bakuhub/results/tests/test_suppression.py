"""Small-count suppression: 1 … k-1 hidden as "<k", 0 kept, and a complementary cell hidden when a dimension
would otherwise have one suppressed cell that subtraction from the total could recover."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bakuhub.results.suppression import COMPLEMENT, Cell, suppress, suppress_cells, suppress_dimension

D = Decimal


@pytest.mark.parametrize(
    ("value", "k", "shown"),
    [(0, 5, D(0)), (1, 5, "<5"), (4, 5, "<5"), (D("4.99"), 5, "<5"), (5, 5, D(5)), (120, 5, D(120)), (-3, 5, D(-3)),
     (2, 3, "<3"), (3, 3, D(3)), (1, 1, D(1))],
)  # fmt: skip
def test_suppress(value, k, shown):
    assert suppress(value, k) == shown


def test_k_comes_from_the_settings_by_default(settings):
    assert suppress(4) == "<5"
    settings.BAKUHUB_SMALL_COUNT_K = 10
    assert suppress(9) == "<10"
    assert suppress(10) == 10


def test_a_lone_small_cell_takes_the_smallest_other_cell_with_it():
    shown = suppress_dimension({"female": D(3), "male": D(40)}, 5)
    assert shown == {"female": "<5", "male": COMPLEMENT}
    shown = suppress_dimension({"refugees": D(2), "idps": D(60), "returnees": D(12), "host_community": D(0)}, 5)
    assert shown == {"refugees": "<5", "idps": D(60), "returnees": COMPLEMENT, "host_community": D(0)}


def test_the_complement_is_a_zero_only_when_nothing_else_is_left():
    assert suppress_dimension({"female": D(3), "male": D(0)}, 5) == {"female": "<5", "male": COMPLEMENT}


def test_two_small_cells_need_no_complement_and_unreported_cells_stay_unreported():
    shown = suppress_dimension({"0-4": D(2), "5-17": D(1), "18-59": D(30), "60+": None}, 5)
    assert shown == {"0-4": "<5", "5-17": "<5", "18-59": D(30), "60+": None}


def test_nothing_small_nothing_hidden():
    assert suppress_dimension({"female": D(0), "male": D(12)}, 5) == {"female": D(0), "male": D(12)}


def test_dimensions_are_suppressed_independently():
    cells = [
        Cell("age", "0-4", None, D(10)),
        Cell("age", "5-17", None, D(20)),
        Cell("sex", "female", D(15), D(4)),
        Cell("sex", "male", D(15), D(26)),
    ]
    shown = suppress_cells(cells, 5)
    assert [c.actual_value for c in shown] == [D(10), D(20), "<5", COMPLEMENT]
    assert shown[2].target_value == D(15)  # targets are plans, never suppressed


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=60).map(Decimal))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["refugees", "idps", "returnees", "host_community"]), counts, min_size=1),
       st.integers(min_value=2, max_value=10))  # fmt: skip
def test_no_small_count_is_ever_shown_nor_recoverable_from_the_total(cells, k):
    shown = suppress_dimension(cells, k)
    total = sum(v for v in cells.values() if v is not None)
    for category, value in cells.items():
        if value is not None and 0 < value < k:
            assert shown[category] == f"<{k}"
        if isinstance(shown[category], Decimal) or shown[category] is None:
            assert shown[category] == value  # what is shown is the true value
    hidden = [c for c, v in shown.items() if isinstance(v, str)]
    if hidden:
        assert len(hidden) >= 2 or len([v for v in cells.values() if v is not None]) == 1
        # the hidden cells' sum is what subtraction gives; with two or more hidden it is not any single cell
        visible = sum(v for v in shown.values() if isinstance(v, Decimal))
        assert total - visible == sum(cells[c] for c in hidden)
