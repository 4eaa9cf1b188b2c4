from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bakuhub.core.codelists import organisation_identifier_problem
from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import AuditRecord, Country
from bakuhub.partners.demo import DemoRemovalBlocked, demo_load, demo_remove
from bakuhub.partners.demo_facts import FACTS_PATH
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import (
    HubEvent,
    Initiative,
    InitiativeParticipant,
    Membership,
    MembershipEvent,
    MembershipMilestone,
    Memorandum,
    Organisation,
)
from bakuhub.partners.selectors import membership_milestones

COUNTRIES = {
    "TCD": ("TD", "148", "Chad"),
    "GNB": ("GW", "624", "Guinea-Bissau"),
    "SOM": ("SO", "706", "Somalia"),
    "UGA": ("UG", "800", "Uganda"),
    "IRQ": ("IQ", "368", "Iraq"),
    "GMB": ("GM", "270", "Gambia"),
    "EGY": ("EG", "818", "Egypt"),
    "ITA": ("IT", "380", "Italy"),
    "DEU": ("DE", "276", "Germany"),
    "ARE": ("AE", "784", "United Arab Emirates"),
    "GBR": ("GB", "826", "United Kingdom"),
    "AZE": ("AZ", "031", "Azerbaijan"),
}
SOURCED_MODELS = (Organisation, Initiative, InitiativeParticipant, HubEvent, Memorandum, MembershipMilestone)
ALL_MODELS = (*SOURCED_MODELS, Membership, MembershipEvent)
SHARED_SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "hub-facts.csv"


def make_countries() -> dict[str, Country]:
    return {
        iso3: Country.objects.get_or_create(iso3=iso3, defaults={"iso2": iso2, "numeric": num, "name_en": name})[0]
        for iso3, (iso2, num, name) in COUNTRIES.items()
    }


def read_facts() -> dict[str, dict[str, str]]:
    with FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: row for row in csv.DictReader(handle)}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def milestones(iso3: str) -> list[tuple[str, dt.date, str, str, str]]:
    rows = MembershipMilestone.objects.filter(membership__country__iso3=iso3).order_by("reached_on", "id")
    return [(m.milestone, m.reached_on, m.date_precision, m.fact_id, m.inferred_from) for m in rows]


@pytest.mark.django_db
def test_it_loads_the_five_countries_at_their_sourced_stages():
    make_countries()
    result = demo_load()

    stages = {m.country.iso3: (m.stage, m.stage_since, m.is_demo) for m in Membership.objects.all()}
    assert stages == {
        "TCD": ("pilot_underway", dt.date(2025, 6, 1), True),
        "GNB": ("pilot_underway", dt.date(2025, 6, 1), True),
        "SOM": ("intention_announced", dt.date(2025, 9, 1), True),
        "UGA": ("intention_announced", dt.date(2025, 9, 1), True),
        "IRQ": ("pilot_underway", dt.date(2025, 6, 1), True),
        "GMB": ("memorandum_signed", dt.date(2025, 11, 12), True),
    }
    assert milestones("TCD") == [
        ("pilot_underway", dt.date(2025, 6, 1), "month", "BH026", ""),
        ("memorandum_approved", dt.date(2025, 9, 1), "month", "BH044", ""),
    ]
    assert milestones("GNB") == [
        ("pilot_underway", dt.date(2025, 6, 1), "month", "BH028", ""),
        ("memorandum_approved", dt.date(2025, 9, 1), "month", "BH045", ""),
        ("memorandum_signed", dt.date(2025, 11, 12), "day", "BH059", ""),
    ]
    assert milestones("IRQ") == [("pilot_underway", dt.date(2025, 6, 1), "month", "BH027", "")]
    assert milestones("SOM") == [("intention_announced", dt.date(2025, 9, 1), "month", "BH042", "BH042")]
    assert milestones("UGA") == [("intention_announced", dt.date(2025, 9, 1), "month", "BH043", "BH043")]
    assert not MembershipMilestone.objects.filter(fact_id="BH008").exists(), "co-leading the Baku Call is not joining"
    gmb_signed = MembershipMilestone.objects.get(membership__country__iso3="GMB")
    assert gmb_signed.note.startswith("Recorded with the signed memorandum"), "the memorandum records its milestone"
    assert "Single source" in Memorandum.objects.get(fact_id="BH058").purpose
    assert not MembershipEvent.objects.exists(), "every demo step is a milestone"
    assert result.created == {
        "organisations": 8,
        "initiatives": 1,
        "initiative participants": 7,
        "events": 7,
        "memoranda": 3,
        "memberships": 4,  # Guinea-Bissau's and The Gambia's come with their signed memoranda
        "membership milestones": 3,
    }

    orgs = {o.acronym or o.name: (o.org_type, o.iati_identifier) for o in Organisation.objects.all()}
    assert orgs["IOM"] == ("40", "XM-DAC-47066")
    assert orgs["AICS"] == ("10", "XM-DAC-6-4")
    assert orgs["GCF"] == ("40", None) and orgs["IsDB"] == ("40", None) and orgs["AfDB"] == ("40", None)
    assert all(organisation_identifier_problem(i) is None for _, i in orgs.values() if i)

    bccap = Initiative.objects.get(acronym="BCCAP")
    assert bccap.launched_on == dt.date(2024, 11, 15) and bccap.fact_id == "BH001"
    roles = set(bccap.participants.values_list("country__iso3", "role"))
    assert roles == {("AZE", "host")} | {(iso, "co_lead") for iso in ("EGY", "ITA", "DEU", "UGA", "ARE", "GBR")}

    jwg = Memorandum.objects.get(fact_id="BH044")
    assert (jwg.status, jwg.approved_on, jwg.signed_on) == ("approved", dt.date(2025, 9, 1), None)
    assert {c.iso3 for c in jwg.establishes_jwg_for.all()} == {"TCD", "GNB"}
    assert {c.iso3 for c in jwg.party_countries.all()} == {"TCD", "GNB"}
    assert "no source gives the day" in jwg.date_note
    gambia = Memorandum.objects.get(fact_id="BH058")
    assert (gambia.status, gambia.signed_on, gambia.approved_on) == ("signed", dt.date(2025, 11, 12), None)

    dated = {e.fact_id: (e.occurred_on, e.date_precision) for e in HubEvent.objects.all()}
    assert dated["BH023"] == (dt.date(2025, 6, 1), "month")
    assert dated["BH054"] == (dt.date(2025, 11, 12), "day")
    assert "BH018" not in dated
    cop30 = HubEvent.objects.get(fact_id="BH054")
    assert {o.acronym for o in cop30.organisations.all()} >= {"GCF", "IOM"}


@pytest.mark.django_db
def test_every_demo_row_cites_a_fact_in_hub_facts():
    make_countries()
    demo_load()
    facts = read_facts()
    checked = 0
    for model in SOURCED_MODELS:
        rows = list(model.objects.all())
        assert rows, model.__name__
        for row in rows:
            assert row.is_demo, row
            fact = facts.get(row.fact_id)
            assert fact is not None, f"{model.__name__} {row}: {row.fact_id!r} is not in hub-facts.csv"
            assert row.source_quote == fact["quote"]
            assert (row.source_title, row.source_publisher, row.source_url) == (
                fact["source_title"],
                fact["source_publisher"],
                fact["source_url"],
            )
            checked += 1
    assert checked > 30
    assert all(m.is_demo for m in Membership.objects.all())


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seed folder is not on this machine")
def test_the_packaged_facts_are_a_copy_of_the_shared_seed():
    assert FACTS_PATH.read_bytes() == SHARED_SEED.read_bytes()


@pytest.mark.django_db
def test_it_is_idempotent():
    make_countries()
    first = demo_load()
    before, audits = counts(), AuditRecord.objects.count()
    second = demo_load()
    assert first.total > 0
    assert second.total == 0 and second.created == {}
    assert counts() == before
    assert AuditRecord.objects.count() == audits
    assert len(milestones("GNB")) == 3


@pytest.mark.django_db
def test_it_removes_only_demo_rows():
    countries = make_countries()
    real_org = Organisation.objects.create(name="Norwegian Refugee Council", slug="nrc", org_type="21")
    real_gcf = Organisation.objects.create(name="Green Climate Fund", slug="gcf", org_type="40")
    real_event = HubEvent.objects.create(title="A real meeting", occurred_on=dt.date(2026, 1, 5))
    real_event.countries.add(countries["TCD"])
    real_membership = Membership.objects.create(
        country=countries["EGY"], stage="interested", stage_since=dt.date(2026, 1, 5)
    )
    loaded = demo_load()
    assert loaded.created["organisations"] == 7  # the real GCF row is linked, not duplicated
    assert any("Green Climate Fund" in note for note in loaded.skipped)
    assert real_gcf in HubEvent.objects.get(fact_id="BH054").organisations.all()
    audits = AuditRecord.objects.count()

    deleted = demo_remove()

    assert deleted > 30
    for model in ALL_MODELS:
        assert not model.objects.filter(is_demo=True).exists(), model.__name__
    assert list(Organisation.objects.all()) == [real_gcf, real_org]
    assert not real_gcf.is_demo and real_gcf.fact_id == ""
    assert list(HubEvent.objects.all()) == [real_event]
    assert list(real_event.countries.all()) == [countries["TCD"]]
    assert list(Membership.objects.all()) == [real_membership]
    assert Country.objects.count() == len(COUNTRIES)
    assert AuditRecord.objects.count() == audits + deleted  # append-only: kept, and each removal recorded
    assert AuditRecord.objects.filter(action="membership.delete", actor_label="system").count() == 6
    assert demo_remove() == 0
    assert demo_load().total > 0  # and it loads again afterwards


@pytest.mark.django_db
def test_removal_refuses_while_real_rows_use_demo_rows():
    countries = make_countries()
    demo_load()
    iom = Organisation.objects.get(acronym="IOM")
    real_event = HubEvent.objects.create(title="Real follow-up with IOM", occurred_on=dt.date(2026, 2, 1))
    real_event.organisations.add(iom)
    bccap = Initiative.objects.get(acronym="BCCAP")
    real_partner = InitiativeParticipant.objects.create(initiative=bccap, organisation=iom, role="partner")
    before = counts()

    with pytest.raises(DemoRemovalBlocked) as refusal:
        demo_remove()
    assert f"#{real_partner.pk}" in refusal.value.message
    assert counts() == before  # nothing was deleted

    real_partner.delete()
    with pytest.raises(DemoRemovalBlocked) as refusal:
        demo_remove()
    assert "Real follow-up with IOM" in refusal.value.message
    assert counts() == {**before, "InitiativeParticipant": before["InitiativeParticipant"] - 1}

    real_event.organisations.clear()
    assert demo_remove() > 0
    assert list(HubEvent.objects.all()) == [real_event]
    assert countries["TCD"].pk


@pytest.mark.django_db
def test_it_refuses_without_reference_data():
    with pytest.raises(PreconditionFailed, match="load_reference"):
        demo_load()
    with pytest.raises(CommandError, match="run `bakuhub load_reference` first"):
        call_command("load_demo", verbosity=0)
    assert all(n == 0 for n in counts().values())


@pytest.mark.django_db
def test_guinea_bissau_shows_its_joint_working_group_before_its_signed_memorandum():
    from bakuhub.working_groups.demo import demo_load as groups_load

    make_countries()
    demo_load()
    groups_load()  # setting up the groups (BH046, BH047) records their milestones
    gnb = Membership.objects.get(country__iso3="GNB")
    rows = {m.milestone: m for m in membership_milestones(membership=gnb)}
    assert rows["jwg_established"].before == [Stage.MEMORANDUM_SIGNED]
    assert rows["pilot_underway"].before == [
        Stage.MEMORANDUM_APPROVED,
        Stage.MEMORANDUM_SIGNED,
        Stage.JWG_ESTABLISHED,
    ]
    signed = MembershipMilestone.objects.get(fact_id="BH059")
    assert signed.actor is None and signed.is_demo and signed.source_url.startswith("https://report.az/")
    jwg = MembershipMilestone.objects.get(fact_id="BH047")
    assert jwg.source_url == "https://www.trend.az/azerbaijan/politics/4095019.html" and not jwg.inferred_from


@pytest.mark.django_db
def test_the_command_loads_and_removes(capsys):
    make_countries()
    call_command("load_demo")
    assert "Loaded the demo" in capsys.readouterr().out
    call_command("load_demo")
    assert "nothing new" in capsys.readouterr().out
    call_command("load_demo", "--remove")
    assert "Removed" in capsys.readouterr().out
    assert not Membership.objects.exists()
