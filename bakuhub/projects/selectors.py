"""Project reads, filtered by what the viewer may see (the same rules as `projects.view_project`).

Public outputs show locations only through `public_locations`: hidden sites are left out, and coarsened sites become
their admin-1 unit (no admin-2, no name, no coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import Country
from bakuhub.partners.models import Organisation

from .models import Location, Project, ProjectDocument, ProjectParticipant, ProjectSector, Screening
from .permissions import can

NEXUS_FILTERS = ("triple", "climate", "peace", "migration")
LANGUAGES = ("en", "fr", "pt", "ar")


def sees_internals(user: Any, project: Project) -> bool:
    """Whether `user` sees a project's internals: private documents, screening, exact sensitive locations."""
    return can(user, "view_internals", project)


def visible_filter(user: Any) -> Q | None:
    """The projects `user` may see as a Q (None = all of them): public ones, plus the user's own."""
    if is_secretariat(user) or is_funder(user):
        return None
    visible = Q(is_public=True)
    countries = focal_country_ids(user)
    if countries:
        visible |= Q(country_id__in=countries)
    organisations = editor_organisation_ids(user)
    if organisations:
        on_project = ProjectParticipant.objects.filter(organisation_id__in=organisations).values("project_id")
        visible |= Q(lead_organisation_id__in=organisations) | Q(pk__in=on_project)
    return visible


def internals_filter(user: Any) -> Q | None:
    """The projects whose internals `user` sees (the rule of `projects.view_internals`) as a Q (None = all of them)."""
    if is_secretariat(user) or is_funder(user):
        return None
    rule = Q(pk__in=[])
    countries = focal_country_ids(user)
    if countries:
        rule |= Q(country_id__in=countries)
    organisations = editor_organisation_ids(user)
    if organisations:
        on_project = ProjectParticipant.objects.filter(organisation_id__in=organisations).values("project_id")
        rule |= Q(lead_organisation_id__in=organisations) | Q(pk__in=on_project)
    return rule


def _visible(user: Any) -> QuerySet[Project]:
    rule = visible_filter(user)
    qs = Project.objects.all()
    return qs if rule is None else qs.filter(rule)


def _pk(value: Any) -> Any:
    return value.pk if isinstance(value, Country | Organisation) else value


def project_list(
    *,
    user: Any,
    country: Country | int | None = None,
    phase: str | None = None,
    nexus: str | None = None,
    organisation: Organisation | int | None = None,
    sector: str | None = None,
    search: str | None = None,
) -> QuerySet[Project]:
    """Projects the user may see, with filters; a page costs a constant number of queries.

    nexus: "triple" (all three scores >= 1), or "climate" / "peace" / "migration" (that score >= 1).
    organisation: the lead or any participant. sector: a DAC 5-digit code, or a 3-digit category (e.g. 152).
    """
    qs = _visible(user)
    if country is not None:
        qs = qs.filter(country_id=_pk(country))
    if phase:
        if phase not in Project.Phase.values:
            msg = f"'{phase}' is not a phase; use one of: {', '.join(Project.Phase.values)}."
            raise ValidationFailed(msg, errors={"phase": [msg]})
        qs = qs.filter(phase=phase)
    if nexus:
        if nexus not in NEXUS_FILTERS:
            msg = f"'{nexus}' is not a nexus filter; use one of: {', '.join(NEXUS_FILTERS)}."
            raise ValidationFailed(msg, errors={"nexus": [msg]})
        if nexus == "triple":
            qs = qs.filter(climate_score__gte=1, peace_score__gte=1, migration_score__gte=1)
        else:
            qs = qs.filter(**{f"{nexus}_score__gte": 1})
    if organisation is not None:
        org_id = _pk(organisation)
        on_project = ProjectParticipant.objects.filter(organisation_id=org_id).values("project_id")
        qs = qs.filter(Q(lead_organisation_id=org_id) | Q(pk__in=on_project))
    if sector:
        code = sector.strip()
        lookup = {"code": code} if len(code) == 5 else {"code__startswith": code}
        qs = qs.filter(pk__in=ProjectSector.objects.filter(**lookup).values("project_id"))
    if search and search.strip():
        term = search.strip()
        text = Q(identifier__icontains=term)
        for lang in LANGUAGES:
            text |= Q(**{f"titles__{lang}__icontains": term})
        qs = qs.filter(text)
    return qs.select_related("country", "lead_organisation", "working_group").prefetch_related(
        "sectors",
        "policy_markers",
        Prefetch("participants", queryset=ProjectParticipant.objects.select_related("organisation")),
    )


@dataclass(frozen=True)
class PublicLocation:
    """A location as shown to a viewer; coordinates, admin-2 and name are empty for coarsened sites."""

    admin1_pcode: str
    admin1_name: str
    admin1_iso_3166_2: str
    admin2_pcode: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None
    location_class: str
    exactness: str
    precision: str
    coarsened: bool
    sensitivity: str = Location.Sensitivity.PUBLIC


def _as_shown(location: Location, *, internal: bool) -> PublicLocation:
    unit = location.admin_unit
    if location.sensitivity == Location.Sensitivity.COARSEN and not internal:
        return PublicLocation(unit.pcode, unit.name, unit.iso_3166_2, "", "", None, None, "1", "2", "admin1", True)
    return PublicLocation(
        unit.pcode,
        unit.name,
        unit.iso_3166_2,
        location.admin2_pcode,
        location.name,
        location.latitude,
        location.longitude,
        location.location_class,
        location.exactness,
        location.precision,
        False,
        location.sensitivity if internal else Location.Sensitivity.PUBLIC,
    )


def public_locations(*, project: Project) -> list[PublicLocation]:
    """What anyone may see of a public project's locations: hidden sites omitted, coarsened sites reduced to their
    admin-1 unit (each unit listed once, so the number of sensitive sites is not revealed)."""
    if not project.is_public:
        return []
    shown: list[PublicLocation] = []
    seen_units: set[str] = set()
    rows = (
        Location.objects.filter(project_id=project.pk)
        .exclude(sensitivity=Location.Sensitivity.HIDDEN)
        .select_related("admin_unit")
        .order_by("admin_unit__pcode", "id")
    )
    for location in rows:
        view = _as_shown(location, internal=False)
        if view.precision == "admin1" and not view.name:
            if view.admin1_pcode in seen_units:
                continue
            seen_units.add(view.admin1_pcode)
        shown.append(view)
    return shown


def visible_locations(*, user: Any, project: Project) -> list[PublicLocation]:
    """Insiders see every location as stored (with its sensitivity); everyone else sees `public_locations`."""
    if not sees_internals(user, project):
        return public_locations(project=project)
    rows = Location.objects.filter(project_id=project.pk).select_related("admin_unit").order_by("admin_unit__pcode")
    return [_as_shown(location, internal=True) for location in rows]


def project_detail(*, user: Any, pk: int) -> Project | None:
    """One project with its parts prefetched, or None when it does not exist or the user may not see it.

    For viewers without the internals (`sees_internals`), `locations` is prefetched empty and `documents` holds
    only public documents; `visible_locations` (a list of PublicLocation) is set for everyone: use it for display.
    """
    project = (
        _visible(user)
        .filter(pk=pk)
        .select_related("country", "lead_organisation", "working_group", "nexus_assessed_by")
        .first()
    )
    if project is None:
        return None
    internal = sees_internals(user, project)
    documents = ProjectDocument.objects.order_by("-uploaded_at", "id")
    locations = Location.objects.select_related("admin_unit")
    related: list[Any] = [
        "sectors",
        "policy_markers",
        "decisions",
        "commitments",
        Prefetch("participants", queryset=ProjectParticipant.objects.select_related("organisation")),
        Prefetch("documents", queryset=documents if internal else documents.filter(is_public=True)),
        Prefetch("locations", queryset=locations if internal else locations.none()),
    ]
    if internal:
        related.append(Prefetch("screening", queryset=Screening.objects.select_related("reviewer")))
    prefetch_related_objects([project], *related)
    project.visible_locations = visible_locations(user=user, project=project)  # type: ignore[attr-defined]
    return project


@dataclass(frozen=True)
class CountryPortfolio:
    country: Country
    projects: QuerySet[Project]
    by_phase: dict[str, int]
    total: int
    triple_nexus: int


def country_portfolio(*, user: Any, country: Country) -> CountryPortfolio:
    """The country's projects the user may see, with counts by phase (every phase, zeros included)."""
    projects = project_list(user=user, country=country)
    counts = dict(_visible(user).filter(country_id=country.pk).order_by().values_list("phase").annotate(n=Count("id")))
    by_phase = {phase: int(counts.get(phase, 0)) for phase in Project.Phase.values}
    triple = (
        _visible(user)
        .filter(country_id=country.pk, climate_score__gte=1, peace_score__gte=1, migration_score__gte=1)
        .count()
    )
    return CountryPortfolio(country, projects, by_phase, sum(by_phase.values()), triple)


def project_document_for_download(*, user: Any, pk: int) -> ProjectDocument | None:
    """A document of a project the user may see: a public document to all of them, an internal one only to those
    who see the project's internals (`sees_internals`)."""
    document = ProjectDocument.objects.select_related("project").filter(pk=pk, project__in=_visible(user)).first()
    if document is None or not (document.is_public or sees_internals(user, document.project)):
        return None
    return document
