"""Rank candidate funders for a project in concept or appraisal, and say why in plain English.

Method
------
Every candidate is scored on its own evidence only (no normalisation across funds), so adding or removing a fund
never changes how the others compare. A candidate is a fund of the Climate Funds Update database (`funds.py`;
replenishments such as GCF-1/GCF-2/IRM folded into one fund) or one of the Hub's own funders (`HubFunder`, built by
the caller from the Hub's transactions). Four components, each a fit from 0 to 1:

country   Track record in the project's country. Single-country approvals there count 1 if their CFU theme
          matches the project's, else 0.5; multi-country approvals naming the country count 0.5; the fit is
          TRACK_BASE rising to 1 at TRACK_FULL_AT such counts. With no approval in the country the fund is judged on
          similar countries: single-country approvals in the same World Bank region (as CFU spells it) and sharing
          one of the project country's LDC / SIDS / FCS flags, weighted the same way, give PEER_BASE rising to
          PEER_TOP at PEER_FULL_AT - always below any real track record. Two mandates are read from the data and
          exclude a fund that has never funded the country: national or regional multi-donor funds (CFU fund_type
          other than "Multilateral": Amazon Fund, CAFI, CBFF) and LDC-only funds (at least LDC_ONLY_SHARE of at
          least LDC_ONLY_MIN single-country approvals in LDCs: the LDCF) for a country that is not an LDC.
theme     Share of the fund's approvals whose CFU theme matches: Adaptation -> adaptation, Mitigation - General /
          REDD -> mitigation, Multiple Foci -> cross_cutting; a Multiple Foci approval counts half for an
          adaptation or mitigation project and a single-objective one half for a cross-cutting project. The fit
          reaches 1 at THEME_FULL_AT. Not scored when the project has no climate theme.
size      The request against the fund's approvals of full projects (readiness and preparation grants, flagged
          at build time, are described separately): 1 inside the 25th-75th percentile, 0.75 inside the
          10th-90th, then falling to 0 at a factor of 10 beyond the 10th or 90th percentile. A request below the
          projects' range but within the fund's readiness grants keeps at least READINESS_FIT. Not scored without
          an amount; judged neutral (NEUTRAL) with fewer than MIN_SIZED sized projects.
recency   1 if the fund's latest approval is at most RECENT_YEARS old, falling linearly to 0 at STALE_YEARS.

score = 100 x (weighted mean of the scored components, WEIGHTS) + bonuses, capped at 100, one decimal. A component
that is not scored for the project (no theme, no amount) is left out of the mean for every candidate alike.

Peace and migration: CFU has no such theme. When the project targets them, a fund earns a small bonus (WEIGHTS
"peace_bonus", "migration_bonus") if any of its project titles or OECD sectors match PEACE_WORDS / MIGRATION_WORDS,
and the explanation says it was a keyword match. "resilien" is deliberately not a keyword: it is in 676 of the
3,800 titles (climate resilience), so it would reward nearly every adaptation fund; likewise "fragil" (fragile
ecosystems), "security" (food, water security) and "mobility" (e-mobility). A Hub funder earns the bonus if the
Hub recorded peace or migration among its themes.

Hub funders: a Hub funder whose name is one of a fund's names ("GCF", "Green Climate Fund", "Adaptation Fund" ...)
is merged into that fund (each component takes the better of the two; its Hub record joins the explanation);
otherwise it is ranked on its own as group "Hub". Unknown Hub data (themes, typical size, year) is NEUTRAL.

`phase` is carried for the caller (matching is meant for concept and appraisal) and does not change the score.
Order: score descending, then fund name, then group - deterministic for the same input.
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bakuhub.matching.funds import (
    CROSS_CUTTING,
    MULTILATERAL,
    THEMES,
    CfuProject,
    Fund,
    FundRef,
    default_funds,
    fund_aliases,
    load_projects,
    normalise_name,
)
from bakuhub.matching.profile import Components, FunderMatch, HubFunder, ProjectProfile
from bakuhub.matching.wording import (
    and_list,
    breakdown,
    cfu_theme_names,
    latest,
    median_of,
    plural,
    span,
    theme_words,
    usd_m,
)

__all__ = ["WEIGHTS", "Components", "FundRef", "FunderMatch", "HubFunder", "ProjectProfile", "rank_funders"]

# Points each component is worth when all four are scored (they sum to 100), and the bonus points.
WEIGHTS: dict[str, float] = {
    "country": 40.0,  # eligibility and track record in the project's country
    "theme": 25.0,  # adaptation / mitigation / cross-cutting fit
    "size": 20.0,  # the request against the fund's usual approvals
    "recency": 15.0,  # is the fund still approving?
    "peace_bonus": 3.0,  # keyword evidence of peace or conflict work (CFU has no such theme)
    "migration_bonus": 3.0,  # keyword evidence of migration or displacement work
}
COMPONENTS = ("country", "theme", "size", "recency")
TRACK_BASE, TRACK_FULL_AT = 0.6, 4.0
PEER_BASE, PEER_TOP, PEER_FULL_AT = 0.15, 0.5, 10.0
LDC_ONLY_SHARE, LDC_ONLY_MIN = 0.9, 20
THEME_FULL_AT = 0.6
MIN_SIZED, READINESS_FIT = 5, 0.5
RECENT_YEARS, STALE_YEARS = 2, 12
NEUTRAL = 0.5
HUB_IN_COUNTRY, HUB_ELSEWHERE, HUB_NO_COUNTRY = 0.9, 0.35, 0.2
PEACE_WORDS = ("conflict", "peace", "paix", "social cohesion", "cohésion sociale", "violent extremism")
MIGRATION_WORDS = ("migra", "displace", "déplacé", "refugee", "réfugié", "idp", "returnee", "host communit")
HUB_GROUP = "Hub"


def _words(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


KEYWORDS = {
    "peace": (_words(PEACE_WORDS), "conflict or peace"),
    "migration": (_words(MIGRATION_WORDS), "migration or displacement"),
}


@dataclass(frozen=True)
class _Context:
    profile: ProjectProfile
    name: str
    region: str | None
    themes: frozenset[str]
    size_m: Decimal | None
    today_year: int


@dataclass
class _Parts:
    fits: dict[str, float | None]  # None: not scored for this project
    bonus: dict[str, float]
    lines: list[str]
    unknown: frozenset[str] = frozenset()  # Hub components judged NEUTRAL for want of data


def theme_match(theme: str, themes: frozenset[str]) -> float:
    """1 if the theme is one of the project's, 0.5 between single-objective and cross-cutting, else 0."""
    if theme in themes:
        return 1.0
    if theme == CROSS_CUTTING:
        return 0.5 if themes - {CROSS_CUTTING} else 0.0
    return 0.5 if theme and CROSS_CUTTING in themes else 0.0


def _recency(last_year: int | None, ctx: _Context, what: str) -> tuple[float, str]:
    """`what` reads "GCF approval in the CFU data" or "funding by Sida through the Hub"."""
    if last_year is None:
        return 0.0, f"No year known for any {what}"
    age = ctx.today_year - last_year
    fit = 1.0 if age <= RECENT_YEARS else max(0.0, 1 - (age - RECENT_YEARS) / (STALE_YEARS - RECENT_YEARS))
    if fit >= NEUTRAL:
        return fit, f"Latest {what}: {last_year}"
    return fit, f"No {what} since {last_year} (closed, or between replenishments?)"


def _percentile(values: Sequence[Decimal], q: int) -> Decimal:
    position = Decimal(len(values) - 1) * q / 100
    low = int(position)
    if low + 1 >= len(values):
        return values[-1]
    return values[low] + (values[low + 1] - values[low]) * (position - low)


@functools.cache
def _cfu_country(iso3: str) -> tuple[str, str] | None:
    """CFU's name and World Bank region for a country, from the shipped data (the same whatever funds are ranked)."""
    for project in load_projects():
        if project.iso3 == iso3:
            return project.country, project.region
    return None


def _name_of(iso3: str) -> str:
    known = _cfu_country(iso3)
    return known[0] if known else iso3


# --- CFU funds ----------------------------------------------------------------------------------------------------


def _peer_label(ctx: _Context) -> str | None:
    p = ctx.profile
    flags = [name for name, on in (("LDC", p.is_ldc), ("SIDS", p.is_sids), ("FCS", p.is_fcs)) if on]
    if not flags and not ctx.region:
        return None
    if len(flags) == 1:
        group = {"LDC": "LDCs", "SIDS": "SIDS", "FCS": "fragile or conflict-affected (FCS) countries"}[flags[0]]
    else:
        group = f"{' or '.join(flags)} countries" if flags else "countries"
    return f"{group} of {ctx.region}" if ctx.region else group


def _is_peer(project: CfuProject, ctx: _Context) -> bool:
    p = ctx.profile
    if not project.iso3 or project.iso3 == p.country_iso3 or (ctx.region and project.region != ctx.region):
        return False
    if not (p.is_ldc or p.is_sids or p.is_fcs):
        return True
    return (p.is_ldc and project.ldc) or (p.is_sids and project.sids) or (p.is_fcs and project.fcs)


def _track_record(fund: Fund, ctx: _Context, singles: list[CfuProject], multis: list[CfuProject]) -> list[str]:
    short, themes, name = fund.short, ctx.themes, ctx.name
    lines = []
    matching = [p for p in singles if p.theme in themes]
    if matching:
        line = f"{short} approved {plural(len(matching), theme_words(themes) + ' project')} in {name}"
        line += span(matching) + median_of(matching)
        if len(singles) > len(matching):
            line += f"; {len(singles)} projects there in all ({breakdown(singles)})"
        lines.append(line)
    elif singles:
        line = f"{short} approved {plural(len(singles), 'project')} in {name}{span(singles)}{median_of(singles)}"
        line += f": {breakdown(singles)}" + (f", none classed {cfu_theme_names(themes)} by CFU" if themes else "")
        lines.append(line)
    readiness, count = sum(p.readiness for p in singles), len(singles)
    if readiness:
        if count == 1:
            lines.append(f"The {short} approval in {name} was a readiness or preparation grant")
        else:
            which = f"All {count}" if readiness == count else f"{readiness} of the {count}"
            lines.append(f"{which} {short} approvals in {name} were readiness or preparation grants")
    if multis:
        example = latest(multis)
        lines.append(
            f"{name} is also named in {plural(len(multis), f'multi-country {short} project')}, "
            f"e.g. “{example.name}” ({example.year or 'year unknown'})"
        )
    return lines


def _country_fit(fund: Fund, ctx: _Context) -> tuple[float | None, list[str]]:
    """The country component and why; None (with the reason) when the fund's mandate excludes the country."""
    iso3, short, themes = ctx.profile.country_iso3, fund.short, ctx.themes
    singles = [p for p in fund.projects if p.iso3 == iso3]
    multis = [p for p in fund.projects if not p.iso3 and iso3 in p.countries]
    if singles or multis:
        weighted = sum(max(0.5, theme_match(p.theme, themes)) for p in singles) + 0.5 * len(multis)
        fit = TRACK_BASE + (1 - TRACK_BASE) * min(1.0, weighted / TRACK_FULL_AT)
        return fit, _track_record(fund, ctx, singles, multis)
    singles_all = [p for p in fund.projects if p.iso3]
    if fund.fund_type != MULTILATERAL:
        funded = and_list(sorted({p.country for p in singles_all})[:5] or ["no single country"])
        return None, [f"{short} is a {fund.fund_type.lower()} fund that has funded {funded}, never {ctx.name}"]
    ldcs = sum(p.ldc for p in singles_all)
    if not ctx.profile.is_ldc and len(singles_all) >= LDC_ONLY_MIN and ldcs >= LDC_ONLY_SHARE * len(singles_all):
        return None, [
            f"{short} funds LDCs ({ldcs} of its {len(singles_all)} single-country projects); {ctx.name} is not one"
        ]
    label = _peer_label(ctx)
    peers = [p for p in fund.projects if _is_peer(p, ctx)] if label else []
    matching = sum(p.theme in themes for p in peers)
    weighted = matching + 0.5 * (len(peers) - matching)
    fit = PEER_BASE + (PEER_TOP - PEER_BASE) * min(1.0, weighted / PEER_FULL_AT)
    if label is None:
        countries = plural(len({p.iso3 for p in singles_all}), "country", "countries")
        line = f"No {short} project in {ctx.name}; it has funded {countries} but none known to be similar"
    elif peers:
        countries = plural(len({p.iso3 for p in peers}), "country", "countries")
        line = f"No {short} project in {ctx.name}; {len(peers)} in {label} ({countries}"
        line += f"; {matching} {theme_words(themes)})" if themes else ")"
    else:
        line = f"No {short} project in {ctx.name} or in other {label}"
    return fit, [line]


def _theme_fit(projects: Sequence[CfuProject], ctx: _Context, short: str) -> tuple[float | None, list[str]]:
    if not ctx.themes:
        return None, ["Theme not scored: the project has no climate theme"]
    if not projects:
        return 0.0, [f"No {short} approvals to judge the theme by"]
    share = sum(theme_match(p.theme, ctx.themes) for p in projects) / len(projects)
    line = f"Of the {len(projects):,} {short} approvals, CFU classes {breakdown(projects)}"
    if any(theme_match(p.theme, ctx.themes) == 0.5 for p in projects):
        line += f" (a partly matching theme counts half: theme fit {share:.0%})"
    return min(1.0, share / THEME_FULL_AT), [line]


def _size_fit(projects: Sequence[CfuProject], ctx: _Context, short: str) -> tuple[float | None, list[str]]:
    if ctx.size_m is None:
        return None, ["Size not scored: the project has no amount yet"]
    amounts = sorted(p.amount_usd_m for p in projects if not p.readiness and p.amount_usd_m)
    small = sorted(p.amount_usd_m for p in projects if p.readiness and p.amount_usd_m)
    x, request = ctx.size_m, f"Your request ({usd_m(ctx.size_m)})"
    if len(amounts) < MIN_SIZED:
        return NEUTRAL, [f"Only {plural(len(amounts), 'sized project')} for {short} in the data: size not judged"]
    p10, p25, p75, p90 = (_percentile(amounts, q) for q in (10, 25, 75, 90))
    if p25 <= x <= p75:
        return 1.0, [f"{request} is within the middle half of {short} projects ({usd_m(p25)} to {usd_m(p75)})"]
    if p10 <= x <= p90:
        usual = f"10th to 90th percentile {usd_m(p10)} to {usd_m(p90)}"
        return 0.75, [f"{request} is within the usual range of {short} projects ({usual}), not the middle half"]
    if x > p90:
        fit = 0.75 * max(0.0, 1 - math.log10(x / p90))
        return fit, [f"{request} is above the fund's 90th percentile ({usd_m(p90)}; largest {usd_m(amounts[-1])})"]
    fit = 0.75 * max(0.0, 1 - math.log10(p10 / x)) if x > 0 else 0.0
    line = f"{request} is below the fund's 10th percentile ({usd_m(p10)})"
    if small and x <= small[-1]:
        fit = max(fit, READINESS_FIT)
        grants = plural(len(small), "readiness or preparation grant")
        line += f"; {short} also made {grants} (median {usd_m(statistics.median(small))}, up to {usd_m(small[-1])})"
    return fit, [line]


def _bonus(projects: Sequence[CfuProject], ctx: _Context, short: str) -> tuple[dict[str, float], list[str]]:
    bonus: dict[str, float] = {}
    lines = []
    for dimension, wanted in (("peace", ctx.profile.peace), ("migration", ctx.profile.migration)):
        if not wanted:
            continue
        pattern, words = KEYWORDS[dimension]
        hits = [p for p in projects if pattern.search(f"{p.name} {p.sector}")]
        if not hits:
            lines.append(f"No {dimension} bonus: no {short} title or sector mentions {words} (CFU has no such theme)")
            continue
        bonus[dimension] = WEIGHTS[f"{dimension}_bonus"]
        example = latest(hits)
        lines.append(
            f"+{bonus[dimension]:g} points ({dimension}): the title or sector of "
            f"{plural(len(hits), f'{short} project')} mentions {words}, e.g. “{example.name}” ({example.country}, "
            f"{example.year or 'year unknown'}); a keyword match only, as CFU has no {dimension} theme"
        )
    return bonus, lines


def _cfu_parts(fund: Fund, ctx: _Context) -> _Parts:
    """The fund's parts; fits["country"] is None when its mandate excludes the country."""
    country, country_lines = _country_fit(fund, ctx)
    theme, theme_lines = _theme_fit(fund.projects, ctx, fund.short)
    size, size_lines = _size_fit(fund.projects, ctx, fund.short)
    last = max((p.year for p in fund.projects if p.year), default=None)
    recency, recency_line = _recency(last, ctx, f"{fund.short} approval in the CFU data")
    bonus, bonus_lines = _bonus(fund.projects, ctx, fund.short)
    fits: dict[str, float | None] = {"country": country, "theme": theme, "size": size, "recency": recency}
    return _Parts(fits, bonus, [*country_lines, *theme_lines, *size_lines, recency_line, *bonus_lines])


# --- Hub funders --------------------------------------------------------------------------------------------------


def _hub_parts(hub: HubFunder, ctx: _Context) -> _Parts:
    iso3, name = ctx.profile.country_iso3, hub.name
    lines: list[str] = []
    unknown: set[str] = set()
    if iso3 in hub.countries:
        country = HUB_IN_COUNTRY
        amount = hub.amounts_by_country.get(iso3)
        lines.append(f"Through the Hub, {name} has funded projects in {ctx.name}"
                     + (f" ({usd_m(amount / 1_000_000)} so far)" if amount else ""))  # fmt: skip
    elif hub.countries:
        country = HUB_ELSEWHERE
        elsewhere = and_list(sorted(_name_of(code) for code in hub.countries))
        lines.append(f"Through the Hub, {name} has funded projects in {elsewhere}, "
                     f"not yet in {ctx.name}")  # fmt: skip
    else:
        country = HUB_NO_COUNTRY
        lines.append(f"The Hub has no country recorded for {name}")
    climate = frozenset(hub.themes) & THEMES
    theme: float | None = None
    if ctx.themes and climate:
        theme = max(theme_match(t, ctx.themes) for t in climate)
        lines.append(f"Through the Hub, {name} funds {and_list(sorted(hub.themes))} work")
    elif ctx.themes:
        theme = NEUTRAL
        unknown.add("theme")
        lines.append(f"The Hub has no climate theme recorded for {name}: theme judged neutral")
    size: float | None = None
    if ctx.size_m is not None and hub.typical_size_usd:
        typical = hub.typical_size_usd / 1_000_000
        size = max(0.0, 1 - abs(math.log10(ctx.size_m / typical))) if ctx.size_m > 0 else 0.0
        lines.append(f"Your request ({usd_m(ctx.size_m)}) against {name}'s typical grant ({usd_m(typical)})")
    elif ctx.size_m is not None:
        size = NEUTRAL
        unknown.add("size")
        lines.append(f"The Hub has no typical grant size for {name}: size judged neutral")
    if hub.last_year is None:
        recency = NEUTRAL
        unknown.add("recency")
        lines.append(f"The Hub has no year of {name}'s latest funding: recency judged neutral")
    else:
        recency, line = _recency(hub.last_year, ctx, f"funding by {name} through the Hub")
        lines.append(line)
    bonus = {}
    for dimension, wanted in (("peace", ctx.profile.peace), ("migration", ctx.profile.migration)):
        if wanted and dimension in hub.themes:
            bonus[dimension] = WEIGHTS[f"{dimension}_bonus"]
            lines.append(f"+{bonus[dimension]:g} points ({dimension}): the Hub records {dimension} among its themes")
    fits: dict[str, float | None] = {"country": country, "theme": theme, "size": size, "recency": recency}
    return _Parts(fits, bonus, lines, frozenset(unknown))


def _better(cfu: float | None, hub: float | None) -> float | None:
    if cfu is None or hub is None:
        return cfu if hub is None else hub
    return max(cfu, hub)


def _merge(cfu: _Parts, hub: _Parts) -> _Parts:
    """A CFU fund with the Hub's own record of it: each component the better of the two, unknown Hub data ignored."""
    fits = {n: cfu.fits[n] if n in hub.unknown else _better(cfu.fits[n], hub.fits[n]) for n in COMPONENTS}
    bonus = {k: max(cfu.bonus.get(k, 0.0), hub.bonus.get(k, 0.0)) for k in cfu.bonus.keys() | hub.bonus.keys()}
    return _Parts(fits, bonus, [*cfu.lines, *(line for line in hub.lines if "judged neutral" not in line)])


# --- ranking ------------------------------------------------------------------------------------------------------


def _match(ref: FundRef, parts: _Parts, source: str) -> FunderMatch:
    fits = {name: None if fit is None else round(float(fit), 3) for name, fit in parts.fits.items()}
    scored = {name: fit for name, fit in fits.items() if fit is not None}
    mean = sum(WEIGHTS[n] * fit for n, fit in scored.items()) / sum(WEIGHTS[n] for n in scored)
    bonus = sum(parts.bonus.values())
    score = round(min(100.0, max(0.0, 100 * mean + bonus)), 1)
    components = Components(fits["country"] or 0.0, fits["theme"], fits["size"], fits["recency"], bonus)
    return FunderMatch(ref, score, components, parts.lines, source)


def rank_funders(
    profile: ProjectProfile,
    *,
    funds: Sequence[Fund] | None = None,
    hub_funders: Sequence[HubFunder] = (),
    today_year: int | None = None,
    limit: int | None = 10,
) -> list[FunderMatch]:
    """Candidate funders for the project, best first (method: the module docstring).

    `funds` defaults to the shipped CFU database, `today_year` to the current year; `limit=None` returns all.
    Funds whose mandate excludes the country (and the Hub has no record of in it) are left out.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    known = _cfu_country(profile.country_iso3)
    ctx = _Context(
        profile=profile,
        name=profile.country_name or _name_of(profile.country_iso3),
        region=profile.region or (known[1] if known else None),
        themes=frozenset(profile.themes),
        size_m=None if profile.size_usd is None else profile.size_usd / 1_000_000,
        today_year=date.today().year if today_year is None else today_year,
    )
    funds = default_funds() if funds is None else funds
    aliases = {alias: fund.ref for fund in funds for alias in fund_aliases(fund)}
    hub_by_fund: dict[FundRef, list[HubFunder]] = {}
    own: list[HubFunder] = []
    for hub in hub_funders:
        ref = aliases.get(normalise_name(hub.name))
        (hub_by_fund.setdefault(ref, []) if ref else own).append(hub)
    matches = []
    for fund in funds:
        parts = _cfu_parts(fund, ctx)
        merged = hub_by_fund.get(fund.ref, [])
        if parts.fits["country"] is None:  # the fund's mandate excludes the country ...
            if not merged:
                continue
            parts.fits["country"] = 0.0  # ... but the Hub's own record is weighed below
        for hub in merged:
            parts = _merge(parts, _hub_parts(hub, ctx))
        matches.append(_match(fund.ref, parts, "cfu+hub" if merged else "cfu"))
    matches.extend(_match(FundRef(HUB_GROUP, hub.name), _hub_parts(hub, ctx), "hub") for hub in own)
    matches.sort(key=lambda m: (-m.score, m.fund.name, m.fund.group))
    return matches if limit is None else matches[:limit]
