"""Funder matching: real-data checks against the shipped CFU copy, the scoring rules, and properties (no database)."""

from __future__ import annotations

import csv
import re
import statistics
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bakuhub.matching.funds import (
    DATA_FILE,
    THEME_OF_CFU,
    CfuProject,
    Fund,
    FundRef,
    build_funds,
    default_funds,
    load_projects,
)
from bakuhub.matching.score import (
    COMPONENTS,
    PEER_TOP,
    TRACK_BASE,
    WEIGHTS,
    HubFunder,
    ProjectProfile,
    rank_funders,
)
from bakuhub.matching.wording import usd_m

YEAR = 2026
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "climate-finance" / "cfu_projects_2025.csv"


def chad(**changes):
    values = {
        "country_iso3": "TCD",
        "themes": {"adaptation"},
        "size_usd": Decimal(5_000_000),
        "is_ldc": True,
        "is_fcs": True,
    }
    return ProjectProfile(**(values | changes))


def rows():
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_group(matches, group):
    return next(m for m in matches if m.fund.group == group)


def money(text):
    """'USD 0.39 m' in an explanation -> Decimal('0.39')."""
    return Decimal(re.fullmatch(r"USD ([\d,.]+) m", text).group(1).replace(",", ""))


def project(**changes):
    values = {
        "fund_group": "X",
        "fund": "Fund X",
        "fund_type": "Multilateral",
        "name": "A project",
        "country": "Niger",
        "iso3": "NER",
        "countries": frozenset({"NER"}),
        "region": "Sub-Saharan Africa",
        "theme": "adaptation",
        "sector": "Agriculture",
        "agency": "UNDP",
        "year": 2024,
        "amount_usd_m": Decimal(5),
        "ldc": True,
        "sids": False,
        "fcs": True,
        "readiness": False,
    }
    return CfuProject(**(values | changes))


def fund(name, projects, fund_type="Multilateral"):
    return Fund(FundRef("X", name), name, fund_type, tuple(projects))


# --- the shipped data ---------------------------------------------------------------------------------------------


def test_shipped_copy_is_slim_and_whole():
    assert DATA_FILE.stat().st_size < 1_000_000
    assert len(rows()) == len(load_projects()) == 3800
    assert sum(len(f.projects) for f in default_funds()) == 3800
    assert {"GCF", "AF", "GEF", "LDCF", "SCCF", "CIF-CTF"} <= {f.ref.group for f in default_funds()}
    gcf = next(f for f in default_funds() if f.ref.group == "GCF")
    assert len(gcf.projects) == 1077  # GCF-1, GCF-2 and IRM folded into one fund


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data exists only on dev machines")
def test_shipped_copy_matches_the_shared_source():
    with SHARED.open(encoding="utf-8-sig", newline="") as handle:
        source = list(csv.DictReader(handle))

    def key(row):
        return tuple(" ".join(row[c].split()) for c in ("fund", "iso3", "project_name", "approved_usd_m"))

    assert [key(r) for r in source] == [key(r) for r in rows()]


# --- real data: Chad ----------------------------------------------------------------------------------------------


def test_gcf_and_the_adaptation_fund_rank_for_a_chad_adaptation_project():
    matches = rank_funders(chad(), today_year=YEAR)
    groups = [m.fund.group for m in matches]
    assert len(matches) == 10
    assert {"GCF", "AF", "LDCF"} <= set(groups)
    assert all(0 <= m.score <= 100 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert "Amazon Fund" not in {m.fund.name for m in matches}  # a national fund that never funded Chad


@pytest.mark.parametrize("group", ["GCF", "AF", "LDCF", "GEF"])
def test_the_explanation_numbers_are_a_direct_count_of_the_csv(group):
    mine = [r for r in rows() if r["fund_group"] == group and r["iso3"] == "TCD"]
    adaptation = [r for r in mine if r["theme_objective"] == "Adaptation"]
    counted = adaptation or mine  # the sentence is about the adaptation projects when there are any
    years = sorted(int(r["approved_year"]) for r in counted)
    amounts = [Decimal(r["approved_usd_m"]) for r in counted]
    multi = [r for r in rows() if r["fund_group"] == group and "TCD" in r["countries_iso3"].split(";")]

    match = by_group(rank_funders(chad(), today_year=YEAR, limit=None), group)
    first = match.explanation[0]
    kind = " adaptation" if adaptation else ""
    found = re.match(
        rf"\S.* approved (\d+){kind} projects? in Chad (?:in|since) (\d{{4}}).*?, (?:median )?(USD \S+ m)", first
    )
    assert found, first
    assert int(found.group(1)) == len(counted)
    assert int(found.group(2)) == years[0]
    if len(years) > 1:
        assert f"(latest {years[-1]})" in first
    median = statistics.median(amounts)
    assert abs(money(found.group(3)) - median) <= max(Decimal("0.005"), median / 20)  # as rounded for reading
    if not adaptation:
        assert "none classed Adaptation by CFU" in first
    if multi:
        assert any(f"named in {len(multi)} multi-country" in line for line in match.explanation)


def test_gcf_in_chad_reads_as_six_readiness_grants():
    gcf = by_group(rank_funders(chad(), today_year=YEAR, limit=None), "GCF")
    assert gcf.explanation[0].startswith("GCF approved 6 projects in Chad since 2015 (latest 2024), median USD 0.39 m")
    assert "All 6 GCF approvals in Chad were readiness or preparation grants" in gcf.explanation
    assert gcf.components.country >= TRACK_BASE


def test_a_country_without_cfu_history_is_ranked_on_similar_countries():
    without_chad = build_funds(p for p in load_projects() if "TCD" not in p.countries)
    matches = rank_funders(chad(), funds=without_chad, today_year=YEAR, limit=None)
    af = by_group(matches, "AF")
    peers = [
        r
        for r in rows()
        if r["fund_group"] == "AF"
        and r["iso3"] not in ("", "TCD")
        and r["wb_region"] == "Sub-Saharan Africa"
        and (r["ldc"] == "LDC" or r["fcs"] == "FCAS")
    ]
    assert af.explanation[0].startswith(
        f"No Adaptation Fund project in Chad; {len(peers)} in LDC or FCS countries of Sub-Saharan Africa"
    )
    assert af.components.country <= PEER_TOP < TRACK_BASE
    assert {"GCF", "AF", "LDCF"} <= {m.fund.group for m in matches[:10]}


def test_a_country_unknown_to_cfu_uses_the_flags_and_region_it_is_given():
    profile = ProjectProfile(
        "XAA", {"adaptation"}, is_ldc=True, region="Sub-Saharan Africa", country_name="Atlantis", size_usd=None
    )
    matches = rank_funders(profile, today_year=YEAR, limit=None)
    assert matches
    assert all(m.explanation[0].startswith(f"No {short} project in Atlantis") for m, short in _shorts(matches))
    assert any("in LDCs of Sub-Saharan Africa" in m.explanation[0] for m in matches)
    assert all(m.components.size is None for m in matches)
    assert all("Size not scored: the project has no amount yet" in m.explanation for m in matches)


def _shorts(matches):
    funds = {f.ref: f.short for f in default_funds()}
    return [(m, funds[m.fund]) for m in matches]


def test_mandates_exclude_national_and_ldc_only_funds_where_they_never_worked():
    iraq = ProjectProfile("IRQ", {"adaptation"}, is_fcs=True)
    names = {m.fund.name for m in rank_funders(iraq, today_year=YEAR, limit=None)}
    assert "Least Developed Countries Fund (LDCF)" not in names  # Iraq is not an LDC
    assert "Amazon Fund" not in names
    brazil = {m.fund.name for m in rank_funders(ProjectProfile("BRA", {"mitigation"}), today_year=YEAR, limit=None)}
    assert "Amazon Fund" in brazil


def test_peace_and_migration_earn_a_small_keyword_bonus_and_say_so():
    plain = by_group(rank_funders(chad(), today_year=YEAR, limit=None), "AF")
    nexus = by_group(rank_funders(chad(peace=True, migration=True), today_year=YEAR, limit=None), "AF")
    assert plain.components.bonus == 0
    assert nexus.components.bonus == WEIGHTS["peace_bonus"] + WEIGHTS["migration_bonus"]
    assert nexus.score == min(100.0, round(plain.score + nexus.components.bonus, 1))
    bonus_lines = [line for line in nexus.explanation if line.startswith("+")]
    assert len(bonus_lines) == 2
    assert all("keyword match only" in line for line in bonus_lines)
    gcf = by_group(rank_funders(chad(peace=True), today_year=YEAR, limit=None), "GCF")
    assert gcf.components.bonus == 0
    assert any(line.startswith("No peace bonus") for line in gcf.explanation)


# --- size bands ---------------------------------------------------------------------------------------------------


def sized(*amounts, readiness=()):
    projects = [project(amount_usd_m=Decimal(a)) for a in amounts]
    projects += [project(amount_usd_m=Decimal(a), readiness=True) for a in readiness]
    return fund("Sized Fund", projects)


def size_of(usd, f):
    match = rank_funders(chad(size_usd=Decimal(usd)), funds=[f], today_year=YEAR)[0]
    return match.components.size, next(line for line in match.explanation if line.startswith("Your request"))


def test_size_band_middle_half_usual_range_and_beyond():
    f = sized(*range(1, 12))  # 1..11 m: p10 2, p25 3.5, p75 8.5, p90 10
    assert size_of(5_000_000, f) == (1.0, "Your request (USD 5 m) is within the middle half of Sized Fund projects "
                                          "(USD 3.5 m to USD 8.5 m)")  # fmt: skip
    fit, line = size_of(2_500_000, f)
    assert fit == 0.75 and "usual range" in line
    fit, line = size_of(1_000_000, f)
    assert 0 < fit < 0.75
    assert line == "Your request (USD 1 m) is below the fund's 10th percentile (USD 2 m)"
    fit, line = size_of(200_000_000, f)
    assert fit == 0.0 and line.startswith("Your request (USD 200 m) is above the fund's 90th percentile (USD 10 m")


def test_a_small_request_fits_a_funds_readiness_grants():
    f = sized(*range(10, 21), readiness=[Decimal("0.3"), Decimal("0.5"), Decimal("0.9")])
    fit, line = size_of(400_000, f)
    assert fit == 0.5
    assert "also made 3 readiness or preparation grants (median USD 0.5 m, up to USD 0.9 m)" in line


def test_without_an_amount_the_size_weight_is_left_out():
    f = sized(*range(1, 12))
    match = rank_funders(chad(size_usd=None), funds=[f], today_year=YEAR)[0]
    c = match.components
    assert c.size is None
    expected = (WEIGHTS["country"] * c.country + WEIGHTS["theme"] * c.theme + WEIGHTS["recency"] * c.recency) / (
        WEIGHTS["country"] + WEIGHTS["theme"] + WEIGHTS["recency"]
    )
    assert match.score == round(100 * expected, 1)


def test_usd_formatting():
    assert [usd_m(Decimal(v)) for v in ("0.049", "0.35", "3.54", "3", "10", "1250.4")] == [
        "USD 0.05 m", "USD 0.35 m", "USD 3.5 m", "USD 3 m", "USD 10 m", "USD 1,250 m",
    ]  # fmt: skip


# --- Hub funders --------------------------------------------------------------------------------------------------


def test_hub_funders_merge_into_cfu_funds_or_rank_on_their_own():
    hubs = [
        HubFunder("Green Climate Fund", amounts_by_country={"TCD": Decimal(3_000_000)}, last_year=2025),
        HubFunder("Sida", {"SOM", "UGA"}, {"adaptation", "peace"}, Decimal(4_000_000), last_year=2025),
        HubFunder("Chad Resilience Trust", {"TCD"}, {"adaptation"}, Decimal(5_000_000), last_year=2025),
    ]
    plain = {m.fund: m for m in rank_funders(chad(peace=True), today_year=YEAR, limit=None)}
    matches = rank_funders(chad(peace=True), hub_funders=hubs, today_year=YEAR, limit=None)
    gcf = by_group(matches, "GCF")
    assert gcf.source == "cfu+hub"
    assert "Through the Hub, Green Climate Fund has funded projects in Chad (USD 3 m so far)" in gcf.explanation
    assert not any("judged neutral" in line for line in gcf.explanation)  # unknown Hub data never counts
    assert gcf.score >= plain[gcf.fund].score
    assert [m.fund.name for m in matches if m.fund.group == "Hub"] == ["Chad Resilience Trust", "Sida"]
    sida = next(m for m in matches if m.fund.name == "Sida")
    assert sida.source == "hub" and sida.components.bonus == WEIGHTS["peace_bonus"]
    assert "Through the Hub, Sida has funded projects in Somalia and Uganda, not yet in Chad" in sida.explanation
    trust = next(m for m in matches if m.fund.name == "Chad Resilience Trust")
    assert trust.components.country > sida.components.country
    assert trust.score > sida.score
    others = [m for m in matches if m.source == "cfu"]
    assert all(m.score == plain[m.fund].score for m in others)


def test_a_hub_record_brings_back_a_fund_its_mandate_would_exclude():
    hub = HubFunder("Amazon Fund", {"TCD"}, {"adaptation"}, last_year=2025)
    amazon = next(
        m for m in rank_funders(chad(), hub_funders=[hub], today_year=YEAR, limit=None) if m.fund.name == "Amazon Fund"
    )
    assert amazon.source == "cfu+hub"
    assert amazon.explanation[0].startswith("Amazon Fund is a multi donor national fund that has funded Brazil")


# --- order, validation, properties --------------------------------------------------------------------------------


def test_order_is_deterministic_score_then_name():
    same = [project(amount_usd_m=Decimal(a)) for a in range(1, 12)]
    funds = [
        fund("Beta", same),
        fund("Alpha", same),
        fund("Gamma", [*same, project(iso3="TCD", countries=frozenset({"TCD"}))]),
    ]
    first = rank_funders(chad(), funds=funds, today_year=YEAR)
    assert [m.fund.name for m in first] == ["Gamma", "Alpha", "Beta"]
    assert rank_funders(chad(), funds=funds[::-1], today_year=YEAR) == first
    assert rank_funders(chad(), today_year=YEAR) == rank_funders(chad(), today_year=YEAR)
    assert len(rank_funders(chad(), today_year=YEAR, limit=3)) == 3


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="three capital letters"):
        ProjectProfile("td")
    with pytest.raises(ValueError, match="unknown themes"):
        ProjectProfile("TCD", {"peace"})
    with pytest.raises(ValueError, match="must not be negative"):
        ProjectProfile("TCD", size_usd=Decimal(-1))
    with pytest.raises(ValueError, match="unknown Hub funder themes"):
        HubFunder("X", themes={"health"})
    with pytest.raises(ValueError, match="limit"):
        rank_funders(chad(), limit=-1)


def test_component_weights_make_100_points():
    assert sum(WEIGHTS[name] for name in COMPONENTS) == 100


ISO3 = ["TCD", "NER", "SOM", "IRQ", "XAA"]
REGIONS = ["Sub-Saharan Africa", "Middle East & North Africa"]
TITLES = ["Solar mini-grids", "Peacebuilding and water", "Resilience of displaced persons", "Forest carbon"]

projects_st = st.builds(
    project,
    name=st.sampled_from(TITLES),
    iso3=st.sampled_from([*ISO3, ""]),
    countries=st.frozensets(st.sampled_from(ISO3), max_size=3),
    region=st.sampled_from(REGIONS),
    theme=st.sampled_from(sorted({*THEME_OF_CFU.values(), ""})),
    year=st.none() | st.integers(1995, 2026),
    amount_usd_m=st.none() | st.decimals(Decimal("0.01"), Decimal(500), places=2),
    ldc=st.booleans(),
    sids=st.booleans(),
    fcs=st.booleans(),
    readiness=st.booleans(),
)
funds_st = st.lists(
    st.tuples(st.lists(projects_st, max_size=12), st.sampled_from(["Multilateral", "Multi Donor National"])),
    max_size=6,
).map(lambda specs: [fund(f"Fund {i:02d}", ps, kind) for i, (ps, kind) in enumerate(specs)])
profiles_st = st.builds(
    ProjectProfile,
    country_iso3=st.sampled_from(ISO3),
    themes=st.frozensets(st.sampled_from(sorted(set(THEME_OF_CFU.values())))),
    peace=st.booleans(),
    migration=st.booleans(),
    size_usd=st.none() | st.decimals(Decimal(0), Decimal(10**9), places=0),
    is_ldc=st.booleans(),
    is_sids=st.booleans(),
    is_fcs=st.booleans(),
    region=st.none() | st.sampled_from(REGIONS),
)


@settings(max_examples=150, deadline=None)
@given(profiles_st, funds_st, st.lists(projects_st, max_size=12))
def test_scores_stay_in_range_and_a_new_fund_never_reorders_the_others(profile, funds, extra):
    before = rank_funders(profile, funds=funds, today_year=YEAR, limit=None)
    for m in before:
        assert 0 <= m.score <= 100
        fits = [m.components.country, m.components.theme, m.components.size, m.components.recency]
        assert all(fit is None or 0 <= fit <= 1 for fit in fits)
        assert m.explanation
    newcomer = fund("Fund new", extra)
    after = rank_funders(profile, funds=[*funds, newcomer], today_year=YEAR, limit=None)
    assert [m for m in after if m.fund != newcomer.ref] == before
