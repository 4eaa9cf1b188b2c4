"""Demo data: the Hub's real, sourced facts (`data/hub-facts.csv`), loaded through the services as the system.

Every row is marked `is_demo` and cites one fact: its id, source title, publisher, address and verbatim quote.
Nothing is stated that the facts do not say. Loading is idempotent (rows are looked up by fact id or natural key
first) and `demo_remove` deletes the demo rows again, refusing, without deleting anything, while real rows depend
on them. Audit records are append-only and stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from bakuhub.core import audit
from bakuhub.core.errors import Conflict, DomainError, PreconditionFailed
from bakuhub.core.models import Country
from bakuhub.partners.models import HubEvent, Initiative, InitiativeParticipant, Membership, Memorandum, Organisation
from bakuhub.partners.services import (
    membership_create,
    membership_milestone_record,
    memorandum_create,
    organisation_create,
)

from .demo_facts import (
    EVENTS,
    INITIATIVE_FACT,
    INITIATIVE_NAME,
    ORGANISATIONS,
    PARTICIPANTS,
    EventSpec,
    MemoSpec,
    MilestoneSpec,
    OrgSpec,
    _fact,
    _memberships,
    _memoranda,
    _with_facts,
    demo_countries,
)

Progress = Callable[[int, int, str], None]
"""Called after each step with (steps done, steps in all, what was just done)."""


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
            iati_identifier=spec.identifier or None, country=country, description=fact.fact, **fact.source(),
        )  # fmt: skip
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

    def membership(self, iso3: str, milestones: tuple[MilestoneSpec, ...]) -> None:
        country = self.countries[iso3]
        membership = Membership.objects.filter(country=country).first()
        if membership is None:
            first = milestones[0]
            fact = _fact(first.fact_id)
            (occurred_on, precision), note = fact.when, f"{fact.fact} {first.note}".strip()
            membership = membership_create(
                actor=None, country=country, stage=first.milestone, occurred_on=occurred_on, date_precision=precision,
                note=note, inferred_from=first.fact_id if first.inferred else "", is_demo=True, **fact.source(),
            )  # fmt: skip
            self.result.add("memberships")
        elif not membership.is_demo:
            self.result.skipped.append(f"{country.name_en}: a real (non-demo) membership exists; left as it is")
            return
        recorded = dict(membership.milestones.values_list("milestone", "fact_id"))
        for spec in milestones:
            if spec.milestone in recorded:
                if recorded[spec.milestone] != spec.fact_id:
                    self.result.skipped.append(
                        f"{country.name_en}: {spec.milestone.value} already recorded from another source; "
                        f"{spec.fact_id} not added"
                    )
                continue
            fact = _fact(spec.fact_id)
            (occurred_on, precision), note = fact.when, f"{fact.fact} {spec.note}".strip()
            try:
                membership_milestone_record(
                    actor=None, membership=membership, milestone=spec.milestone, reached_on=occurred_on,
                    date_precision=precision, note=note, inferred_from=spec.fact_id if spec.inferred else "",
                    is_demo=True, **fact.source(),
                )  # fmt: skip
            except DomainError as error:
                self.result.skipped.append(f"{country.name_en}: {spec.fact_id} not recorded: {error.message}")
                continue
            self.result.add("membership milestones")


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
        # Memoranda first: a memorandum milestone needs its memorandum on record (a signed one records its own
        # milestone, citing the same fact, so the membership's facts then leave it as it is).
        *((f"memorandum {m.fact_id}", partial(loader.memorandum, m)) for m in _memoranda()),
        *((f"membership {iso}", partial(loader.membership, iso, ms)) for iso, ms in _memberships().items()),
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


def has_demo_flag(model: type[models.Model]) -> bool:
    return any(f.name == "is_demo" for f in model._meta.concrete_fields)


def _blocking(obj: models.Model) -> list[models.Model]:
    """The real (non-demo) rows that deleting or changing `obj` would touch."""
    model = type(obj)
    if has_demo_flag(model):
        return [] if getattr(obj, "is_demo", False) else [obj]
    owner_model = model._meta.auto_created
    if owner_model:  # a many-to-many link belongs to the row that declares the field (an event, a memorandum)
        owner_field = next(f for f in model._meta.concrete_fields if f.related_model is cast(Any, owner_model))
        owner = getattr(obj, owner_field.name)
        return [] if getattr(owner, "is_demo", False) else [owner]
    return [obj]


def refusal_message(rows: Iterable[models.Model]) -> str:
    names = sorted({f"{row._meta.label} #{row.pk} ({str(row)[:80]})" for row in rows})
    shown = "; ".join(names[:20]) + (f"; and {len(names) - 20} more" if len(names) > 20 else "")
    return (
        f"The demo cannot be removed: these real (non-demo) rows use demo rows: {shown}. "
        "Remove them or link them elsewhere first; nothing was deleted."
    )


def delete_demo_rows(demo_models: list[type[models.Model]]) -> int:
    collector = Collector(using=router.db_for_write(Organisation))
    try:
        for model in demo_models:
            collector.collect(model._default_manager.filter(is_demo=True))
    except ProtectedError as error:
        raise DemoRemovalBlocked(refusal_message(error.protected_objects)) from None
    except RestrictedError as error:
        raise DemoRemovalBlocked(refusal_message(error.restricted_objects)) from None
    touched: list[Any] = [obj for instances in collector.data.values() for obj in instances]
    touched += [obj for qs in collector.fast_deletes for obj in qs]
    updates: Iterable[Iterable[Any]] = cast(Any, collector.field_updates).values()  # SET_NULL and the like
    touched += [obj for batches in updates for objs in batches for obj in objs]
    blockers = [row for obj in touched for row in _blocking(obj)]
    if blockers:
        raise DemoRemovalBlocked(refusal_message(blockers))
    removed = {(obj._meta.label, obj.pk): obj for obj in touched if has_demo_flag(type(obj))}
    for obj in removed.values():  # the audit trail keeps a line for each demo row (links are not listed)
        audit.record(actor=None, action=f"{obj._meta.model_name}.delete", obj=obj, changes={"is_demo": [True, None]})
    _, per_model = collector.delete()
    labels = {m._meta.label for m in demo_models}
    return sum(n for label, n in per_model.items() if label in labels)


def demo_remove() -> int:
    """Delete every demo row of the partners app; refuse, deleting nothing, while real rows depend on them."""
    demo_models = [m for m in apps.get_app_config("partners").get_models() if has_demo_flag(m)]
    with transaction.atomic():
        # Organisations last: demo participants PROTECT them until they are gone.
        deleted = delete_demo_rows([m for m in demo_models if m is not Organisation])
        deleted += delete_demo_rows([Organisation])
    return deleted
