"""Progress towards a target, as a percentage of the way from the baseline to the target. Pure: no Django.

    ascending (higher is better):   (actual - baseline) / (target - baseline) · 100
    descending (lower is better):   (baseline - actual) / (baseline - target) · 100

Both read "how far along the road from the baseline to the target the actual is": 0 at the baseline, 100 at the
target. The result is **not clipped**: above 100 means the target was exceeded, below 0 means the indicator moved
away from the target (worse than the baseline). Callers that draw a bar clip it themselves; tables show the number.

`None` (no progress can be stated) when a value is missing, when the target equals the baseline (nothing to
progress along), or when the target lies on the wrong side of the baseline for the indicator's direction (an
ascending indicator whose target is below its baseline, e.g. "limit forest loss to 950 ha from 1,000 ha"): a
percentage would then grow as the situation gets worse, so none is given.

The result is rounded half-up to 2 decimal places (rounding keeps it monotone, though no longer strictly).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

CENT = Decimal("0.01")
_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)


def progress_percent(
    baseline: Decimal | None, target: Decimal | None, actual: Decimal | None, ascending: bool
) -> Decimal | None:
    """Percent of the way from `baseline` to `target` that `actual` has come (see the module docstring)."""
    if baseline is None or target is None or actual is None:
        return None
    span = _CONTEXT.subtract(target, baseline)
    if span == 0 or (span > 0) != ascending:
        return None
    done = _CONTEXT.subtract(actual, baseline)
    share = _CONTEXT.multiply(_CONTEXT.divide(done, span), Decimal(100))
    return share.quantize(CENT, context=_CONTEXT)
