"""Link a project to the governance that led to it: the JWG decisions and the commitments it carries out."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from bakuhub.accounts.models import User
from bakuhub.commitments.models import Commitment
from bakuhub.commitments.permissions import can as can_see_commitment
from bakuhub.projects.models import Project
from bakuhub.working_groups.models import Decision

from ._common import Errors, lock, require, save_versioned


@transaction.atomic
def project_links_set(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    decisions: Sequence[Decision] = (),
    commitments: Sequence[Commitment] = (),
) -> Project:
    """Replace the project's linked decisions and commitments.

    A decision must come from a Joint Working Group of the project's country; a commitment must be one the actor
    may see and must concern the project's country (as committer or beneficiary) or have no country at all.
    """
    require(actor, "change_project", project, "link decisions and commitments to")
    errors = Errors()
    for decision in decisions:
        if decision.working_group.country_id != project.country_id:
            errors.add("decisions", f"{decision.reference} is a decision of another country's Joint Working Group.")
    for commitment in commitments:
        if actor is not None and not can_see_commitment(actor, "view_commitment", commitment):
            errors.add("commitments", f"Commitment {commitment.pk} was not found.")
            continue
        countries = {commitment.committer_country_id, commitment.beneficiary_country_id} - {None}
        if countries and project.country_id not in countries:
            errors.add("commitments", f"'{commitment.title}' concerns another country than the project's.")
    errors.raise_if_any()
    locked = lock(project, expected_version)
    before = {
        "decisions": sorted(locked.decisions.values_list("pk", flat=True)),
        "commitments": sorted(locked.commitments.values_list("pk", flat=True)),
    }
    locked.decisions.set(decisions)
    locked.commitments.set(commitments)
    after = {"decisions": sorted(d.pk for d in decisions), "commitments": sorted(c.pk for c in commitments)}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        save_versioned(actor=actor, project=locked, action="project.links", changes=changes, caller=project)
    return project
