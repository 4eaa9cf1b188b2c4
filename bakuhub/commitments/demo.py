"""Demo commitments: only the two that the Hub's sourced facts (`partners/data/hub-facts.csv`) report.

Both are Azerbaijan's policy commitments (BH021, BH049), recorded through `commitment_create` as the system, marked
`is_demo` and citing their fact. The facts report no money for the Hub or its pilots (hub-facts-README, "Money"),
so no amount is stated. Loading is idempotent (a commitment is looked up by its fact id); `demo_remove` deletes the
demo commitments and their history, refusing, without deleting anything, while real rows depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import Country
from bakuhub.partners.demo import DemoResult, Progress, delete_demo_rows
from bakuhub.partners.demo_facts import load_facts

from .models import Commitment, CommitmentEvent
from .services import commitment_create

NO_MONEY = (
    "The sources found report no amount of money for this commitment (see the caveats of the Hub's sourced facts)."
)


@dataclass(frozen=True)
class CommitmentSpec:
    fact_id: str
    committer: str  # ISO3 of the committing country
    kind: str
    title: str


COMMITMENTS: tuple[CommitmentSpec, ...] = (
    CommitmentSpec(
        "BH021", "AZE", Commitment.Kind.POLICY, "Azerbaijan aims to run pilot projects in several vulnerable countries"
    ),
    CommitmentSpec(
        "BH049", "AZE", Commitment.Kind.POLICY, "Azerbaijan will support African countries in climate diplomacy"
    ),
)


def demo_countries() -> set[str]:
    return {spec.committer for spec in COMMITMENTS}


def _commitment(spec: CommitmentSpec, countries: dict[str, Country], result: DemoResult) -> None:
    found = Commitment.objects.filter(fact_id=spec.fact_id).first()
    if found is not None:
        if not found.is_demo:
            result.skipped.append(f"commitment {spec.fact_id}: a real (non-demo) commitment cites it; left as it is")
        return
    fact = load_facts()[spec.fact_id]
    announced_on, precision = fact.when
    commitment_create(
        actor=None, kind=spec.kind, title=spec.title, announced_on=announced_on, date_precision=precision,
        committer_country=countries[spec.committer], description=f"{fact.fact} ({fact.fact_id}) {NO_MONEY}",
        is_demo=True, **fact.source(),
    )  # fmt: skip
    result.add("commitments")


def demo_load(*, progress: Progress | None = None) -> DemoResult:
    """Load the sourced commitments as the system (`actor=None`); those already there are left alone."""
    codes = demo_countries()
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=codes)}
    missing = sorted(codes - set(countries))
    if missing:
        raise PreconditionFailed(
            f"The demo commitments need countries that are not in the database ({', '.join(missing)}): "
            "run `bakuhub load_reference` first."
        )
    result = DemoResult()
    with transaction.atomic():
        for done, spec in enumerate(COMMITMENTS, start=1):
            _commitment(spec, countries, result)
            if progress is not None:
                progress(done, len(COMMITMENTS), f"commitment {spec.fact_id}")
    return result


def demo_remove() -> int:
    """Delete the demo commitments and their steps; refuse, deleting nothing, while real rows depend on them (a real
    step recorded on a demo commitment, a real decision that links one)."""
    with transaction.atomic():
        return delete_demo_rows([Commitment, CommitmentEvent])
