"""The Climate Funds Update (CFU) project database as plain Python objects, read once with the csv module.

The shipped file `data/cfu_projects_2025.csv` is a slim copy built by `scripts/build_matching_data.py` (origin,
licence and what was trimmed: `data/SOURCE.txt`). One row is one approved project.

CFU lists replenishment periods and windows of one fund as separate "funds" (GCF-1, GCF-2, GCF IRM; GEF4 ... GEF8;
ASAP and ASAP+). An applicant approaches the fund, not the replenishment, so `CANONICAL_FUND` folds them into one
`Fund`; the CFU name stays on every `CfuProject`.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "cfu_projects_2025.csv"

ADAPTATION, MITIGATION, CROSS_CUTTING = "adaptation", "mitigation", "cross_cutting"
THEMES = frozenset({ADAPTATION, MITIGATION, CROSS_CUTTING})
# CFU's theme_objective -> our theme. "Multiple Foci" is CFU's name for projects serving both objectives.
THEME_OF_CFU = {
    "Adaptation": ADAPTATION,
    "Mitigation - General": MITIGATION,
    "Mitigation - REDD": MITIGATION,
    "Multiple Foci": CROSS_CUTTING,
}
CFU_THEME_LABEL = {ADAPTATION: "Adaptation", MITIGATION: "Mitigation", CROSS_CUTTING: "Multiple Foci"}

_GCF = "Green Climate Fund (GCF)"
_GEF = "Global Environment Facility (GEF)"
_ASAP = "Adaptation for Smallholder Agriculture Programme (ASAP)"
CANONICAL_FUND = {
    "Green Climate Fund (GCF-1)": _GCF,
    "Green Climate Fund (GCF-2)": _GCF,
    "Green Climate Fund IRM (GCF IRM)": _GCF,
    "Global Environment Facility (GEF4)": _GEF,
    "Global Environment Facility (GEF5)": _GEF,
    "Global Environment Facility (GEF6)": _GEF,
    "Global Environment Facility (GEF7)": _GEF,
    "Global Environment Facility (GEF8)": _GEF,
    "Adaptation for Smallholder Agriculture Programme (ASAP+)": _ASAP,
}
# Short names used in explanations; by default the abbreviation in brackets at the end of the fund's name.
SHORT_NAME = {"Adaptation Fund (AF)": "Adaptation Fund", "BioCarbon Fund Initiative for Sustainable Forest Landscapes "
              "(BioCarbon Fund ISFL)": "BioCarbon Fund ISFL"}  # fmt: skip
MULTILATERAL = "Multilateral"


@dataclass(frozen=True, slots=True)
class CfuProject:
    """One approved project. `countries` is {iso3} for a single-country row, else the countries it names."""

    fund_group: str
    fund: str
    fund_type: str
    name: str
    country: str
    iso3: str
    countries: frozenset[str]
    region: str
    theme: str
    sector: str
    agency: str
    year: int | None
    amount_usd_m: Decimal | None
    ldc: bool
    sids: bool
    fcs: bool
    readiness: bool

    @property
    def single_country(self) -> bool:
        return bool(self.iso3)


@dataclass(frozen=True, slots=True, order=True)
class FundRef:
    """What a match names: CFU's fund group (GCF, AF, GEF, other ...; "Hub" for the Hub's own funders) and name."""

    group: str
    name: str


@dataclass(frozen=True, slots=True)
class Fund:
    ref: FundRef
    short: str
    fund_type: str
    projects: tuple[CfuProject, ...]

    @property
    def name(self) -> str:
        return self.ref.name


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _project(row: dict[str, str]) -> CfuProject:
    iso3 = row["iso3"]
    countries = frozenset({iso3}) if iso3 else frozenset(filter(None, row["countries_iso3"].split(";")))
    return CfuProject(
        fund_group=row["fund_group"],
        fund=row["fund"],
        fund_type=row["fund_type"],
        name=row["project_name"],
        country=row["country"],
        iso3=iso3,
        countries=countries,
        region=row["wb_region"],
        theme=THEME_OF_CFU.get(row["theme_objective"], ""),
        sector=row["sector_oecd"],
        agency=row["implementing_agency"],
        year=int(row["approved_year"]) if row["approved_year"] else None,
        amount_usd_m=_decimal(row["approved_usd_m"]),
        ldc=row["ldc"] == "LDC",
        sids=row["sids"].startswith("SIDS"),
        fcs=row["fcs"] == "FCAS",
        readiness=row["readiness"] == "yes",
    )


def read_projects(path: Path) -> tuple[CfuProject, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(_project(row) for row in csv.DictReader(handle))


@functools.cache
def load_projects() -> tuple[CfuProject, ...]:
    """Every row of the shipped CSV, in file order (read once per process)."""
    return read_projects(DATA_FILE)


def short_name(name: str) -> str:
    if name in SHORT_NAME:
        return SHORT_NAME[name]
    match = re.search(r"\(([^()]+)\)$", name)
    return match.group(1) if match else name


def build_funds(projects: Iterable[CfuProject]) -> tuple[Fund, ...]:
    """Group projects into funds (replenishments folded, see CANONICAL_FUND), sorted by fund name."""
    grouped: dict[str, list[CfuProject]] = defaultdict(list)
    for project in projects:
        grouped[CANONICAL_FUND.get(project.fund, project.fund)].append(project)
    funds = []
    for name, members in sorted(grouped.items()):
        # A folded fund is multilateral if any part is; the group is the most common one among its rows.
        groups = sorted({p.fund_group for p in members}, key=lambda g: (-sum(p.fund_group == g for p in members), g))
        fund_type = MULTILATERAL if any(p.fund_type == MULTILATERAL for p in members) else members[0].fund_type
        funds.append(Fund(FundRef(groups[0], name), short_name(name), fund_type, tuple(members)))
    return tuple(funds)


@functools.cache
def default_funds() -> tuple[Fund, ...]:
    """The funds of the shipped CFU database (built once per process)."""
    return build_funds(load_projects())


def fund_aliases(fund: Fund) -> frozenset[str]:
    """Normalised names a Hub funder may carry for this fund: "GCF", "Green Climate Fund", "Adaptation Fund" ..."""
    names = {fund.name, fund.short, re.sub(r"\s*\([^()]*\)$", "", fund.name)}
    names.update(p.fund for p in fund.projects)
    if fund.ref.group != "other":
        names.add(fund.ref.group)
    return frozenset(normalise_name(n) for n in names)


def normalise_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())
