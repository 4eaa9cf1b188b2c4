"""Funder matching: candidate funders for a project, ranked by fit, each score explained in plain English.

The project's profile is read from its own data: climate themes from the Rio markers (7 adaptation, 6 mitigation;
both, or only a climate score in the nexus profile, make it cross-cutting), peace and migration from the nexus
profile, the size from its budget in USD, and the country's LDC / SIDS / FCS status. Candidates are the funds of the
Climate Funds Update database and the Hub's own funders (providers of incoming funds and incoming commitments to the
projects you may see).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.finance.models import Transaction
from bakuhub.finance.selectors import FUNDING_KINDS, project_finance
from bakuhub.matching.score import WEIGHTS, FunderMatch, HubFunder, ProjectProfile, rank_funders
from bakuhub.projects.models import Project
from bakuhub.projects.nexus import ADAPTATION, MITIGATION
from bakuhub.projects.selectors import sees_internals

from ..auth import actor_of
from ..errors import ErrorOut
from ..etag import respond
from ..types import Id, Limit
from .common import READ_ERRORS, Viewer, project_for, router, visible_projects
from .rendering import money
from .schemas_results import FunderMatchesOut

MAX_MATCHES = 50


class MatchFilters(Schema):
    limit: Limit = 10


def climate_themes(markers: dict[str, int], climate_score: int) -> frozenset[str]:
    """adaptation if marker 7 ≥ 1, mitigation if marker 6 ≥ 1; cross_cutting if both, or if only the nexus climate
    score is at least 1."""
    themes = set()
    if markers.get(ADAPTATION, 0) >= 1:
        themes.add("adaptation")
    if markers.get(MITIGATION, 0) >= 1:
        themes.add("mitigation")
    if len(themes) == 2 or (not themes and climate_score >= 1):
        themes.add("cross_cutting")
    return frozenset(themes)


def _markers(project: Project) -> dict[str, int]:
    return {m.code: m.significance for m in project.policy_markers.all()}


def project_profile(project: Project) -> ProjectProfile:
    budget = project_finance(project=project).budget_usd
    country = project.country
    return ProjectProfile(
        country_iso3=country.iso3,
        themes=climate_themes(_markers(project), project.climate_score),
        peace=project.peace_score >= 1,
        migration=project.migration_score >= 1,
        size_usd=budget if budget > 0 else None,
        phase=project.phase,
        is_ldc=country.is_ldc,
        is_sids=country.is_sids,
        is_fcs=bool(country.fragility),
        country_name=country.name_en,
    )


def _project_themes(project: Project) -> set[str]:
    themes = set(climate_themes(_markers(project), project.climate_score))
    themes.update(d for d in ("peace", "migration") if getattr(project, f"{d}_score") >= 1)
    return themes


def hub_funders(actor: Viewer) -> list[HubFunder]:
    """The Hub's own funders as the matching knows them, from the incoming funds and incoming commitments of the
    projects `actor` may see, grouped by provider organisation (three queries).

    Per funder and project, the amount is the larger of what was committed and what came in (a commitment and the
    money that follows it are the same grant); the typical size is the median of these per-project amounts."""
    rows = (
        Transaction.objects.filter(
            kind__in=FUNDING_KINDS,
            provider_organisation__isnull=False,
            project__in=visible_projects(actor).order_by().values("pk"),
        )
        .order_by()
        .values("provider_organisation_id", "provider_organisation__name", "project_id", "kind")
        .annotate(total=Sum("amount_usd"), last=Max("transaction_date"))
    )
    sums: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    names: dict[int, str] = {}
    last_year: dict[int, int] = {}
    for row in rows:
        funder = row["provider_organisation_id"]
        names[funder] = row["provider_organisation__name"]
        sums[(funder, row["project_id"])][row["kind"]] = row["total"] or Decimal(0)
        last_year[funder] = max(last_year.get(funder, 0), row["last"].year)
    if not sums:
        return []
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in={pk for _, pk in sums})
        .select_related("country")
        .prefetch_related("policy_markers")
    }
    amounts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    grants: dict[int, list[Decimal]] = defaultdict(list)
    themes: dict[int, set[str]] = defaultdict(set)
    for (funder, project_id), by_kind in sums.items():
        project = projects[project_id]
        amount = max(Decimal(0), *by_kind.values())
        amounts[funder][project.country.iso3] += amount
        if amount > 0:
            grants[funder].append(amount)
        themes[funder] |= _project_themes(project)
    return [
        HubFunder(
            name=names[funder],
            countries=frozenset(amounts[funder]),
            themes=frozenset(themes[funder]),
            typical_size_usd=statistics.median(grants[funder]) if grants[funder] else None,
            amounts_by_country={iso3: value for iso3, value in amounts[funder].items() if value > 0},
            last_year=last_year[funder],
        )
        for funder in sorted(names, key=lambda f: names[f])
    ]


def _match(rank: int, match: FunderMatch) -> dict[str, Any]:
    c = match.components
    return {
        "rank": rank,
        "fund": {"group": match.fund.group, "name": match.fund.name},
        "score": match.score,
        "components": {"country": c.country, "theme": c.theme, "size": c.size, "recency": c.recency, "bonus": c.bonus},
        "explanation": list(match.explanation),
        "source": match.source,
    }


@router.get(
    "/projects/{pk}/funder-matches",
    response={200: FunderMatchesOut, **READ_ERRORS, 403: ErrorOut},
    tags=["funder matching"],
)
def funder_matches(request: HttpRequest, pk: Id, filters: Query[MatchFilters]) -> HttpResponse:
    """Candidate funders for the project, best first, with the score (0-100), its components (fits from 0 to 1 and
    bonus points) and why, in words. Meant for projects in concept or appraisal. The matches of a public project are
    public; those of a project that is not public are for its insiders."""
    actor = actor_of(request)
    if not 1 <= filters.limit <= MAX_MATCHES:
        msg = f"limit must be between 1 and {MAX_MATCHES}."
        raise ValidationFailed(msg, errors={"limit": [f"1 to {MAX_MATCHES}."]})
    project = project_for(actor, pk)
    if not project.is_public and not sees_internals(actor, project):
        raise PermissionDenied(f"The funder matches of {project.identifier} are for its insiders.")
    project = Project.objects.select_related("country").prefetch_related("policy_markers").get(pk=project.pk)
    profile = project_profile(project)
    funders = hub_funders(actor)
    matches = rank_funders(profile, hub_funders=funders, limit=filters.limit)
    payload = {
        "project_id": project.pk,
        "identifier": project.identifier,
        "phase": project.phase,
        "profile": {
            "country_iso3": profile.country_iso3,
            "country_name": profile.country_name or profile.country_iso3,
            "themes": sorted(profile.themes),
            "peace": profile.peace,
            "migration": profile.migration,
            "size_usd": money(profile.size_usd),
            "is_ldc": profile.is_ldc,
            "is_sids": profile.is_sids,
            "is_fcs": profile.is_fcs,
            "hub_funders": len(funders),
        },
        "weights": dict(WEIGHTS),
        "matches": [_match(rank, m) for rank, m in enumerate(matches, start=1)],
    }
    return respond(request, FunderMatchesOut.model_validate(payload).model_dump(mode="json"))
