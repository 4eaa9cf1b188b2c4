"""Points against the admin-unit geometries of the reference data (simplified GeoJSON, EPSG:4326), with shapely."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

from django.conf import settings

from bakuhub.core.models import AdminUnit

# shapely ships no type information; it stays behind this module, typed as Any.
_geometry: Any = importlib.import_module("shapely.geometry")

DEFAULT_TOLERANCE_DEGREES = 0.05


def tolerance_degrees() -> float:
    """How far outside its unit's (simplified) outline a point may lie: BAKUHUB_LOCATION_TOLERANCE_DEGREES."""
    return float(getattr(settings, "BAKUHUB_LOCATION_TOLERANCE_DEGREES", DEFAULT_TOLERANCE_DEGREES))


def degrees_outside(unit: AdminUnit, latitude: Decimal | float, longitude: Decimal | float) -> float | None:
    """How many degrees the point lies outside the unit's outline: 0.0 inside, None if the unit has no usable
    geometry (then nothing can be checked)."""
    if not unit.geometry:
        return None
    try:
        shape = _geometry.shape(unit.geometry)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if shape.is_empty:
        return None
    point = _geometry.Point(float(longitude), float(latitude))  # GeoJSON order: x = longitude, y = latitude
    return 0.0 if shape.covers(point) else float(shape.distance(point))


def lies_in(unit: AdminUnit, latitude: Decimal | float, longitude: Decimal | float) -> bool:
    """True if the point is in the unit, within the tolerance, or the unit has no geometry to check against."""
    outside = degrees_outside(unit, latitude, longitude)
    return outside is None or outside <= tolerance_degrees()
