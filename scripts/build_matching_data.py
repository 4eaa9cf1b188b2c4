"""Build bakuhub/matching/data/cfu_projects_2025.csv (a slim copy of the Climate Funds Update project database).

Re-runnable; the output is deterministic (same rows, same order as the source). Run from the repository root on a
dev machine that has ../shared/data (standard library only):

    .venv/bin/python scripts/build_matching_data.py [--source ../shared/data] [--out bakuhub/matching/data]

What it does to the source CSV (see bakuhub/matching/data/SOURCE.txt):
  * keeps every row, keeps only the columns the funder matching uses (COLUMNS below);
  * tidies text: non-breaking spaces and runs of white space become one space, leading/trailing space is dropped;
    approved_year "2019.0" becomes "2019"; the theme spelling "Multiple foci" becomes "Multiple Foci";
  * adds `countries_iso3`: the ISO3 codes of the countries a multi-country row names in brackets, e.g.
    "Regional - Sub-Saharan Africa (Burkina Faso, Chad, Mali, Mauritania, Niger)" -> "BFA;MLI;MRT;NER;TCD"
    (names resolved with the CFU's own single-country name -> iso3 pairs, the repository's countries.csv and the
    ALIASES below; unresolved names are reported on stderr and left out);
  * adds `readiness`: "yes" for readiness/preparation grants, else empty. A row is one if CFU's key words say
    "Readiness support" (GCF readiness), its title carries a GCF readiness reference such as "TCD-RS-002", or its
    title names a readiness, project-formulation, project-preparation, technical-assistance or South-South
    cooperation grant AND it is at most USD 1 m (so multi-million REDD+ "Readiness Fund Grant"s of the FCPF stay
    projects). The matching describes size bands of full projects separately from these small grants.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bakuhub" / "matching" / "data"
COUNTRIES = REPO / "bakuhub" / "core" / "data" / "reference" / "countries.csv"
FILENAME = "cfu_projects_2025.csv"

KEPT = [
    "fund_group", "fund", "fund_type", "project_name", "country", "iso3", "wb_region", "theme_objective",
    "sector_oecd", "implementing_agency", "approved_year", "approved_usd_m", "ldc", "sids", "fcs",
]  # fmt: skip
COLUMNS = [*KEPT[:6], "countries_iso3", *KEPT[6:], "readiness"]

# Spellings in CFU's multi-country lists that neither CFU's single-country rows nor countries.csv resolve.
ALIASES = {
    "antigua & barbuda": "ATG",
    "bosnia-herzegovina": "BIH",
    "côte d\u2019ivoire": "CIV",
    "car": "CAF",
    "congo dr": "COD",
    "congo rep": "COG",
    "democratic republic of congo": "COD",
    "drc": "COD",
    "dominican republic (the)": "DOM",
    "federated states of micronesia": "FSM",
    "georgie": "GEO",
    "guinea bissau": "GNB",
    "kyrgyz republic": "KGZ",
    "lao pdr": "LAO",
    "macedonia": "MKD",
    "micronesia": "FSM",
    "moldava": "MDA",
    "moldova": "MDA",
    "republic of congo": "COG",
    "republic of marshall islands": "MHL",
    "sao trome and principe": "STP",
    "solomon": "SLB",
    "sout africa": "ZAF",
    "st kitts & nevis": "KNA",
    "st lucia": "LCA",
    "st vincent & grenadines": "VCT",
    "st vincent & the grenadines": "VCT",
    "st. kitts and nevis": "KNA",
    "st. lucia": "LCA",
    "st. vincent and grenadines": "VCT",
    "st.lucia": "LCA",
    "saint kitts & nevis": "KNA",
    "st vincent and the grenadines": "VCT",
    "swaziland": "SWZ",
    "the comoros": "COM",
    "the former yugoslav republic of macedonia": "MKD",
    "timor leste": "TLS",
    "turkey": "TUR",
    "vietnam": "VNM",
}
# Bracketed text that is not a list of countries.
NOT_COUNTRIES = {"west", "eastern and southern africa"}

GCF_READINESS_REF = re.compile(r"\b[A-Z]{3}-RS-\d+")
READINESS_TITLE = re.compile(
    r"readiness (grant|package|support|proposal)|project formulation|formulation grant|project preparation"
    r"|technical assistance grant|south-south cooperation",
    re.IGNORECASE,
)
SMALL_GRANT_USD_M = 1.0
SPACES = re.compile(r"\s+")


def tidy(value: str) -> str:
    return SPACES.sub(" ", value.replace("\xa0", " ")).strip()


def key(name: str) -> str:
    return tidy(name).casefold().rstrip(".")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def name_index(rows: list[dict[str, str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    if COUNTRIES.exists():
        for country in read_csv(COUNTRIES):
            for column in ("name_en", "official_name"):
                if country[column]:
                    index[key(country[column])] = country["iso3"]
    for row in rows:  # CFU's own spelling wins over the reference names
        if row["iso3"]:
            index[key(row["country"])] = row["iso3"]
    index.update(ALIASES)
    return index


def named_countries(country: str, index: dict[str, str], unresolved: set[str]) -> list[str]:
    match = re.search(r"\((.*)\)$", tidy(country))  # outermost brackets: "Dominican Republic (the)" nests
    if match is None:
        return []
    inside = match.group(1)
    if key(inside) in NOT_COUNTRIES or key(inside) in index:
        return [index[key(inside)]] if key(inside) in index else []
    codes = set()
    for part in inside.split(","):
        # "Niger and Togo" is two countries, "Trinidad and Tobago" one: take the longest run of "and"-separated
        # pieces that names a country, then go on after it.
        pieces = re.split(r"\s*\band\b\s*", key(part))
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                name = " and ".join(pieces[start:end])
                if name in index:
                    codes.add(index[name])
                    start = end
                    break
            else:
                if pieces[start]:
                    unresolved.add(pieces[start])
                start += 1
    return sorted(codes)


def readiness(row: dict[str, str]) -> str:
    if "readiness support" in row["key_words"].casefold() or GCF_READINESS_REF.search(row["project_name"]):
        return "yes"
    amount = tidy(row["approved_usd_m"])
    small = not amount or float(amount) <= SMALL_GRANT_USD_M
    return "yes" if small and READINESS_TITLE.search(row["project_name"]) else ""


def year(value: str) -> str:
    value = tidy(value)
    return str(int(float(value))) if value else ""


def build(source: Path) -> tuple[list[dict[str, str]], set[str]]:
    rows = read_csv(source / "climate-finance" / FILENAME)
    index = name_index(rows)
    unresolved: set[str] = set()
    out = []
    for row in rows:
        slim = {column: tidy(row[column]) for column in KEPT}
        slim["approved_year"] = year(row["approved_year"])
        if slim["theme_objective"].casefold() == "multiple foci":
            slim["theme_objective"] = "Multiple Foci"
        slim["countries_iso3"] = "" if row["iso3"] else ";".join(named_countries(row["country"], index, unresolved))
        slim["readiness"] = readiness(row)
        out.append(slim)
    return out, unresolved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not (args.source / "climate-finance" / FILENAME).exists():
        print(
            f"{args.source / 'climate-finance' / FILENAME} not found (it exists only on dev machines)", file=sys.stderr
        )
        return 1
    rows, unresolved = build(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / FILENAME
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    multi = [r for r in rows if not r["iso3"]]
    print(
        f"{target}: {len(rows)} rows, {target.stat().st_size:,} bytes; "
        f"{sum(1 for r in rows if r['readiness'])} readiness/preparation grants; "
        f"{sum(1 for r in multi if r['countries_iso3'])} of {len(multi)} multi-country rows name their countries"
    )
    for name in sorted(unresolved):
        print(f"unresolved country name in a multi-country row: {name!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
