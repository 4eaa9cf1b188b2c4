"""Project locations: an admin-1 unit of the project's country, optionally an admin-2 p-code and a point."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.codelists import codelist
from bakuhub.core.errors import Conflict, NotFound, ValidationFailed
from bakuhub.core.geo import lies_in, tolerance_degrees
from bakuhub.core.models import AdminUnit
from bakuhub.projects.models import Location, Project

from ._common import Errors, lock, require, save_versioned

LOCATION_FIELDS = [
    "admin_unit",
    "admin2_pcode",
    "name",
    "latitude",
    "longitude",
    "location_class",
    "exactness",
    "precision",
    "sensitivity",
]
DEGREE_PLACES = Decimal("0.00001")  # the column keeps 5 decimals (about 1 m)
_PCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,18}\Z")


def _coordinate(value: Any, field: str, bound: int, errors: Errors) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        errors.add(field, f"{field} must be a number of decimal degrees.")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        errors.add(field, f"{field} must be a number of decimal degrees.")
        return None
    if not -bound <= number <= bound:
        errors.add(field, f"{field} {number} is outside -{bound}..{bound}.")
        return None
    return number.quantize(DEGREE_PLACES, rounding=ROUND_HALF_EVEN)


def _code(value: Any, list_name: str, field: str, errors: Errors) -> str:
    code = str(value or "").strip()
    row = codelist(list_name).get(code)
    if row is None or row["status"] != "active":
        names = ", ".join(f"{c} {r['name']}" for c, r in codelist(list_name).items() if r["status"] == "active")
        errors.add(field, f"'{code}' is not a {list_name} code; use one of: {names}.")
    return code


@transaction.atomic
def location_add(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    admin_unit: AdminUnit,
    admin2_pcode: str = "",
    name: str = "",
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    location_class: str = "1",
    exactness: str = "1",
    sensitivity: str = Location.Sensitivity.PUBLIC,
) -> Location:
    """Add a location; precision is derived (point when coordinates are given, else admin2, else admin1).

    `sensitivity` decides what the public sees: public, coarsen (admin-1 only, no admin-2, no coordinates) or hidden.
    """
    require(actor, "change_project", project, "change the locations of")
    errors = Errors()
    if not isinstance(admin_unit, AdminUnit):
        raise ValidationFailed("Unknown administrative unit.", errors={"admin_unit": ["Unknown admin unit."]})
    if admin_unit.country_id != project.country_id:
        errors.add("admin_unit", f"{admin_unit} is not in the project's country.")
    if admin_unit.level != 1:
        errors.add("admin_unit", f"{admin_unit} is not a first-level administrative unit.")
    pcode = str(admin2_pcode or "").strip().upper()
    if pcode and (not _PCODE.match(pcode) or not pcode.startswith(admin_unit.pcode) or pcode == admin_unit.pcode):
        errors.add(
            "admin2_pcode",
            f"'{pcode}' is not an admin-2 p-code of {admin_unit.name}; it extends {admin_unit.pcode} "
            f"(e.g. {admin_unit.pcode}01).",
        )
    clean_name = str(name or "").strip()
    if len(clean_name) > 200:
        errors.add("name", f"At most 200 characters (got {len(clean_name)}).")
    lat = lon = None
    if (latitude is None) != (longitude is None):
        errors.add("latitude" if latitude is None else "longitude", "Give both latitude and longitude, or neither.")
    elif latitude is not None:
        lat = _coordinate(latitude, "latitude", 90, errors)
        lon = _coordinate(longitude, "longitude", 180, errors)
        if lat is not None and lon is not None and not lies_in(admin_unit, lat, lon):
            errors.add(
                "latitude",
                _(
                    "The point %(lat)s, %(lon)s is not in %(unit)s (%(pcode)s), even allowing %(tolerance)s degrees; "
                    "check the coordinates or choose the unit the point lies in."
                )
                % {
                    "lat": lat,
                    "lon": lon,
                    "unit": admin_unit.name,
                    "pcode": admin_unit.pcode,
                    "tolerance": f"{tolerance_degrees():g}",
                },
            )
    location_class = _code(location_class, "GeographicLocationClass", "location_class", errors)
    exactness = _code(exactness, "GeographicExactness", "exactness", errors)
    if sensitivity not in Location.Sensitivity.values:
        errors.add("sensitivity", f"'{sensitivity}' is not one of: {', '.join(Location.Sensitivity.values)}.")
    errors.raise_if_any()
    current = lock(project, expected_version)
    twin = Location.objects.filter(
        project=current, admin_unit=admin_unit, admin2_pcode=pcode, name=clean_name, latitude=lat, longitude=lon
    )
    if twin.exists():
        raise Conflict(f"{current.identifier} already has this location.", errors={"admin_unit": ["Duplicate."]})
    precision = "point" if lat is not None else "admin2" if pcode else "admin1"
    location = Location.objects.create(
        project=current,
        admin_unit=admin_unit,
        admin2_pcode=pcode,
        name=clean_name,
        latitude=lat,
        longitude=lon,
        location_class=location_class,
        exactness=exactness,
        precision=precision,
        sensitivity=sensitivity,
    )
    save_versioned(
        actor=actor,
        project=current,
        action="project.location_add",
        changes={"locations": [None, {"id": location.pk, **audit.snapshot(location, LOCATION_FIELDS)}]},
        caller=project,
    )
    return location


@transaction.atomic
def location_remove(
    *, actor: User | None, project: Project, expected_version: int | None = None, location: Location
) -> None:
    require(actor, "change_project", project, "change the locations of")
    if location.project_id != project.pk:
        raise NotFound(f"{location} is not a location of {project.identifier}.")
    current = lock(project, expected_version)
    before = {"id": location.pk, **audit.snapshot(location, LOCATION_FIELDS)}
    location.delete()
    save_versioned(
        actor=actor,
        project=current,
        action="project.location_remove",
        changes={"locations": [before, None]},
        caller=project,
    )
