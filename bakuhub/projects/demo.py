"""Demo projects: the pilot and urgent projects that the Hub's sourced facts (`partners/data/hub-facts.csv`) report,
with what those facts say and nothing more.

- The climate-and-peace pilot projects announced in Bonn at SB62 (June 2025) for Chad, Iraq and Guinea-Bissau
  (BH026-BH028) and presented in Addis Ababa (BH034, BH035).
- Guinea-Bissau's "Baku Hub project in Djobel and Arame" (BH053).
- The pilot projects launched at COP30 by memoranda of understanding with Guinea-Bissau (BH059) and The Gambia
  (BH058; loaded only when The Gambia is in the reference data).
- The urgent projects that the environment ministers of Chad, Guinea-Bissau, Somalia and Uganda spoke about at the
  UNGA80 event (BH040-BH043): one concept-phase record per country.

Phases. The system may create a project in any phase, but "approved" and later need a complete do-no-harm
screening, DAC sectors and a nexus profile (`approval_problems`). No public source gives a screening or sectors, so
no demo project is recorded as approved or implementing, although the sources say pilots "had begun" (BH034,
BH060): the announced pilots stay in appraisal and the urgent projects in concept, and each description says why.

Nexus profile. Only BH026-BH028 describe a project's field ("climate and peace"): those three pilots are scored
climate 1 and peace 1 (significant, not principal: their content is not public) and migration 0 (no source
describes migration content; IOM co-organising Hub events, BH036/BH056, is not project content). The other projects'
facts describe no content, so their nexus profile is left unassessed. No sectors, policy markers, humanitarian flag,
dates, partners, locations or money are recorded: the sources give none. A location needs an admin-1 unit and the
sources name none (Djobel and Arame are named, their region is not), so every demo project has no location.

Identifiers. The Hub has no IATI organisation identifier yet (domain guide section 6: XI-IATI or an Azerbaijani
register, an open decision), and no lead organisation is named by the sources. The demo uses the clearly provisional
prefix `XI-IATI-BAKUHUB-DEMO`: it has the form `project_create` accepts without a lead organisation, but IATI has
not assigned it and it must not be published; replace it once the Hub's identifier is decided.

Everything goes through the services as the system (`actor=None`), marked `is_demo`, citing one fact. Loading is
idempotent (a project is looked up by its identifier); `demo_remove` deletes the demo projects, refusing, without
deleting anything, while real rows depend on them (a budget, a transaction, a result, a participant, a sector, a
screening, a location or a document that someone added to a demo project).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypedDict

from django.db import transaction

from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import Country
from bakuhub.partners.demo import DemoResult, Progress, delete_demo_rows
from bakuhub.partners.demo_facts import Fact, load_facts
from bakuhub.working_groups.models import WorkingGroup

from .models import Project
from .services import project_create, project_nexus_set, project_update

IDENTIFIER_PREFIX = "XI-IATI-BAKUHUB-DEMO"  # provisional: see the module docstring
Phase = Project.Phase

NOT_PUBLIC = (
    "Not in public sources: the project's content, locations, budget, implementing partners and dates. No amount of "
    "money for the Hub or its pilots was found in public sources, so none is recorded."
)
NOT_ASSESSED = "The nexus profile is not assessed: no public source describes what this project does."
NO_LOCATION = "No public source names a place for this project, so no location is recorded."
PROVISIONAL_ID = (
    "The identifier is provisional demo data: the Hub has no IATI organisation identifier yet, and IATI has not "
    "assigned the XI-IATI-BAKUHUB prefix."
)
PHASE_NOTES: dict[str, str] = {
    Phase.APPRAISAL: (
        "Recorded in appraisal, not as approved or implementing, even where sources say pilot projects had begun: the "
        "Hub records a project as approved only after a completed do-no-harm screening, DAC sectors and a nexus "
        "profile, and no public source gives the screening or the sectors."
    ),
    Phase.CONCEPT: (
        "Recorded as a concept: the sources report only that the minister spoke about partnerships for urgent "
        "projects; what the projects are is not public."
    ),
}


@dataclass(frozen=True)
class ProjectSpec:
    local_id: str  # identifier = f"{IDENTIFIER_PREFIX}-{iso3}-{local_id}"
    iso3: str
    fact_id: str  # the fact the project cites
    title: str
    phase: str
    also: tuple[str, ...] = ()  # further facts quoted in the description
    climate_and_peace: bool = False  # the cited fact says the project is in the field of climate and peace
    link_working_group: bool = False  # link the country's Joint Working Group (TCD-JWG, GNB-JWG) when it exists
    notes: tuple[str, ...] = ()
    optional: bool = False  # skipped, with a note, when the country is not in the reference data

    @property
    def identifier(self) -> str:
        return f"{IDENTIFIER_PREFIX}-{self.iso3}-{self.local_id}"


_BONN = ("BH034", "BH035")
_SAME_OR_NOT = "The sources do not say whether this is the pilot project announced in Bonn (BH028)."
_URGENT = "Urgent projects reported by {}'s environment minister at UNGA80"
_COP30 = "Pilot projects launched with {}'s environment ministry (memorandum of understanding, COP30)"

# fmt: off
PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec("PILOT", "TCD", "BH026", "Climate-and-peace pilot project in Chad (announced at SB62, Bonn)",
                Phase.APPRAISAL, _BONN, climate_and_peace=True, link_working_group=True),
    ProjectSpec("PILOT", "IRQ", "BH027", "Climate-and-peace pilot project in Iraq (announced at SB62, Bonn)",
                Phase.APPRAISAL, _BONN, climate_and_peace=True,
                notes=("No public source mentions a Joint Working Group with Iraq.",)),
    ProjectSpec("PILOT", "GNB", "BH028", "Climate-and-peace pilot project in Guinea-Bissau (announced at SB62, Bonn)",
                Phase.APPRAISAL, _BONN, climate_and_peace=True, link_working_group=True),
    ProjectSpec("DJOBEL-ARAME", "GNB", "BH053", "Baku Hub project in Djobel and Arame, Guinea-Bissau",
                Phase.APPRAISAL, link_working_group=True, notes=(
                    "The source is undated. It names the places Djobel and Arame but not their region, so no "
                    "admin-1 location is recorded. " + _SAME_OR_NOT,
                )),
    ProjectSpec("COP30-MOU", "GNB", "BH059", _COP30.format("Guinea-Bissau"), Phase.APPRAISAL, ("BH060",),
                link_working_group=True, notes=(_SAME_OR_NOT[:-1] + " or the Djobel and Arame project (BH053).",)),
    ProjectSpec("COP30-MOU", "GMB", "BH058", _COP30.format("The Gambia"), Phase.APPRAISAL, ("BH060",), optional=True,
                notes=("This rests on a single source (Report.az citing a COP29 Presidency post on X).",)),
    ProjectSpec("URGENT", "TCD", "BH040", _URGENT.format("Chad"), Phase.CONCEPT),
    ProjectSpec("URGENT", "GNB", "BH041", _URGENT.format("Guinea-Bissau"), Phase.CONCEPT),
    ProjectSpec("URGENT", "SOM", "BH042", _URGENT.format("Somalia"), Phase.CONCEPT),
    ProjectSpec("URGENT", "UGA", "BH043", _URGENT.format("Uganda"), Phase.CONCEPT),
)
# fmt: on


def _said(fact: Fact) -> str:
    """One fact: its sentence, then the source's own words."""
    return f'{fact.fact} ({fact.fact_id}; {fact.source_publisher}: "{fact.quote}")'


def description(spec: ProjectSpec) -> str:
    """Plain text: what the facts say, why the phase, what is not public."""
    facts = load_facts()
    said = " ".join(_said(facts[fact_id]) for fact_id in (spec.fact_id, *spec.also))
    paragraphs = [f"What public sources say: {said}", *spec.notes, PHASE_NOTES[spec.phase], NOT_PUBLIC]
    if not spec.climate_and_peace:
        paragraphs.append(NOT_ASSESSED)
    if not any("location" in note for note in spec.notes):
        paragraphs.append(NO_LOCATION)
    paragraphs.append(PROVISIONAL_ID)
    return "\n\n".join(paragraphs)


def _quote_of(fact: Fact) -> str:
    return f'{fact.source_publisher} ({fact.fact_id}): "{fact.quote}"'


class Justifications(TypedDict):
    climate_justification: str
    peace_justification: str
    migration_justification: str


def nexus_justifications(spec: ProjectSpec) -> Justifications:
    fact = load_facts()[spec.fact_id]
    significant = (
        "Significant (1), not principal: the sources say the pilot is in the field of climate and peace but do not "
        f"describe its content. {_quote_of(fact)}"
    )
    return {
        "climate_justification": significant,
        "peace_justification": significant,
        "migration_justification": (
            "Not targeted (0): no public source describes migration or displacement content for this project. IOM "
            "co-organised Hub events (BH036, BH056); that is not project content."
        ),
    }


def demo_countries() -> set[str]:
    """The ISO3 codes the demo projects need (The Gambia is optional)."""
    return {spec.iso3 for spec in PROJECTS if not spec.optional}


class _Loader:
    def __init__(self, countries: dict[str, Country]) -> None:
        self.countries = countries
        self.result = DemoResult()

    def _working_group(self, spec: ProjectSpec) -> WorkingGroup | None:
        if not spec.link_working_group:
            return None
        country = self.countries[spec.iso3]
        return WorkingGroup.objects.filter(country=country, code=f"{spec.iso3}-JWG").first()

    def project(self, spec: ProjectSpec) -> None:
        country = self.countries.get(spec.iso3)
        if country is None:  # only an optional one can be missing (checked in demo_load)
            self.result.skipped.append(f"project {spec.identifier}: {spec.iso3} is not in the reference data")
            return
        found = Project.objects.filter(identifier=spec.identifier).first()
        if found is not None:
            if not found.is_demo:
                self.result.skipped.append(f"project {spec.identifier}: a real (non-demo) project has it; left alone")
            elif found.working_group is None and (group := self._working_group(spec)) is not None:
                project_update(actor=None, project=found, working_group=group)  # the group was removed and reloaded
                self.result.add("project links")
            return
        fact = load_facts()[spec.fact_id]
        project = project_create(
            actor=None, country=country, identifier=spec.identifier, titles={"en": spec.title},
            descriptions={"en": description(spec)}, phase=spec.phase, working_group=self._working_group(spec),
            is_demo=True, **fact.source(),
        )  # fmt: skip
        if spec.climate_and_peace:
            project_nexus_set(
                actor=None, project=project, climate=Project.Score.SIGNIFICANT, peace=Project.Score.SIGNIFICANT,
                migration=Project.Score.NONE, method="manual", **nexus_justifications(spec),
            )  # fmt: skip
        self.result.add("projects")


def demo_load(*, progress: Progress | None = None) -> DemoResult:
    """Load the sourced projects as the system (`actor=None`); projects already there are left alone. Runs after the
    working groups demo, whose Chad and Guinea-Bissau groups the pilots link (when they are there)."""
    wanted = {spec.iso3 for spec in PROJECTS}
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=wanted)}
    missing = sorted(demo_countries() - set(countries))
    if missing:
        raise PreconditionFailed(
            f"The demo projects need countries that are not in the database ({', '.join(missing)}): "
            "run `bakuhub load_reference` first."
        )
    loader = _Loader(countries)
    steps: list[tuple[str, Callable[[], None]]] = [
        (f"project {spec.iso3} {spec.local_id}", partial(loader.project, spec)) for spec in PROJECTS
    ]
    with transaction.atomic():
        for done, (label, step) in enumerate(steps, start=1):
            step()
            if progress is not None:
                progress(done, len(steps), label)
    return loader.result


def demo_remove() -> int:
    """Delete the demo projects (with their many-to-many links); refuse, deleting nothing, while real rows depend on
    them. The demo creates no participants, sectors, markers, screenings, locations, documents, budgets,
    transactions or results, so any such row on a demo project is someone's work and blocks the removal. Runs before
    the working groups, commitments and partners removals."""
    with transaction.atomic():
        return delete_demo_rows([Project])
