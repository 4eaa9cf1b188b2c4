"""A plain, server-rendered horizontal bar chart as SVG.

No script and no `style=` attributes (the CSP allows neither inline script nor inline style): colours and sizes are
SVG presentation attributes (`fill`, `width`, …) and classes styled from hub.css. Each bar carries a <title> so
assistive technology and hovering read the exact figure; templates pair the chart with a data table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import count

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

LABEL_WIDTH = 160
BAR_AREA = 360
VALUE_WIDTH = 150
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 6
FILLS = ("#0b6e4f", "#2f8f6f", "#5aab8f", "#8cc7b1")
_ids = count(1)


def _number(value: Decimal | int | float) -> str:
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return str(number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True))


def bar_widths(values: Sequence[Decimal | int | float], area: int = BAR_AREA) -> list[float]:
    """The bar lengths: the largest value fills the area, the others scale with it; zero stays zero."""
    largest = max((Decimal(v) for v in values), default=Decimal(0))
    if largest <= 0:
        return [0.0 for _ in values]
    return [round(float(Decimal(v) / largest * area), 1) if Decimal(v) > 0 else 0.0 for v in values]


def render_bar_chart(rows: Iterable[tuple[str, Decimal | int | float]], title: str, unit: str = "") -> SafeString:
    """An accessible SVG chart of (label, value) rows, one horizontal bar each."""
    data = [(str(label), value) for label, value in rows]
    widths = bar_widths([value for _, value in data])
    chart_id = f"chart-{next(_ids)}"
    height = PADDING * 2 + ROW_HEIGHT * max(len(data), 1)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    suffix = f" {unit}" if unit else ""
    bars = []
    for index, ((label, value), bar) in enumerate(zip(data, widths, strict=True)):
        y = PADDING + index * ROW_HEIGHT
        shown = f"{_number(value)}{suffix}"
        bars.append(
            format_html(
                '<g class="bar-row"><title>{}: {}</title>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" class="bar-label">{}</text>'
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
                '<text x="{}" y="{}" dominant-baseline="middle" class="bar-value">{}</text></g>',
                label,
                shown,
                LABEL_WIDTH - 8,
                y + ROW_HEIGHT / 2,
                label,
                LABEL_WIDTH,
                y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                bar,
                BAR_HEIGHT,
                FILLS[index % len(FILLS)],
                LABEL_WIDTH + bar + 6,
                y + ROW_HEIGHT / 2,
                shown,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" aria-labelledby="{}-title" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" font-size="13" fill="#1d2733">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id,
        width,
        height,
        chart_id,
        title,
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )


@register.simple_tag
def bar_chart(rows: Iterable[tuple[str, Decimal | int | float]], title: str, unit: str = "") -> SafeString:
    """`{% bar_chart rows title unit %}`: rows are (label, value) pairs; unit is appended to each figure."""
    return render_bar_chart(rows, title, unit)
