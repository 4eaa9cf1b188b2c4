"""Plain-English pieces of the matching's explanations."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from bakuhub.matching.funds import CFU_THEME_LABEL, CROSS_CUTTING, CfuProject


def usd_m(value: Decimal) -> str:
    """USD millions as people say them: USD 0.35 m, USD 3.5 m, USD 12 m, USD 1,250 m."""
    if value >= 10:
        text = f"{value.quantize(Decimal(1), ROUND_HALF_UP):,f}"
    elif value >= 1:
        text = f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f}"
    else:
        text = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"
    return f"USD {text} m"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def and_list(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def breakdown(projects: Sequence[CfuProject]) -> str:
    """'122 Adaptation, 66 Mitigation and 889 Multiple Foci' (CFU's theme names)."""
    counts = Counter(p.theme for p in projects)
    order = [t for t in (*CFU_THEME_LABEL, "") if counts[t]]
    return and_list([f"{counts[t]:,} {CFU_THEME_LABEL.get(t, 'unclassified')}" for t in order])


def theme_words(themes: frozenset[str]) -> str:
    return " or ".join("multiple-foci" if t == CROSS_CUTTING else t for t in sorted(themes))


def cfu_theme_names(themes: frozenset[str]) -> str:
    return " or ".join(CFU_THEME_LABEL[t] for t in sorted(themes))


def span(projects: Sequence[CfuProject]) -> str:
    """' in 2014' or ' since 2015 (latest 2024)'."""
    years = sorted(p.year for p in projects if p.year)
    if not years:
        return ""
    return f" in {years[0]}" if years[0] == years[-1] else f" since {years[0]} (latest {years[-1]})"


def median_of(projects: Sequence[CfuProject]) -> str:
    amounts = [p.amount_usd_m for p in projects if p.amount_usd_m is not None]
    if len(amounts) == 1:
        return f", {usd_m(amounts[0])}"
    return f", median {usd_m(statistics.median(amounts))}" if amounts else ""


def latest(projects: Sequence[CfuProject]) -> CfuProject:
    """The most recent project (ties: by name), to quote as an example."""
    return max(projects, key=lambda p: (p.year or 0, p.name))
