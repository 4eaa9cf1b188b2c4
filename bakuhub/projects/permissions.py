"""Project rules (also used by finance and results). The secretariat does everything; a country's focal points
edit that country's projects; partner editors edit the projects their organisation leads; funders read all."""

from __future__ import annotations

from typing import Any

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.accounts.rules_typed import add_perm, has_perm, predicate

from .models import Project


def _project(obj: Any) -> Project | None:
    if isinstance(obj, Project):
        return obj
    project = getattr(obj, "project", None)
    return project if isinstance(project, Project) else None


def participant_organisation_ids(project: Project) -> set[int]:
    cached: set[int] | None = getattr(project, "_participant_ids", None)
    if cached is None:
        cached = set(project.participants.values_list("organisation_id", flat=True))
        if project.lead_organisation_id:
            cached.add(project.lead_organisation_id)
        project._participant_ids = cached  # type: ignore[attr-defined]
    return cached


@predicate
def is_country_focal_point(user: Any, obj: Any) -> bool:
    project = _project(obj)
    if project is not None:
        return project.country_id in focal_country_ids(user)
    country_id = getattr(obj, "pk", None) if obj is not None and obj.__class__.__name__ == "Country" else None
    return country_id is not None and country_id in focal_country_ids(user)


@predicate
def edits_lead_organisation(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return project is not None and project.lead_organisation_id in editor_organisation_ids(user)


@predicate
def edits_a_participant(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return project is not None and bool(participant_organisation_ids(project) & editor_organisation_ids(user))


@predicate
def is_public_project(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return project is not None and project.is_public


add_perm("projects.view_project", is_public_project | is_secretariat | is_funder | is_country_focal_point
         | edits_a_participant)  # fmt: skip
add_perm("projects.view_internals", is_secretariat | is_funder | is_country_focal_point | edits_a_participant)
add_perm("projects.change_project", is_secretariat | is_country_focal_point | edits_lead_organisation)
add_perm("projects.report_results", is_secretariat | is_country_focal_point | edits_a_participant)
add_perm("projects.approve_results", is_secretariat)
add_perm("projects.screen_project", is_secretariat | is_country_focal_point)
add_perm("projects.import_rates", is_secretariat)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return has_perm(f"projects.{action}", user, obj)


def can_create_project(user: Any, *, country: Any, lead_organisation: Any) -> bool:
    """Secretariat anywhere; focal points in their countries; editors for projects their organisation leads."""
    if is_secretariat(user):
        return True
    if country is not None and country.pk in focal_country_ids(user):
        return True
    return lead_organisation is not None and lead_organisation.pk in editor_organisation_ids(user)
