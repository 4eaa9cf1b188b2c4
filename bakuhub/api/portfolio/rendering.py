"""How the portfolio API renders projects (list items and the detail) and money (budgets, transactions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Value

from bakuhub.commitments.permissions import can as can_commitment
from bakuhub.core.codelists import codelist
from bakuhub.core.errors import NotFound
from bakuhub.finance.models import Budget, Transaction
from bakuhub.finance.selectors import ProjectFinance, project_finance
from bakuhub.projects import selectors
from bakuhub.projects.models import Location, Project, ProjectDocument, Screening
from bakuhub.projects.selectors import PublicLocation
from bakuhub.projects.services import allowed_next_phases, project_warnings

from .common import Viewer
from .schemas import BudgetOut, DocumentOut, ProjectDetailOut, ProjectOut, TransactionOut


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def number(value: Any) -> str | None:
    """A measured value as a string (suppressed values such as "<5" pass through)."""
    if value is None:
        return None
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _name(list_name: str, code: str) -> str:
    row = codelist(list_name).get(code)
    return str(row["name"]) if row else ""


# --- Projects -------------------------------------------------------------------------------------------------


def _nexus(project: Project) -> dict[str, Any]:
    return {
        "climate": project.climate_score,
        "peace": project.peace_score,
        "migration": project.migration_score,
        "triple": project.is_triple_nexus,
    }


def _project_fields(project: Project, *, insider: bool) -> dict[str, Any]:
    """The fields of a list item. `version` only for insiders: it moves with hidden changes too (a hidden location, a
    private document), and the public representation must change only when public content does."""
    lead = project.lead_organisation
    return {
        "id": project.pk,
        "identifier": project.identifier,
        "title": project.title,
        "titles": project.titles,
        "country_iso3": project.country.iso3,
        "country_name": project.country.name,
        "phase": project.phase,
        "nexus": _nexus(project),
        "lead_organisation": lead.slug if lead is not None else None,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "is_public": project.is_public,
        "version": project.version if insider else None,
    }


def render_project(project: Project) -> dict[str, Any]:
    """A list item; `version` only when the list annotated `viewer_sees_internals` (see `with_insider_flag`)."""
    insider = bool(getattr(project, "viewer_sees_internals", False))
    return ProjectOut.model_validate(_project_fields(project, insider=insider)).model_dump(mode="json")


def render_location(location: Location | PublicLocation, location_id: int | None = None) -> dict[str, Any]:
    if isinstance(location, Location):
        unit = location.admin_unit
        shown = PublicLocation(
            unit.pcode, unit.name, unit.iso_3166_2, location.admin2_pcode, location.name, location.latitude,
            location.longitude, location.location_class, location.exactness, location.precision, False,
            location.sensitivity,
        )  # fmt: skip
        location_id = location.pk
    else:
        shown = location
    return {
        "id": location_id,
        "admin1_pcode": shown.admin1_pcode,
        "admin1_name": shown.admin1_name,
        "admin1_iso_3166_2": shown.admin1_iso_3166_2,
        "admin2_pcode": shown.admin2_pcode,
        "name": shown.name,
        "latitude": number(shown.latitude),
        "longitude": number(shown.longitude),
        "location_class": shown.location_class,
        "exactness": shown.exactness,
        "precision": shown.precision,
        "coarsened": shown.coarsened,
        "sensitivity": shown.sensitivity,
    }


def render_document(document: ProjectDocument) -> dict[str, Any]:
    return DocumentOut.model_validate(document).model_dump(mode="json")


def render_finance(finance: ProjectFinance) -> dict[str, Any]:
    measures = ("budget", "committed", "disbursed", "spent", "incoming", "funding_gap")
    data: dict[str, Any] = {f"{m}_{c}": money(getattr(finance, f"{m}_{c}")) for m in measures for c in ("usd", "eur")}
    return {**data, "over_committed": finance.over_committed, "gap_label": finance.gap_label}


def _screening(project: Project) -> dict[str, Any] | None:
    screening: Screening | None = getattr(project, "screening", None)
    if screening is None:
        return None
    return {
        "is_complete": screening.is_complete,
        "reviewed_on": screening.reviewed_on,
        "reviewer": screening.reviewer.get_username() if screening.reviewer is not None else None,
        "answers": screening.answers,
    }


def with_insider_flag(qs: QuerySet[Project], actor: Viewer) -> QuerySet[Project]:
    """Annotate whether `actor` sees each project's internals (one query for the whole page)."""
    if not actor.is_authenticated:
        return qs.annotate(viewer_sees_internals=Value(False))
    rule = selectors.internals_filter(actor)
    if rule is None:
        return qs.annotate(viewer_sees_internals=Value(True))
    return qs.annotate(viewer_sees_internals=ExpressionWrapper(rule, output_field=BooleanField()))


def render_project_detail(project: Project, actor: Viewer) -> dict[str, Any]:
    """A project as `selectors.project_detail` prefetched it for `actor` (insiders see internals)."""
    insider = selectors.sees_internals(actor, project)
    if insider:
        locations = [render_location(location) for location in project.locations.all()]
    else:
        locations = [render_location(location) for location in getattr(project, "visible_locations", [])]
    data = _project_fields(project, insider=insider)
    data["nexus"].update(
        climate_justification=project.climate_justification,
        peace_justification=project.peace_justification,
        migration_justification=project.migration_justification,
        assessed_on=project.nexus_assessed_on,
        method=project.nexus_method,
    )
    data.update(
        description=project.description,
        descriptions=project.descriptions,
        working_group_id=project.working_group_id,
        decision_ids=sorted(d.pk for d in project.decisions.all()),
        commitment_ids=sorted(c.pk for c in project.commitments.all() if can_commitment(actor, "view_commitment", c)),
        humanitarian={
            "humanitarian": project.humanitarian,
            "scope_type": project.humanitarian_scope_type,
            "scope_vocabulary": project.humanitarian_scope_vocabulary,
            "scope_code": project.humanitarian_scope_code,
        },
        sectors=[
            {"code": s.code, "name": _name("Sector", s.code), "percentage": money(s.percentage)}
            for s in project.sectors.all()
        ],
        policy_markers=[
            {"code": m.code, "name": _name("PolicyMarker", m.code), "significance": m.significance}
            for m in project.policy_markers.all()
        ],
        warnings=project_warnings(project),
        participants=[
            {
                "organisation": p.organisation.slug,
                "organisation_name": p.organisation.name,
                "role": p.role,
                "role_name": str(p.get_role_display()),
            }
            for p in sorted(project.participants.all(), key=lambda p: (p.role, p.organisation.slug))
        ],
        locations=locations,
        documents=[render_document(d) for d in project.documents.all()],
        finance=render_finance(project_finance(project=project)),
        screening=_screening(project) if insider else None,
        allowed_next_phases=allowed_next_phases(project.phase),
        viewer_is_insider=insider,
        is_demo=project.is_demo,
        source_title=project.source_title,
        source_publisher=project.source_publisher,
        source_url=project.source_url,
        source_quote=project.source_quote,
    )
    return ProjectDetailOut.model_validate(data).model_dump(mode="json")


def project_detail_payload(actor: Viewer, pk: int) -> dict[str, Any]:
    project = selectors.project_detail(user=actor, pk=pk)
    if project is None:
        raise NotFound(f"No project {pk} that you can see.")
    return render_project_detail(project, actor)


# --- Money ----------------------------------------------------------------------------------------------------


def _money_fields(row: Budget | Transaction) -> dict[str, Any]:
    return {
        "id": row.pk,
        "project_id": row.project_id,
        "project_identifier": row.project.identifier,
        "country_iso3": row.project.country.iso3,
        "amount": money(row.amount),
        "currency": row.currency,
        "value_date": row.value_date,
        "amount_usd": money(row.amount_usd),
        "amount_eur": money(row.amount_eur),
    }


def render_budget(budget: Budget) -> dict[str, Any]:
    data = _money_fields(budget)
    data.update(period_start=budget.period_start, period_end=budget.period_end, status=budget.status, kind=budget.kind)
    return BudgetOut.model_validate(data).model_dump(mode="json")


def render_transaction(row: Transaction) -> dict[str, Any]:
    data = _money_fields(row)
    provider, receiver = row.provider_organisation, row.receiver_organisation
    data.update(
        kind=row.kind,
        kind_name=str(row.get_kind_display()),
        transaction_date=row.transaction_date,
        provider_organisation=provider.slug if provider is not None else None,
        provider_name=row.provider_name,
        receiver_organisation=receiver.slug if receiver is not None else None,
        receiver_name=row.receiver_name,
        description=row.description,
    )
    return TransactionOut.model_validate(data).model_dump(mode="json")
