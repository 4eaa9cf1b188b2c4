"""The server-rendered admin-1 map: regions and points projected into the viewBox, titles escaped, no inline style."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from bakuhub.portal.templatetags.maps import Point, Projection, Region, render_admin1_map

from .project_helpers import SVG, square


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, in a test


def test_regions_and_points_are_drawn_with_titles():
    regions = [
        Region("TD01", "Batha", square(18, 13), highlighted=True),
        Region("TD02", "Lac <b>", {"type": "MultiPolygon", "coordinates": [square(13, 12)["coordinates"]]}),
        Region("TD03", "No shape", None),
    ]
    svg = str(render_admin1_map(regions, [Point("Well & pump", Decimal("14"), Decimal("19"))], "Chad"))
    root = parse(svg)
    paths = list(root.iter(f"{SVG}path"))
    assert [p.get("data-pcode") for p in paths] == ["TD01", "TD02"]
    assert paths[0].get("class") == "region highlighted" and paths[1].get("class") == "region"
    assert [p.findtext(f"{SVG}title") for p in paths] == ["Batha", "Lac <b>"]
    (dot,) = root.iter(f"{SVG}circle")
    assert dot.findtext(f"{SVG}title") == "Well & pump"
    assert "style=" not in svg and "<script" not in svg


def test_the_projection_keeps_north_up_and_points_inside_the_box():
    projection = Projection.fit([(13.0, 12.0), (20.0, 15.0)])
    west_north = projection(13.0, 15.0)
    east_south = projection(20.0, 12.0)
    assert west_north[0] < east_south[0] and west_north[1] < east_south[1]
    assert 0 <= east_south[0] <= projection.width and 0 <= east_south[1] <= projection.height


def test_a_point_outside_the_regions_widens_the_box():
    svg = str(render_admin1_map([Region("TD01", "Batha", square(18, 13))], [Point("Far", 10, 30)], "Map"))
    root = parse(svg)
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    (dot,) = root.iter(f"{SVG}circle")
    assert 0 <= float(dot.get("cx") or -1) <= width and 0 <= float(dot.get("cy") or -1) <= height


def test_no_geometry_means_no_map():
    assert str(render_admin1_map([Region("TD01", "Batha", None)], None, "Map")) == ""
    assert str(render_admin1_map([Region("TD01", "Batha", {"type": "Point", "coordinates": [1, 2]})], [], "M")) == ""
