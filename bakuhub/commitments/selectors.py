"""Commitment reads, filtered by what the viewer may see, and the pledged → delivered totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.partners.selectors import hidden_memorandum_ids

from .models import Commitment, CommitmentEvent
from .permissions import can

STAGES = [s.value for s in Commitment.Status]


def commitment_list(
    *, user: Any, status: str | None = None, country: Any = None, organisation: Any = None, kind: str | None = None
) -> QuerySet[Commitment]:
    qs = Commitment.objects.select_related(
        "committer_country", "committer_organisation", "beneficiary_country", "memorandum"
    )
    if not (is_secretariat(user) or is_funder(user)):
        countries, orgs = focal_country_ids(user), editor_organisation_ids(user)
        qs = qs.filter(
            Q(is_public=True)
            | Q(committer_country_id__in=countries)
            | Q(beneficiary_country_id__in=countries)
            | Q(committer_organisation_id__in=orgs)
        )
    qs = with_visible_memorandum(qs, user=user)
    if status:
        qs = qs.filter(status=status)
    if country is not None:
        qs = qs.filter(Q(committer_country=country) | Q(beneficiary_country=country))
    if organisation is not None:
        qs = qs.filter(committer_organisation=organisation)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-announced_on", "title")


def with_visible_memorandum(qs: QuerySet[Commitment], *, user: Any) -> QuerySet[Commitment]:
    """Annotate `visible_memorandum_id`: the memorandum that formalised each commitment, or None when `user` may
    not see it (a draft). Pages, the API and exports name the memorandum only through it."""
    hidden = hidden_memorandum_ids(user=user)
    if not hidden:
        return qs.annotate(visible_memorandum_id=F("memorandum_id"))
    visible = Case(
        When(memorandum_id__in=hidden, then=Value(None)), default=F("memorandum_id"), output_field=IntegerField()
    )
    return qs.annotate(visible_memorandum_id=visible)


def linked_commitments(*, user: Any, commitments: Iterable[Commitment]) -> list[Commitment]:
    """The commitments a record (a decision, a project) links to that `user` may see; pass them prefetched."""
    return [c for c in commitments if can(user, "view_commitment", c)]


def commitment_events(*, commitment: Commitment) -> QuerySet[CommitmentEvent]:
    return commitment.events.select_related("actor").order_by("occurred_on", "id")


@dataclass
class Tally:
    """Counts per stage reached, and money per currency per stage reached (a funded pledge counts as pledged,
    formalised and funded: each bar shows how much got at least that far)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    money: dict[str, dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(STAGES, Decimal(0)))
    )

    def add(self, commitment: Commitment) -> None:
        reached = STAGES[: STAGES.index(commitment.status) + 1]
        for stage in reached:
            self.counts[stage] += 1
            if commitment.amount is not None:
                self.money[commitment.currency][stage] += commitment.amount


def commitment_totals(*, user: Any) -> dict[str, dict[str, Tally]]:
    """Tallies overall, per partner (committer) and per country (committer or beneficiary)."""
    overall = Tally()
    partners: defaultdict[str, Tally] = defaultdict(Tally)
    countries: defaultdict[str, Tally] = defaultdict(Tally)
    for c in commitment_list(user=user):
        overall.add(c)
        committer = c.committer_organisation or c.committer_country
        partners[str(committer)].add(c)
        for country in {x for x in (c.committer_country, c.beneficiary_country) if x is not None}:
            countries[country.name].add(c)
    return {"overall": {"all": overall}, "partners": dict(partners), "countries": dict(countries)}
