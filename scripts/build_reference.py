"""Build bakuhub/core/data/reference/{countries.csv,admin1.geojson} from the workplace's shared/data folder.

Re-runnable; the output is deterministic. Run from the repository root on a dev machine that has ../shared/data:

    .venv/bin/pip install pycountry==26.2.16   # build-time only, for the Portuguese names
    .venv/bin/python scripts/build_reference.py [--source ../shared/data] [--out bakuhub/core/data/reference]

Inputs and their licences are described in the output folder's SOURCE.txt.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pycountry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bakuhub" / "core" / "data" / "reference"

COUNTRY_COLUMNS = [
    "iso2", "iso3", "numeric", "name_en", "name_fr", "name_pt", "name_ar", "official_name",
    "region_m49", "region_name", "subregion_m49", "subregion_name", "is_ldc", "is_lldc", "is_sids", "fragility",
]  # fmt: skip
FCS = {"Conflict": "conflict", "Institutional and social fragility": "fragility"}
HUB_ISO3 = ["TCD", "GNB", "SOM", "UGA", "IRQ"]
DECIMALS = 3
Coord = list[float]
Ring = list[Coord]


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


class _Missing(gettext.NullTranslations):
    """Fallback that answers '' so an untranslated name is told apart from one translated identically."""

    def gettext(self, message: str) -> str:
        return ""


def portuguese() -> gettext.NullTranslations:
    translations = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"])
    translations.add_fallback(_Missing())
    return translations


def flag(value: str, where: str) -> str:
    if value not in ("True", "False"):
        raise SystemExit(f"{where}: unexpected flag {value!r}")
    return "true" if value == "True" else "false"


def build_countries(source: Path) -> list[dict[str, str]]:
    ref = source / "reference"
    iso = read_csv(ref / "iso3166_1.csv")
    ocha = {r["ISO 3166-1 Alpha 3-Codes"]: r for r in read_csv(ref / "ocha_countries_territories_taxonomy.csv")}
    m49 = {r["iso_alpha3"]: r for r in read_csv(ref / "un_m49_regions.csv")}
    fcs = {r["iso3"]: FCS[r["fcs_category"]] for r in read_csv(ref / "wb_fcs_fy26.csv")}
    pt = portuguese()
    rows = []
    for country in iso:
        iso3 = country["alpha_3"]
        taxonomy = ocha.get(iso3, {})
        region = m49.get(iso3, {})
        rows.append(
            {
                "iso2": country["alpha_2"],
                "iso3": iso3,
                "numeric": country["numeric"],
                "name_en": taxonomy.get("English Short") or country["name"],
                # Territories have no "Short" name in the taxonomy; its M49 name in the same language is used then.
                "name_fr": taxonomy.get("French Short") or taxonomy.get("M49 French", ""),
                "name_pt": pt.gettext(country["name"]),
                "name_ar": taxonomy.get("Arabic Short") or taxonomy.get("M49 Arabic", ""),
                "official_name": country["official_name"],
                "region_m49": region.get("region_code", ""),
                "region_name": region.get("region_name", ""),
                "subregion_m49": region.get("subregion_code", ""),
                "subregion_name": region.get("subregion_name", ""),
                "is_ldc": flag(region.get("ldc", "False"), iso3),
                "is_lldc": flag(region.get("lldc", "False"), iso3),
                "is_sids": flag(region.get("sids", "False"), iso3),
                "fragility": fcs.get(iso3, ""),
            }
        )
    unknown = set(fcs) - {r["iso3"] for r in rows}
    if unknown:
        raise SystemExit(f"FCS countries not in ISO 3166-1: {sorted(unknown)}")
    return sorted(rows, key=lambda r: r["iso3"])


# --- geometry: round, drop repeated points, orient (RFC 7946: exterior counter-clockwise), check ---


def _area2(ring: Ring) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))


def _round_ring(ring: Ring, exterior: bool) -> Ring | None:
    out: Ring = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or _area2(out) == 0:
        return None  # collapsed at this precision
    if (_area2(out) > 0) != exterior:
        out.reverse()
    return out


def _orient(p: Coord, q: Coord, r: Coord) -> float:
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])


def _cross(a: Coord, b: Coord, c: Coord, d: Coord) -> bool:
    """Segments ab and cd cross at a point interior to both."""
    d1, d2, d3, d4 = _orient(c, d, a), _orient(c, d, b), _orient(a, b, c), _orient(a, b, d)
    return ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4))


def _ring_problems(rings: list[Ring]) -> int:
    segments = [(r[i], r[i + 1]) for r in rings for i in range(len(r) - 1)]
    boxes = [(min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])) for a, b in segments]
    problems = 0
    for i, (a, b) in enumerate(segments):
        bi = boxes[i]
        for j in range(i + 1, len(segments)):
            bj = boxes[j]
            if bj[0] > bi[1] or bj[1] < bi[0] or bj[2] > bi[3] or bj[3] < bi[2]:
                continue
            if _cross(a, b, *segments[j]):
                problems += 1
    return problems


def simplify_geometry(geometry: dict[str, Any], label: str) -> dict[str, Any]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out: list[list[Ring]] = []
    for polygon in polygons:
        shell = _round_ring(polygon[0], exterior=True)
        if shell is None:
            continue
        holes = [h for h in (_round_ring(r, exterior=False) for r in polygon[1:]) if h is not None]
        out.append([shell, *holes])
    if not out:
        raise SystemExit(f"{label}: geometry collapsed when rounded")
    problems = _ring_problems([ring for polygon in out for ring in polygon])
    if problems:
        raise SystemExit(f"{label}: {problems} crossing segment(s) after rounding to {DECIMALS} decimals")
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def build_admin1(source: Path) -> dict[str, Any]:
    bounds = source / "boundaries"
    crosswalk = read_csv(bounds / "admin1_pcode_iso3166_2_crosswalk_hub5.csv")
    with (bounds / "admin1_hub5_ne10m_simplified.geojson").open(encoding="utf-8") as handle:
        ne = json.load(handle)
    by_pcode: dict[str, tuple[dict[str, Any] | None, str]] = {}
    for feature in ne["features"]:
        props = feature["properties"]
        pcodes = props["adm1_pcode"].split(";")
        geometry = simplify_geometry(feature["geometry"], props["adm1_pcode"])
        if len(pcodes) > 1:
            note = f"Natural Earth v4.1.0 polygon covers {', '.join(pcodes)} (not split)"
        elif props["match_note"].startswith("dissolved"):
            note = "Natural Earth v4.1.0 district polygons dissolved into this region (ISO 3166-2 parents)"
        else:
            note = ""
        for pcode in pcodes:
            if pcode in by_pcode:
                raise SystemExit(f"p-code {pcode} has two polygons")
            by_pcode[pcode] = (geometry, note)
    features = []
    order = {iso3: i for i, iso3 in enumerate(HUB_ISO3)}
    for row in sorted(crosswalk, key=lambda r: (order[r["iso3"]], r["adm1_pcode"])):
        shape, note = by_pcode.pop(row["adm1_pcode"], (None, "No polygon in Natural Earth v4.1.0"))
        features.append(
            {
                "type": "Feature",
                "id": row["adm1_pcode"],
                "properties": {
                    "iso3": row["iso3"],
                    "pcode": row["adm1_pcode"],
                    "iso_3166_2": row["iso_3166_2"],
                    "name": row["adm1_name_cod"],
                    "geometry_note": note,
                },
                "geometry": shape,
            }
        )
    if by_pcode:
        raise SystemExit(f"polygons for p-codes not in the crosswalk: {sorted(by_pcode)}")
    return {"type": "FeatureCollection", "features": features}


def write_countries(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COUNTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_admin1(collection: dict[str, Any], path: Path) -> None:
    """One feature per line, compact, so that a change shows up as a readable diff."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the shared/data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "reference" / "iso3166_1.csv").is_file():
        print(f"{args.source} is not the shared/data folder (it exists on dev machines only)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    countries = build_countries(args.source)
    admin1 = build_admin1(args.source)
    write_countries(countries, args.out / "countries.csv")
    write_admin1(admin1, args.out / "admin1.geojson")
    print(f"{len(countries)} countries, {len(admin1['features'])} admin-1 units -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
