"""The portfolio API's router, error maps, lookups and the project's versioned ETag."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router

from bakuhub.accounts.models import User
from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Project
from bakuhub.projects.selectors import visible_filter

from ..common import MAX_LIMIT
from ..errors import ErrorOut
from ..etag import respond

router = Router(tags=["projects"])
Viewer = User | AnonymousUser
T = TypeVar("T")

READ_ERRORS: dict[int, Any] = {304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
INSIDER_READ_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
# Writes to a project or its parts: 412 when If-Match (or `version`) names an older state of the project.
PROJECT_WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 412: ErrorOut}
# Writes that add rows under a project or delete them (no If-Match); a new project (its identifier may be taken).
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CREATE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut}


# --- Lookups --------------------------------------------------------------------------------------------------


def visible_projects(actor: Viewer) -> QuerySet[Project]:
    """The projects `actor` may see (the rule of `projects.view_project`), unfiltered otherwise."""
    rule = visible_filter(actor)
    qs = Project.objects.select_related("country", "lead_organisation")
    return qs if rule is None else qs.filter(rule)


def project_for(actor: Viewer, pk: int) -> Project:
    project = visible_projects(actor).filter(pk=pk).first()
    if project is None:
        raise NotFound(f"No project {pk} that you can see.")
    return project


def organisation_for(slug: str | None, field: str) -> Organisation | None:
    """An organisation named in a request body, by slug (unknown → 400 on that field)."""
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        msg = f"Unknown organisation '{slug[:60]}'."
        raise ValidationFailed(msg, errors={field: [msg]})
    return organisation


def required_organisation(slug: str | None, field: str) -> Organisation:
    """An organisation a request body must name, by slug (missing or empty → 400 on that field)."""
    organisation = organisation_for(slug, field)
    if organisation is None:
        msg = "Name an organisation by its slug, e.g. iom."
        raise ValidationFailed(msg, errors={field: [msg]})
    return organisation


def choice(value: str | None, choices: Any, field: str) -> str | None:
    """A filter value must be one of the model's choices (an unknown one is a typo, not an empty result)."""
    if value and value not in choices.values:
        msg = f"'{value[:40]}' is not one of: {', '.join(choices.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def page_of(items: Sequence[T], *, limit: int, offset: int, render: Callable[[T], Any]) -> dict[str, Any]:
    """`paginate` for a list already in memory (same limits and shape)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}.", errors={"limit": [f"1 to {MAX_LIMIT}."]})
    if offset < 0:
        raise ValidationFailed("offset must not be negative.", errors={"offset": ["0 or more."]})
    return {
        "count": len(items),
        "limit": limit,
        "offset": offset,
        "items": [render(item) for item in items[offset : offset + limit]],
    }


# --- The project's ETag ---------------------------------------------------------------------------------------
# For viewers who see the project's internals (and so may be editing it), its ETag is the hash of its JSON
# representation followed by its version, e.g. "3f2a…c1.v7" (`etag.etag_of`): an If-Match then names the version the
# client had, the service compares it inside its transaction, and a 412 lists the fields changed since. Outsiders
# see no version (it moves with hidden changes too), so their ETag changes only when what they see changes.


def respond_project(request: HttpRequest, payload: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """`etag.respond` for a project's representation, with the version in the ETag when the payload carries it."""
    return respond(request, payload, status=status, version=payload.get("version"))
