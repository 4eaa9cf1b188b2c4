"""Demo data: the Hub's real, sourced facts (`data/hub-facts.csv`), loaded through the services as the system.

Every row is marked `is_demo` and cites one fact: its id, source title, publisher, address and verbatim quote.
Nothing is stated that the facts do not say. Loading is idempotent (rows are looked up by fact id or natural key
first) and `demo_remove` deletes the demo rows again, refusing, without deleting anything, while real rows depend
on them. Audit records are append-only and stay.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any, TypedDict, cast

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from bakuhub.core import audit
from bakuhub.core.errors import Conflict, PreconditionFailed, ValidationFailed
from bakuhub.core.models import Country
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import HubEvent, Initiative, InitiativeParticipant, Membership, Memorandum, Organisation
from bakuhub.partners.services import membership_advance, membership_create, memorandum_create, organisation_create

FACTS_PATH = Path(__file__).resolve().parent / "data" / "hub-facts.csv"

Progress = Callable[[int, int, str], None]
"""Called after each step with (steps done, steps in all, what was just done)."""


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


def _memberships() -> dict[str, tuple[tuple[Stage, str, str], ...]]:
    """iso3 -> ((stage, fact, extra note), ...). A membership is created at the furthest stage a source supports;
    only further sourced steps follow, never an invented intermediate one."""
    # fmt: off
    return {
        "TCD": ((Stage.MEMORANDUM_APPROVED, "BH044", ""),),
        "GNB": ((Stage.MEMORANDUM_APPROVED, "BH045", ""), (Stage.MEMORANDUM_SIGNED, "BH059", "")),
        "SOM": ((Stage.INTENTION_ANNOUNCED, "BH042",
                 "The minister spoke of partnerships set up through the Hub; recorded as an announced intention."),),
        "UGA": ((Stage.INTENTION_ANNOUNCED, "BH008",
                 f"Co-lead of the Baku Call at its launch. Later: {_with_facts('BH043', ())}"),),
        "IRQ": ((Stage.INTENTION_ANNOUNCED, "BH027", "The pilot project for Iraq was announced in Bonn (SB62)."),),
        "GMB": ((Stage.MEMORANDUM_SIGNED, "BH058", "This rests on a single source (Report.az citing a COP29 "
                 "Presidency post on X); see the caveats of hub-facts-README."),),
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


# --- Loading ------------------------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


class _Loader:
    def __init__(self, countries: dict[str, Country]) -> None:
        self.countries = countries
        self.orgs: dict[str, Organisation] = {}
        self.bccap: Initiative | None = None
        self.result = DemoResult()

    def organisation(self, spec: OrgSpec) -> None:
        found = Organisation.objects.filter(name__iexact=spec.name).first()
        if found is None and spec.identifier:
            found = Organisation.objects.filter(iati_identifier=spec.identifier).first()
        if found is not None:
            if not found.is_demo:
                self.result.skipped.append(f"{spec.name}: a real (non-demo) organisation exists; linked as it is")
            self.orgs[spec.key] = found
            return
        fact, country = _fact(spec.fact_id), self.countries.get(spec.country)
        org = organisation_create(
            actor=None, is_demo=True, name=spec.name, acronym=spec.acronym, org_type=spec.org_type,
            iati_identifier=spec.identifier or None, country=country, description=fact.fact,
        )  # fmt: skip
        # organisation_create takes no source fields: cite the fact in a second, audited write.
        for key, value in fact.source().items():
            setattr(org, key, value)
        org.save(update_fields=[*fact.source(), "updated_at"])
        cited = {k: ["", v] for k, v in fact.source().items()}
        audit.record(actor=None, action="organisation.cite", obj=org, changes=cited)
        self.orgs[spec.key] = org
        self.result.add("organisations")

    def initiative(self) -> None:
        self.bccap = Initiative.objects.filter(name=INITIATIVE_NAME).first()
        if self.bccap is not None:
            return
        fact = _fact(INITIATIVE_FACT)
        description = _with_facts(INITIATIVE_FACT, ("BH003", "BH012"))
        self.bccap = Initiative.objects.create(
            name=INITIATIVE_NAME, acronym="BCCAP", launched_on=fact.when[0], description=description, is_demo=True,
            **fact.source(),
        )  # fmt: skip
        audit.record_create(actor=None, obj=self.bccap, fields=["name", "acronym", "launched_on", "fact_id"])
        self.result.add("initiatives")

    def participant(self, iso3: str, role: str, fact_id: str) -> None:
        initiative, country = self.bccap, self.countries[iso3]
        assert initiative is not None, "the initiative step comes first"
        if InitiativeParticipant.objects.filter(initiative=initiative, country=country, role=role).exists():
            return
        fact = _fact(fact_id)
        participant = InitiativeParticipant.objects.create(
            initiative=initiative, country=country, role=role, since=fact.when[0], is_demo=True, **fact.source()
        )
        audit.record_create(actor=None, obj=participant, fields=["initiative", "country", "role", "since", "fact_id"])
        self.result.add("initiative participants")

    def event(self, spec: EventSpec) -> None:
        if HubEvent.objects.filter(fact_id=spec.fact_id, is_demo=True).exists():
            return
        fact = _fact(spec.fact_id)
        (occurred_on, precision), description = fact.when, _with_facts(spec.fact_id, spec.also)
        event = HubEvent.objects.create(
            title=spec.title, occurred_on=occurred_on, date_precision=precision, place=spec.place,
            description=description, is_demo=True, **fact.source(),
        )  # fmt: skip
        event.countries.set([self.countries[iso] for iso in spec.countries])
        event.organisations.set([self.orgs[key] for key in spec.organisations])
        fields = ["title", "occurred_on", "date_precision", "place", "fact_id"]
        audit.record_create(actor=None, obj=event, fields=fields)
        self.result.add("events")

    def memorandum(self, spec: MemoSpec) -> None:
        if Memorandum.objects.filter(fact_id=spec.fact_id, is_demo=True).exists():
            return
        fact = _fact(spec.fact_id)
        day, status = fact.when[0], spec.status
        memorandum_create(
            actor=None, is_demo=True, title=spec.title, status=status, purpose=spec.purpose,
            party_countries=[self.countries[iso] for iso in spec.party_countries],
            establishes_jwg_for=[self.countries[iso] for iso in spec.establishes_jwg_for],
            approved_on=day if status == Memorandum.Status.APPROVED else None,
            signed_on=day if status == Memorandum.Status.SIGNED else None, date_note=spec.date_note, **fact.source(),
        )  # fmt: skip
        self.result.add("memoranda")

    def membership(self, iso3: str, steps: tuple[tuple[Stage, str, str], ...]) -> None:
        country = self.countries[iso3]
        membership = Membership.objects.filter(country=country).first()
        if membership is None:
            stage, fact_id, extra = steps[0]
            fact = _fact(fact_id)
            (occurred_on, precision), note = fact.when, f"{fact.fact} {extra}".strip()
            membership = membership_create(
                actor=None, country=country, stage=stage, occurred_on=occurred_on, date_precision=precision,
                note=note, is_demo=True, **fact.source(),
            )  # fmt: skip
            self.result.add("memberships")
        elif not membership.is_demo:
            self.result.skipped.append(f"{country.name_en}: a real (non-demo) membership exists; left as it is")
            return
        recorded = set(membership.events.values_list("fact_id", flat=True))
        for stage, fact_id, extra in steps[1:]:
            if fact_id in recorded:
                continue
            fact = _fact(fact_id)
            (occurred_on, precision), note = fact.when, f"{fact.fact} {extra}".strip()
            try:
                membership_advance(
                    actor=None, membership=membership, to_stage=stage, occurred_on=occurred_on,
                    date_precision=precision, note=note, is_demo=True, **fact.source(),
                )  # fmt: skip
            except ValidationFailed as error:  # e.g. someone moved the demo membership on by hand
                self.result.skipped.append(f"{country.name_en}: step {fact_id} not recorded: {error.message}")
                continue
            self.result.add("membership steps")


def demo_load(*, progress: Progress | None = None) -> DemoResult:
    """Load the demo facts as the system (`actor=None`); rows already there are left alone."""
    codes = demo_countries()
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=codes)}
    missing = sorted(codes - set(countries))
    if missing:
        raise PreconditionFailed(
            f"The demo needs countries that are not in the database ({', '.join(missing)}): "
            "run `bakuhub load_reference` first."
        )
    loader = _Loader(countries)
    steps: list[tuple[str, Callable[[], None]]] = [
        *((f"organisation {spec.key}", partial(loader.organisation, spec)) for spec in ORGANISATIONS),
        ("initiative BCCAP", loader.initiative),
        *((f"participant {iso}", partial(loader.participant, iso, role, f)) for iso, role, f in PARTICIPANTS),
        *((f"event {spec.fact_id}", partial(loader.event, spec)) for spec in EVENTS),
        *((f"memorandum {m.fact_id}", partial(loader.memorandum, m)) for m in _memoranda()),
        *((f"membership {iso}", partial(loader.membership, iso, st)) for iso, st in _memberships().items()),
    ]
    with transaction.atomic():
        for done, (label, step) in enumerate(steps, start=1):
            step()
            if progress is not None:
                progress(done, len(steps), label)
    return loader.result


# --- Removal ------------------------------------------------------------------------------------------------------


class DemoRemovalBlocked(Conflict):
    code = "demo_removal_blocked"


def _has_demo_flag(model: type[models.Model]) -> bool:
    return any(f.name == "is_demo" for f in model._meta.concrete_fields)


def _blocking(obj: models.Model) -> list[models.Model]:
    """The real (non-demo) rows that deleting or changing `obj` would touch."""
    model = type(obj)
    if _has_demo_flag(model):
        return [] if getattr(obj, "is_demo", False) else [obj]
    owner_model = model._meta.auto_created
    if owner_model:  # a many-to-many link belongs to the row that declares the field (an event, a memorandum)
        owner_field = next(f for f in model._meta.concrete_fields if f.related_model is cast(Any, owner_model))
        owner = getattr(obj, owner_field.name)
        return [] if getattr(owner, "is_demo", False) else [owner]
    return [obj]


def _refusal(rows: Iterable[models.Model]) -> str:
    names = sorted({f"{row._meta.label} #{row.pk} ({str(row)[:80]})" for row in rows})
    shown = "; ".join(names[:20]) + (f"; and {len(names) - 20} more" if len(names) > 20 else "")
    return (
        f"The demo cannot be removed: these real (non-demo) rows use demo rows: {shown}. "
        "Remove them or link them elsewhere first; nothing was deleted."
    )


def _delete_demo_rows(demo_models: list[type[models.Model]]) -> int:
    collector = Collector(using=router.db_for_write(Organisation))
    try:
        for model in demo_models:
            collector.collect(model._default_manager.filter(is_demo=True))
    except ProtectedError as error:
        raise DemoRemovalBlocked(_refusal(error.protected_objects)) from None
    except RestrictedError as error:
        raise DemoRemovalBlocked(_refusal(error.restricted_objects)) from None
    touched: list[Any] = [obj for instances in collector.data.values() for obj in instances]
    touched += [obj for qs in collector.fast_deletes for obj in qs]
    updates: Iterable[Iterable[Any]] = cast(Any, collector.field_updates).values()  # SET_NULL and the like
    touched += [obj for batches in updates for objs in batches for obj in objs]
    blockers = [row for obj in touched for row in _blocking(obj)]
    if blockers:
        raise DemoRemovalBlocked(_refusal(blockers))
    for obj in touched:  # the audit trail keeps a line for each demo row it can name (links are not listed)
        if _has_demo_flag(type(obj)):
            audit.record(
                actor=None, action=f"{obj._meta.model_name}.delete", obj=obj, changes={"is_demo": [True, None]}
            )
    _, per_model = collector.delete()
    labels = {m._meta.label for m in demo_models}
    return sum(n for label, n in per_model.items() if label in labels)


def demo_remove() -> int:
    """Delete every demo row of the partners app; refuse, deleting nothing, while real rows depend on them."""
    demo_models = [m for m in apps.get_app_config("partners").get_models() if _has_demo_flag(m)]
    with transaction.atomic():
        # Organisations last: demo participants PROTECT them until they are gone.
        deleted = _delete_demo_rows([m for m in demo_models if m is not Organisation])
        deleted += _delete_demo_rows([Organisation])
    return deleted
