"""The matching's input and output types (plain dataclasses; re-exported by `bakuhub.matching.score`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal

from bakuhub.matching.funds import THEMES, FundRef

HUB_THEMES = THEMES | {"peace", "migration"}


@dataclass(frozen=True)
class ProjectProfile:
    """What the matching needs to know about a project; `themes` are derived by the caller from its markers."""

    country_iso3: str
    themes: AbstractSet[str] = frozenset()  # "adaptation" | "mitigation" | "cross_cutting"
    peace: bool = False
    migration: bool = False
    size_usd: Decimal | None = None  # the request, in USD
    phase: str = "concept"  # carried for the caller; not scored
    is_ldc: bool = False
    is_sids: bool = False
    is_fcs: bool = False
    region: str | None = None  # World Bank region as CFU spells it; default: CFU's region for the country
    country_name: str | None = None  # default: CFU's name for the country, else the ISO3 code

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{3}", self.country_iso3):
            raise ValueError(f"country_iso3 must be three capital letters, not {self.country_iso3!r}")
        if unknown := set(self.themes) - THEMES:
            raise ValueError(f"unknown themes {sorted(unknown)}; use {sorted(THEMES)}")
        if self.size_usd is not None and self.size_usd < 0:
            raise ValueError("size_usd must not be negative")
        object.__setattr__(self, "themes", frozenset(self.themes))


@dataclass(frozen=True)
class HubFunder:
    """A funder as the Hub knows it from its own transactions (amounts in USD)."""

    name: str
    countries: AbstractSet[str] = frozenset()  # ISO3 of countries funded (the keys of amounts_by_country are added)
    themes: AbstractSet[str] = frozenset()  # "adaptation" | "mitigation" | "cross_cutting" | "peace" | "migration"
    typical_size_usd: Decimal | None = None
    amounts_by_country: Mapping[str, Decimal] = field(default_factory=dict)  # ISO3 -> USD given so far
    last_year: int | None = None  # year of its latest funding through the Hub

    def __post_init__(self) -> None:
        if unknown := set(self.themes) - HUB_THEMES:
            raise ValueError(f"unknown Hub funder themes {sorted(unknown)}; use {sorted(HUB_THEMES)}")
        object.__setattr__(self, "countries", frozenset(self.countries) | frozenset(self.amounts_by_country))
        object.__setattr__(self, "themes", frozenset(self.themes))


@dataclass(frozen=True)
class Components:
    """Fits from 0 to 1 (None: not scored for this project) and the bonus points added to the score."""

    country: float  # eligibility and track record in the project's country
    theme: float | None
    size: float | None
    recency: float | None
    bonus: float = 0.0


@dataclass(frozen=True)
class FunderMatch:
    fund: FundRef  # group ("GCF", "AF", "other" ... or "Hub") and name
    score: float  # 0-100, one decimal
    components: Components
    explanation: list[str]  # plain-English sentences built from the numbers
    source: str = "cfu"  # "cfu", "hub" (a Hub funder of its own) or "cfu+hub" (a fund the Hub also records)
