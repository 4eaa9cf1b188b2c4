"""Small-count suppression for public outputs. Pure: values in, display values out; no queries of its own.

Rules (common statistical-disclosure practice, e.g. cell suppression in official statistics):

* A count of 1 … k-1 is shown as ``"<k"`` (k is ``settings.BAKUHUB_SMALL_COUNT_K``, default 5).
* **0 is shown as 0.** A zero says "nobody", which discloses nothing about a person; hiding zeros would also hide
  most of the table for small projects. Negative numbers are not counts and are shown as they are.
* **Complementary cell:** when exactly one cell of a dimension (sex, age group, displacement status) is suppressed,
  a second one is hidden too (shown as ``"suppressed"``), so the small one cannot be recovered by subtracting the
  others from the total. The complement is the smallest cell above zero (least information lost); if there is
  none, the smallest remaining cell. This protects against subtraction within one dimension; it is not a full
  interval audit (with very particular totals a range can still be narrowed).
* Only actual values of **unit** (count) indicators are suppressed. Percentages are not counts, and targets are
  plans, not observations of people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from .models import IndicatorPeriod

COMPLEMENT = "suppressed"
UNIT_MEASURE = "1"

Shown = Decimal | str | None


@dataclass(frozen=True)
class Cell:
    """One disaggregation cell as shown: `actual_value` is a number, ``"<k"``, ``"suppressed"`` or None."""

    dimension: str
    category: str
    target_value: Decimal | None
    actual_value: Shown


def small_count_k(k: int | None = None) -> int:
    return settings.BAKUHUB_SMALL_COUNT_K if k is None else k


def is_small(value: Decimal | int | None, k: int) -> bool:
    return value is not None and 0 < value < k


def suppress(value: Decimal | int, k: int | None = None) -> str | Decimal:
    """``"<k"`` for a count of 1 … k-1; any other value (0, k and above, negatives) unchanged, as a Decimal."""
    k = small_count_k(k)
    if is_small(value, k):
        return f"<{k}"
    return value if isinstance(value, Decimal) else Decimal(value)


def suppress_dimension(cells: Mapping[str, Decimal | None], k: int | None = None) -> dict[str, Shown]:
    """One dimension's cells (category → count, None when not reported) with small and complementary cells hidden."""
    k = small_count_k(k)
    shown: dict[str, Shown] = dict(cells)
    small = [category for category, value in cells.items() if is_small(value, k)]
    for category in small:
        shown[category] = f"<{k}"
    if len(small) == 1:
        rest = [(value, category) for category, value in cells.items() if value is not None and category not in small]
        candidates = sorted(item for item in rest if item[0] > 0) or sorted(rest)
        if candidates:
            shown[candidates[0][1]] = COMPLEMENT
    return shown


def suppress_cells(cells: Iterable[Cell], k: int | None = None) -> list[Cell]:
    """Apply `suppress_dimension` to every dimension of a list of cells, keeping their order."""
    cell_list = list(cells)
    by_dimension: dict[str, dict[str, Decimal | None]] = {}
    for cell in cell_list:
        value = cell.actual_value if isinstance(cell.actual_value, Decimal) or cell.actual_value is None else None
        by_dimension.setdefault(cell.dimension, {})[cell.category] = value
    shown = {dimension: suppress_dimension(values, k) for dimension, values in by_dimension.items()}
    return [Cell(c.dimension, c.category, c.target_value, shown[c.dimension][c.category]) for c in cell_list]


def public_disaggregations(period: IndicatorPeriod, k: int | None = None) -> list[Cell]:
    """A period's disaggregations as the public may see them.

    Reads ``period.disaggregations.all()`` and ``period.indicator`` (prefetch them to avoid queries). Actuals are
    shown only for approved periods; for unit indicators small and complementary cells are suppressed.
    """
    approved = period.actual_status == "approved"
    cells = [
        Cell(d.dimension, d.category, d.target_value, d.actual_value if approved else None)
        for d in period.disaggregations.all()
    ]
    if period.indicator.measure != UNIT_MEASURE:
        return cells
    return suppress_cells(cells, k)
