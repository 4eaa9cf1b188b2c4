"""A server-rendered SVG map of a country's first-level administrative units, with project sites as points.

No script, no tiles, no `style=` attributes (the CSP allows none of them): longitude and latitude are projected
linearly into the viewBox (equirectangular, with the longitude scaled by the cosine of the middle latitude so the
country keeps its shape), colours are SVG presentation attributes and classes styled from hub.css. Every region and
every point has a <title> for assistive technology; templates pair the map with a text list of the same places.

The caller decides which points to pass: only coordinates the viewer may see (see
`bakuhub.projects.selectors.visible_locations`). This module draws what it is given and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH = 600
MAX_HEIGHT = 600
MARGIN = 12
POINT_RADIUS = 5
REGION_FILL, HIGHLIGHT_FILL, STROKE, POINT_FILL = "#e4ebf0", "#8cc7b1", "#5b6875", "#9a4d00"
_ids = count(1)

Position = tuple[float, float]  # (longitude, latitude)
Ring = list[Position]


@dataclass(frozen=True)
class Region:
    pcode: str
    name: str
    geometry: dict[str, Any] | None
    highlighted: bool = False


@dataclass(frozen=True)
class Point:
    label: str
    latitude: Decimal | float
    longitude: Decimal | float


def _polygons(geometry: dict[str, Any] | None) -> list[list[Ring]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon as lists of rings of (lon, lat); anything else is empty."""
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    kind = geometry.get("type")
    raw = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    polygons: list[list[Ring]] = []
    for polygon in raw if isinstance(raw, list) else []:
        rings: list[Ring] = []
        for ring in polygon if isinstance(polygon, list) else []:
            positions = [
                (float(p[0]), float(p[1]))
                for p in (ring if isinstance(ring, list) else [])
                if isinstance(p, list | tuple) and len(p) >= 2
            ]
            if len(positions) >= 3:
                rings.append(positions)
        if rings:
            polygons.append(rings)
    return polygons


@dataclass(frozen=True)
class Projection:
    """Equirectangular: x grows with longitude (scaled by cos of the middle latitude), y falls with latitude."""

    west: float
    north: float
    scale: float
    x_factor: float
    width: float
    height: float

    @classmethod
    def fit(cls, positions: Sequence[Position]) -> Projection:
        lons = [p[0] for p in positions]
        lats = [p[1] for p in positions]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        x_factor = max(math.cos(math.radians((north + south) / 2)), 0.1)
        span_x = max((east - west) * x_factor, 1e-6)
        span_y = max(north - south, 1e-6)
        scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
        width = span_x * scale + 2 * MARGIN
        height = span_y * scale + 2 * MARGIN
        return cls(west, north, scale, x_factor, round(width, 1), round(height, 1))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = MARGIN + (lon - self.west) * self.x_factor * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _path(polygons: list[list[Ring]], project: Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(lon, lat) for lon, lat in ring]
            head, *tail = points
            parts.append(f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in tail) + "Z")
    return "".join(parts)


def render_admin1_map(regions: Iterable[Region], points: Iterable[Point] | None, title: str) -> SafeString:
    """The SVG map, or an empty string when no region has a geometry (the text list then stands alone)."""
    shapes = [(region, _polygons(region.geometry)) for region in regions]
    drawn = [(region, polygons) for region, polygons in shapes if polygons]
    sites = [
        (p.label, float(p.longitude), float(p.latitude))
        for p in points or ()
        if p.latitude is not None and p.longitude is not None
    ]
    positions = [pos for _, polygons in drawn for polygon in polygons for ring in polygon for pos in ring]
    if not positions:
        return mark_safe("")
    projection = Projection.fit(positions + [(lon, lat) for _, lon, lat in sites])
    map_id = f"map-{next(_ids)}"
    region_rows = (
        (
            "region highlighted" if region.highlighted else "region",
            HIGHLIGHT_FILL if region.highlighted else REGION_FILL,
            STROKE,
            region.pcode,
            _path(polygons, projection),
            region.name,
        )
        for region, polygons in drawn
    )
    regions_svg = format_html_join(
        "",
        '<path class="{}" fill="{}" stroke="{}" stroke-width="0.8" fill-rule="evenodd" data-pcode="{}" d="{}">'
        "<title>{}</title></path>",
        region_rows,
    )
    point_rows = ((*projection(lon, lat), POINT_RADIUS, POINT_FILL, label) for label, lon, lat in sites)
    points_svg = format_html_join(
        "",
        '<circle class="site" cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="1.5">'
        "<title>{}</title></circle>",
        point_rows,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="admin-map" role="img" aria-labelledby="{}-title" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet">'
        '<title id="{}-title">{}</title><g class="regions">{}</g><g class="sites">{}</g></svg>',
        map_id,
        f"{projection.width:g}",
        f"{projection.height:g}",
        map_id,
        title,
        regions_svg,
        points_svg,
    )


@register.simple_tag
def admin1_map(regions: Iterable[Region], points: Iterable[Point] | None, title: str) -> SafeString:
    """`{% admin1_map regions points title %}`: regions and points as built by the view (see `Region`, `Point`);
    points None draws the regions only."""
    return render_admin1_map(regions, points, title)
