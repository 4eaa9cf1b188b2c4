"""The facts the demo states (`data/hub-facts.csv`) and what the demo builds from them: organisations, the Baku
Call's participants, Hub events, memoranda and the countries' sourced stages."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict

from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import InitiativeParticipant, Memorandum

FACTS_PATH = Path(__file__).resolve().parent / "data" / "hub-facts.csv"


class Citation(TypedDict):
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str
    fact_id: str


@dataclass(frozen=True)
class Fact:
    """One row of hub-facts.csv; the field names are the CSV's columns."""

    fact_id: str
    date: str
    kind: str
    country_iso3: str
    actors: str
    fact: str
    source_title: str
    source_publisher: str
    source_url: str
    source_date: str
    quote: str

    @property
    def when(self) -> tuple[dt.date, str]:
        """The fact's date and its precision; a month-only date (YYYY-MM) is stored as the 1st of the month."""
        if len(self.date) == 10:
            return dt.date.fromisoformat(self.date), "day"
        if len(self.date) == 7:
            return dt.date.fromisoformat(f"{self.date}-01"), "month"
        raise ValueError(f"{self.fact_id} is undated.")

    def source(self) -> Citation:
        """The `Sourced` fields citing this fact."""
        return {
            "source_title": self.source_title,
            "source_publisher": self.source_publisher,
            "source_url": self.source_url,
            "source_quote": self.quote,
            "fact_id": self.fact_id,
        }


@cache
def load_facts() -> dict[str, Fact]:
    with FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: Fact(**row) for row in csv.DictReader(handle)}


def _fact(fact_id: str) -> Fact:
    return load_facts()[fact_id]


def _with_facts(main: str, extra: Iterable[str]) -> str:
    """The main fact's sentence followed by further facts, each tagged with its id."""
    parts = [f"{_fact(main).fact} ({main})"] + [f"{_fact(f).fact} ({f})" for f in extra]
    return " ".join(parts)


# --- What the demo loads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    acronym: str
    org_type: str  # IATI OrganisationType: 10 Government, 40 Multilateral
    identifier: str  # blank unless seen in published IATI data (domain guide section 6)
    country: str
    fact_id: str


ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("IOM", "International Organization for Migration", "IOM", "40", "XM-DAC-47066", "", "BH056"),
    OrgSpec("UNDP", "United Nations Development Programme", "UNDP", "40", "XM-DAC-41114", "", "BH030"),
    OrgSpec("UNEP", "United Nations Environment Programme", "UNEP", "40", "XM-DAC-41116", "", "BH029"),
    OrgSpec("GCF", "Green Climate Fund", "GCF", "40", "", "", "BH055"),  # XM-DAC-41317 is unverified
    OrgSpec("IsDB", "Islamic Development Bank", "IsDB", "40", "", "", "BH031"),  # XM-DAC-46025 is unverified
    OrgSpec("AfDB", "African Development Bank", "AfDB", "40", "", "", "BH032"),  # only a bare 46002 was seen
    OrgSpec("AICS", "Italian Agency for Development Cooperation", "AICS", "10", "XM-DAC-6-4", "ITA", "BH039"),
    OrgSpec("COP29", "COP29 Presidency", "", "10", "", "AZE", "BH011"),
)

INITIATIVE_NAME = "Baku Call on Climate Action for Peace, Relief and Recovery"
INITIATIVE_FACT = "BH001"
PARTICIPANTS: tuple[tuple[str, str, str], ...] = (  # (iso3, role, fact)
    ("AZE", InitiativeParticipant.Role.HOST, "BH011"),
    ("EGY", InitiativeParticipant.Role.CO_LEAD, "BH005"),
    ("ITA", InitiativeParticipant.Role.CO_LEAD, "BH006"),
    ("DEU", InitiativeParticipant.Role.CO_LEAD, "BH007"),
    ("UGA", InitiativeParticipant.Role.CO_LEAD, "BH008"),
    ("ARE", InitiativeParticipant.Role.CO_LEAD, "BH009"),
    ("GBR", InitiativeParticipant.Role.CO_LEAD, "BH010"),
)


@dataclass(frozen=True)
class EventSpec:
    fact_id: str
    title: str
    place: str
    countries: tuple[str, ...]
    organisations: tuple[str, ...]  # OrgSpec keys
    also: tuple[str, ...] = ()  # further facts quoted in the description


# fmt: off
EVENTS: tuple[EventSpec, ...] = (
    EventSpec("BH016", "High-level round table on climate, peace and human mobility",
              "UN Headquarters (UN General Assembly week)", (), ("IOM", "COP29"), ("BH017",)),
    EventSpec("BH001", "Launch of the Baku Call on Climate Action for Peace, Relief and Recovery",
              "COP29 (Peace, Relief and Recovery Day)", ("AZE", "EGY", "ITA", "DEU", "UGA", "ARE", "GBR"),
              ("COP29",), ("BH002", "BH003")),
    EventSpec("BH020", "Strategy meeting of the network of climate-vulnerable, conflict-affected countries",
              "Anwar Gargash Diplomatic Academy, Abu Dhabi", ("ARE", "AZE"), ("COP29",), ("BH021",)),
    EventSpec("BH023", "Baku Hub Partnership - Advancing Peace-Positive Climate Action in Vulnerable Contexts",
              "Bonn (SB62)", ("TCD", "IRQ", "GNB", "DEU", "GBR", "ARE", "ITA"),
              ("COP29", "GCF", "UNEP", "UNDP", "IsDB", "AfDB"), ("BH025", "BH026", "BH027", "BH028")),
    EventSpec("BH033", "Vulnerable Countries Forum", "Addis Ababa (UNFCCC Africa Climate Week)",
              ("TCD", "IRQ", "GNB"), ("COP29",), ("BH034", "BH035")),
    EventSpec("BH036", "Baku Hub Partnership: Innovative Solutions for Conflict-Affected and Vulnerable Countries",
              "UN Headquarters (UNGA80)", ("TCD", "GNB", "SOM", "UGA"), ("COP29", "IOM", "AICS"),
              ("BH039", "BH040", "BH041", "BH042", "BH043", "BH044", "BH048")),
    EventSpec("BH054", "Annual High-Level Dialogue of the Baku Hub", "COP30", ("GNB", "GMB"),
              ("COP29", "GCF", "IOM"), ("BH055", "BH056", "BH058", "BH059")),
)
# fmt: on


@dataclass(frozen=True)
class MemoSpec:
    fact_id: str
    title: str
    status: str
    date_note: str
    party_countries: tuple[str, ...]
    establishes_jwg_for: tuple[str, ...]
    purpose: str


COP30_DATE_NOTE = "12 Nov 2025 is the date of the COP30 dialogue, taken from the Trend report (BH054)"
MOU = "Memorandum of understanding between the Baku Hub and"
JWG = "Memorandum establishing Joint Working Groups between the Baku Hub and"


def _memoranda() -> tuple[MemoSpec, ...]:
    approved, signed = Memorandum.Status.APPROVED, Memorandum.Status.SIGNED
    jwg_purpose = (
        f'{_with_facts("BH044", ())} BTA (citing AZERTAC, BH045): "{_fact("BH045").quote}" Trend reports the Joint '
        "Working Groups as established on the first day of the high-level week (BH046)."
    )
    single = " Single source: Report.az citing a COP29 Presidency post on X."
    # fmt: off
    return (
        MemoSpec("BH044", f"{JWG} Chad and Guinea-Bissau",
                 approved, "month only (September 2025, UNGA80 high-level week); no source gives the day",
                 ("TCD", "GNB"), ("TCD", "GNB"), jwg_purpose),
        MemoSpec("BH059", f"{MOU} Guinea-Bissau's Ministry of Environment, Biodiversity and Climate Action",
                 signed, COP30_DATE_NOTE, ("GNB",), (), _with_facts("BH059", ())),
        MemoSpec("BH058", f"{MOU} The Gambia's Ministry of Environment, Climate Change and Natural Resources",
                 signed, COP30_DATE_NOTE, ("GMB",), (), _with_facts("BH058", ()) + single),
    )
    # fmt: on


@dataclass(frozen=True)
class MilestoneSpec:
    milestone: Stage
    fact_id: str
    note: str = ""
    inferred: bool = False  # no source states the milestone; it is inferred from the fact (shown as such)


def _memberships() -> dict[str, tuple[MilestoneSpec, ...]]:
    """iso3 -> the milestones the facts state, each dated and cited by its fact, in the order the path lists them
    (they happened in another order: the dates say which). Nothing is stated that a fact does not say; a milestone
    that is only inferred says from which fact. Uganda co-leading the Baku Call (BH008) is not an intention to join
    the Hub and is not used here; its minister's statement (BH043) supports the same inference as Somalia's.
    The Joint Working Groups of Chad and Guinea-Bissau (BH046, BH047) record their milestone when the groups demo
    sets them up: a `jwg_established` milestone exists only with its group."""
    announced = "A climate-and-peace pilot project was announced for the country in Bonn (SB62)."
    statement = "The minister spoke of partnerships set up through the Hub; recorded as an announced intention."
    # fmt: off
    return {
        "TCD": (MilestoneSpec(Stage.MEMORANDUM_APPROVED, "BH044"),
                MilestoneSpec(Stage.PILOT_UNDERWAY, "BH026", announced)),
        "GNB": (MilestoneSpec(Stage.MEMORANDUM_APPROVED, "BH045"), MilestoneSpec(Stage.MEMORANDUM_SIGNED, "BH059"),
                MilestoneSpec(Stage.PILOT_UNDERWAY, "BH028", announced)),
        "IRQ": (MilestoneSpec(Stage.PILOT_UNDERWAY, "BH027", announced),),
        "SOM": (MilestoneSpec(Stage.INTENTION_ANNOUNCED, "BH042", statement, inferred=True),),
        "UGA": (MilestoneSpec(Stage.INTENTION_ANNOUNCED, "BH043", statement, inferred=True),),
        "GMB": (MilestoneSpec(Stage.MEMORANDUM_SIGNED, "BH058", "This rests on a single source (Report.az citing a "
                "COP29 Presidency post on X); see the caveats of hub-facts-README."),),
    }
    # fmt: on


def demo_countries() -> set[str]:
    """The ISO3 codes the demo links to; they must already be loaded (`bakuhub load_reference`)."""
    codes = {iso for iso, _, _ in PARTICIPANTS} | set(_memberships())
    codes |= {spec.country for spec in ORGANISATIONS if spec.country}
    for event in EVENTS:
        codes |= set(event.countries)
    for memo in _memoranda():
        codes |= set(memo.party_countries)
    return codes
