"""Reference data shipped in `core/data/reference` (countries, admin-1 units) and its idempotent loader.

The files are built by `scripts/build_reference.py` (see `data/reference/SOURCE.txt`). Loading upserts Country by
iso3 and AdminUnit by p-code in one transaction. Rows that are no longer in the files are left alone (other records
may point at them). Reference data is system data: no audit record is written per row.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from .errors import ValidationFailed
from .models import AdminUnit, Country

DATA_DIR = Path(__file__).resolve().parent / "data" / "reference"
COUNTRIES_FILE = "countries.csv"
ADMIN1_FILE = "admin1.geojson"
BATCH_SIZE = 100

COUNTRY_FIELDS = [
    "iso2", "iso3", "numeric", "name_en", "name_fr", "name_pt", "name_ar", "official_name",
    "region_m49", "region_name", "subregion_m49", "subregion_name", "is_ldc", "is_lldc", "is_sids", "fragility",
]  # fmt: skip
_BOOLEANS = {"true": True, "false": False}
_PATTERNS = {
    "iso2": re.compile(r"[A-Z]{2}"),
    "iso3": re.compile(r"[A-Z]{3}"),
    "numeric": re.compile(r"[0-9]{3}"),
    "region_m49": re.compile(r"([0-9]{3})?"),
    "subregion_m49": re.compile(r"([0-9]{3})?"),
}
ADMIN_UNIT_FIELDS = ["country", "level", "iso_3166_2", "name", "geometry", "geometry_note"]
_ADMIN1_PROPERTIES = ("iso3", "pcode", "iso_3166_2", "name", "geometry_note")
_PCODE = re.compile(r"[A-Z]{2,3}[A-Z0-9]*")

Progress = Callable[[int], None]
Row = dict[str, Any]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged
        )

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class ReferenceLoadResult:
    countries: UpsertCounts
    admin_units: UpsertCounts

    @property
    def changed(self) -> bool:
        return any((self.countries.created, self.countries.updated, self.admin_units.created, self.admin_units.updated))

    def summary(self) -> str:
        return f"Countries: {self.countries}; admin units: {self.admin_units}."


def _invalid(file: str, where: str, problem: str) -> ValidationFailed:
    message = f"{file}, {where}: {problem}" if where else f"{file}: {problem}"
    return ValidationFailed(f"Reference data file {message}", errors={file: [message]})


def _max_length(model: type[models.Model], field: str) -> int | None:
    length: int | None = getattr(model._meta.get_field(field), "max_length", None)
    return length


# --- reading and checking the shipped files ---


def read_countries(path: Path) -> list[Row]:
    """The rows of countries.csv as Country field values; ValidationFailed names the file and row if malformed."""
    name = path.name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            if header != COUNTRY_FIELDS:
                missing = [c for c in COUNTRY_FIELDS if c not in header]
                extra = [c for c in header if c not in COUNTRY_FIELDS]
                raise _invalid(name, "header", f"expected columns {COUNTRY_FIELDS}; missing {missing}, extra {extra}")
            rows: list[Row] = []
            seen: dict[str, dict[str, int]] = {"iso2": {}, "iso3": {}}
            for number, raw in enumerate(reader, start=1):
                where = f"row {number} (line {reader.line_num})"
                rows.append(_country_row(raw, name, where))
                for key, codes in seen.items():
                    code = rows[-1][key]
                    if code in codes:
                        raise _invalid(name, where, f"{key} {code!r} repeats row {codes[code]}")
                    codes[code] = number
    except FileNotFoundError:
        raise _invalid(name, "", f"not found in {path.parent}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _invalid(name, "", f"unreadable ({exc})") from None
    if not rows:
        raise _invalid(name, "", "has no rows")
    return rows


def _country_row(raw: dict[str | Any, Any], file: str, where: str) -> Row:
    if None in raw or any(value is None for value in raw.values()):
        raise _invalid(file, where, f"expected {len(COUNTRY_FIELDS)} fields")
    row: Row = {}
    for field in COUNTRY_FIELDS:
        value: str = raw[field]
        if value != value.strip():
            raise _invalid(file, where, f"{field} {value!r} has surrounding spaces")
        if field.startswith("is_"):
            if value not in _BOOLEANS:
                raise _invalid(file, where, f"{field} must be 'true' or 'false', not {value!r}")
            row[field] = _BOOLEANS[value]
            continue
        pattern = _PATTERNS.get(field)
        if pattern is not None and not pattern.fullmatch(value):
            raise _invalid(file, where, f"{field} {value!r} does not match {pattern.pattern}")
        max_length = _max_length(Country, field)
        if max_length is not None and len(value) > max_length:
            raise _invalid(file, where, f"{field} is longer than {max_length} characters")
        row[field] = value
    if not row["name_en"]:
        raise _invalid(file, where, "name_en is empty")
    if row["fragility"] not in Country.Fragility.values:
        raise _invalid(file, where, f"fragility must be one of {Country.Fragility.values}, not {row['fragility']!r}")
    return row


def read_admin1(path: Path, *, iso3_codes: set[str]) -> list[Row]:
    """admin1.geojson as (iso3, AdminUnit field values); units must belong to a country in `iso3_codes`."""
    name = path.name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _invalid(name, "", f"not found in {path.parent}") from None
    except UnicodeDecodeError as exc:
        raise _invalid(name, "", f"unreadable ({exc})") from None
    except json.JSONDecodeError as exc:
        raise _invalid(name, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise _invalid(name, "", "is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise _invalid(name, "", "has no features")
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        row = _admin1_row(feature, name, where, iso3_codes)
        pcode = row["pcode"]
        if pcode in seen:
            raise _invalid(name, where, f"p-code {pcode!r} repeats row {seen[pcode]}")
        seen[pcode] = number
        rows.append(row)
    return rows


def _admin1_row(feature: Any, file: str, where: str, iso3_codes: set[str]) -> Row:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _invalid(file, where, "is not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _invalid(file, where, "has no properties")
    row: Row = {}
    for key in _ADMIN1_PROPERTIES:
        value = props.get(key)
        if not isinstance(value, str):
            raise _invalid(file, where, f"property {key!r} is missing or not text")
        max_length = _max_length(AdminUnit, key) if key != "iso3" else 3
        if max_length is not None and len(value) > max_length:
            raise _invalid(file, where, f"{key} is longer than {max_length} characters")
        row[key] = value
    where = f"{where}, p-code {row['pcode']!r}"
    if not _PCODE.fullmatch(row["pcode"]):
        raise _invalid(file, where, "the p-code must be capital letters and digits")
    if not row["name"]:
        raise _invalid(file, where, "name is empty")
    if row["iso3"] not in iso3_codes:
        raise _invalid(file, where, f"iso3 {row['iso3']!r} is not in {COUNTRIES_FILE}")
    problem = _geometry_problem(feature.get("geometry"))
    if problem:
        raise _invalid(file, where, f"geometry {problem}")
    row["geometry"] = feature.get("geometry")
    return row


def _geometry_problem(geometry: Any) -> str | None:
    if geometry is None:
        return None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "must be null, a Polygon or a MultiPolygon"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "has no coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "has a polygon without rings"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "has a ring of fewer than 4 positions"
            for position in ring:
                if not _is_position(position):
                    return f"has an invalid position {position!r}"
            if ring[0] != ring[-1]:
                return "has a ring that is not closed"
    return None


def _is_position(value: Any) -> bool:
    if not isinstance(value, list) or len(value) != 2:
        return False
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return False
    return bool(-180 <= value[0] <= 180 and -90 <= value[1] <= 90)


def read_reference(data_dir: Path | None = None) -> tuple[list[Row], list[Row]]:
    """(country rows, admin-1 rows) read and checked from `data_dir` (default: the shipped files)."""
    directory = data_dir if data_dir is not None else DATA_DIR
    countries = read_countries(directory / COUNTRIES_FILE)
    units = read_admin1(directory / ADMIN1_FILE, iso3_codes={row["iso3"] for row in countries})
    return countries, units


def reference_total(*, data_dir: Path | None = None) -> int:
    """How many rows `reference_load` will go through (for a progress bar's total)."""
    countries, units = read_reference(data_dir)
    return len(countries) + len(units)


# --- loading ---


def _batches(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def _upsert(
    model: type[M],
    rows: Sequence[Row],
    *,
    key: str,
    fields: list[str],
    progress: Progress | None,
) -> UpsertCounts:
    """Create or update `model` rows matched on `key`; values are compared by attname (e.g. country_id)."""
    existing: dict[Any, M] = {getattr(obj, key): obj for obj in model._default_manager.all()}
    attnames = {name: getattr(model._meta.get_field(name), "attname", name) for name in fields}
    counts = UpsertCounts()
    for batch in _batches(rows):
        to_create: list[M] = []
        to_update: list[M] = []
        for row in batch:
            values = {attnames.get(name, name): value for name, value in row.items()}
            obj = existing.get(row[key])
            if obj is None:
                to_create.append(model(**values))
            elif any(getattr(obj, attname) != value for attname, value in values.items()):
                for attname, value in values.items():
                    setattr(obj, attname, value)
                to_update.append(obj)
        model._default_manager.bulk_create(to_create)
        if to_update:
            model._default_manager.bulk_update(to_update, [f for f in fields if f != key])
        counts += UpsertCounts(len(to_create), len(to_update), len(batch) - len(to_create) - len(to_update))
        if progress is not None:
            progress(len(batch))
    return counts


def reference_load(*, data_dir: Path | None = None, progress: Progress | None = None) -> ReferenceLoadResult:
    """Upsert the shipped countries (by iso3) and admin-1 units (by p-code); a second run changes nothing.

    `data_dir` defaults to the shipped `core/data/reference`. `progress`, if given, is called with the number of rows
    just processed. Both files are read and checked before anything is written; a malformed file raises
    ValidationFailed naming the file and row, and leaves the database untouched.
    """
    country_rows, unit_rows = read_reference(data_dir)
    with transaction.atomic():
        countries = _upsert(Country, country_rows, key="iso3", fields=COUNTRY_FIELDS, progress=progress)
        country_ids = dict(Country.objects.values_list("iso3", "id"))
        units = [
            {
                "pcode": row["pcode"],
                "country": country_ids[row["iso3"]],
                "level": 1,
                "iso_3166_2": row["iso_3166_2"],
                "name": row["name"],
                "geometry": row["geometry"],
                "geometry_note": row["geometry_note"],
            }
            for row in unit_rows
        ]
        admin_units = _upsert(AdminUnit, units, key="pcode", fields=["pcode", *ADMIN_UNIT_FIELDS], progress=progress)
    return ReferenceLoadResult(countries=countries, admin_units=admin_units)
