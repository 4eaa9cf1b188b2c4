"""Projects: the filtered list, the detail, and the writes to a project and its parts.

Every write to a project or one of its parts answers with the project's new representation and ETag (creations of a
part answer with the part). Send `If-Match` with the ETag you read to avoid lost updates; PATCH also takes the
`version` you loaded. A stale save is refused with 412, and the error lists the fields changed since.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile

from bakuhub.accounts.models import User
from bakuhub.commitments.models import Commitment
from bakuhub.core.errors import NotFound, PreconditionFailed, ValidationFailed
from bakuhub.core.models import AdminUnit
from bakuhub.partners.models import Organisation
from bakuhub.projects import selectors, services
from bakuhub.projects.models import Location, Project
from bakuhub.working_groups.models import Decision, WorkingGroup

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import countries_by_iso3, country_by_iso3, paginate, patch_changes
from ..errors import ErrorOut
from ..etag import expected_version, respond
from ..schemas import PageOut
from ..types import Id, Limit, Offset
from .common import (
    CREATE_ERRORS,
    PROJECT_WRITE_ERRORS,
    READ_ERRORS,
    Viewer,
    organisation_for,
    project_for,
    required_organisation,
    respond_project,
    router,
)
from .rendering import project_detail_payload, render_document, render_location, render_project, with_insider_flag
from .schemas import (
    DocumentOut,
    LinksIn,
    LocationIn,
    LocationOut,
    MarkersIn,
    NexusIn,
    ParticipantIn,
    ParticipantOut,
    PhaseIn,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ScreeningIn,
    SectorsIn,
)

_SECTOR = re.compile(r"^\d{3}(\d{2})?$")


class ProjectFilters(Schema):
    country: str | None = None
    phase: str | None = None
    nexus: str | None = None
    organisation: str | None = None
    sector: str | None = None
    q: str | None = None
    limit: Limit = 50
    offset: Offset = 0


def _working_group(pk: int | None) -> WorkingGroup | None:
    if pk is None:
        return None
    group = WorkingGroup.objects.filter(pk=pk).first()
    if group is None:
        msg = f"No Joint Working Group {pk}."
        raise ValidationFailed(msg, errors={"working_group_id": [msg]})
    return group


def _set_humanitarian(actor: User, project: Project, data: dict[str, Any]) -> None:
    services.project_humanitarian_set(
        actor=actor,
        project=project,
        humanitarian=data["humanitarian"],
        scope_type=data.get("scope_type", ""),  # a PATCH leaves out what it does not send
        scope_vocabulary=data.get("scope_vocabulary", ""),
        scope_code=data.get("scope_code", ""),
    )


def _writable(request: HttpRequest, pk: int) -> tuple[User, Project, int | None]:
    """The writer, the project (visible to them, else 404) and the version its If-Match names (None: no If-Match),
    which the service checks inside its transaction."""
    actor = writer(request)
    project = project_for(actor, pk)
    return actor, project, expected_version(request)


def _detail(request: HttpRequest, actor: Viewer, pk: int, *, status: int = 200) -> HttpResponse:
    return respond_project(request, project_detail_payload(actor, pk), status=status)


@router.get("/projects", response={200: PageOut[ProjectOut], **READ_ERRORS})
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> HttpResponse:
    """Projects you may see: public ones, and your countries' or organisations' others (all for the secretariat and
    funders). Filters: `country` (ISO3), `phase`, `nexus` (triple, climate, peace, migration: that score at least
    1), `organisation` (slug; lead or participant), `sector` (DAC 5-digit code or 3-digit category), `q` (title
    or identifier)."""
    actor = actor_of(request)
    country = country_by_iso3(filters.country) if filters.country else None
    organisation = None
    if filters.organisation:
        organisation = Organisation.objects.filter(slug=filters.organisation).first()
        if organisation is None:
            raise NotFound(f"No organisation '{filters.organisation[:60]}'.")
    if filters.sector and not _SECTOR.match(filters.sector.strip()):
        msg = f"'{filters.sector[:20]}' is not a DAC sector code (5 digits, e.g. 15220) or category (3 digits)."
        raise ValidationFailed(msg, errors={"sector": [msg]})
    qs = selectors.project_list(
        user=actor,
        country=country,
        phase=filters.phase,
        nexus=filters.nexus,
        organisation=organisation,
        sector=filters.sector,
        search=filters.q,
    )
    qs = with_insider_flag(qs, actor)
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render_project))


@router.post("/projects", auth=WRITE_AUTH, response={201: ProjectDetailOut, **CREATE_ERRORS})
def project_create(request: HttpRequest, payload: ProjectIn) -> HttpResponse:
    """Start a project in concept or appraisal (the secretariat anywhere; focal points in their countries; partner
    editors for projects their organisation leads). The lead organisation becomes the accountable participant."""
    actor = writer(request)
    data = payload.model_dump()
    humanitarian = data.pop("humanitarian")
    with transaction.atomic():  # the project and its humanitarian scope, or nothing
        project = services.project_create(
            actor=actor,
            country=countries_by_iso3([data.pop("country_iso3")], "country_iso3")[0],
            lead_organisation=organisation_for(data.pop("lead_organisation"), "lead_organisation"),
            working_group=_working_group(data.pop("working_group_id")),
            **data,
        )
        if humanitarian is not None:
            _set_humanitarian(actor, project, humanitarian)
    return _detail(request, actor, project.pk, status=201)


@router.get("/projects/{pk}", response={200: ProjectDetailOut, **READ_ERRORS})
def project_detail(request: HttpRequest, pk: Id) -> HttpResponse:
    """A project with its sectors, markers, participants, locations (sensitive sites coarsened or left out for
    outsiders), documents (public ones for outsiders), finance summary and, for insiders, the screening."""
    return _detail(request, actor_of(request), pk)


@router.patch("/projects/{pk}", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_update(request: HttpRequest, pk: Id, payload: ProjectPatch) -> HttpResponse:
    """Edit titles, descriptions, dates, the Joint Working Group, visibility and sources.

    Optimistic concurrency: send `If-Match` with the ETag you read and/or `version` with the version you loaded.
    A stale save is refused with 412; its `errors` name every field changed since your version.
    """
    actor, project, version = _writable(request, pk)
    nullable = frozenset({"version", "planned_start", "planned_end", "actual_start", "actual_end"})
    data = patch_changes(payload, nullable | {"working_group_id"})
    body_version = data.pop("version", None)
    if body_version is not None and version is not None and body_version != version:
        msg = _("If-Match and version name different versions of the project; send the one you read.")
        raise PreconditionFailed(msg, errors={"version": [msg]})
    version = body_version if body_version is not None else version
    humanitarian = data.pop("humanitarian", None)
    if "working_group_id" in data:
        data["working_group"] = _working_group(data.pop("working_group_id"))
    with transaction.atomic():  # every change of the PATCH, or none
        services.project_update(actor=actor, project=project, expected_version=version, **data)
        if humanitarian is not None:
            _set_humanitarian(actor, project, humanitarian)
    return _detail(request, actor, pk)


@router.post("/projects/{pk}/phase", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_phase(request: HttpRequest, pk: Id, payload: PhaseIn) -> HttpResponse:
    """Move the project one phase on (concept → appraisal → approved → implementing → completed → closed) or cancel
    it. Approval needs a complete screening, sectors and a justified nexus profile, and is for the secretariat and
    the country's focal points."""
    actor, project, version = _writable(request, pk)
    services.project_phase_advance(
        actor=actor, project=project, expected_version=version, to_phase=payload.to_phase, on_date=payload.on_date
    )
    return _detail(request, actor, pk)


@router.put("/projects/{pk}/sectors", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_sectors(request: HttpRequest, pk: Id, payload: SectorsIn) -> HttpResponse:
    """Replace the DAC 5-digit sectors; the percentages sum to exactly 100."""
    actor, project, version = _writable(request, pk)
    sectors = [(s.code, s.percentage) for s in payload.sectors]
    services.project_sectors_set(actor=actor, project=project, expected_version=version, sectors=sectors)
    return _detail(request, actor, pk)


@router.put("/projects/{pk}/policy-markers", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_policy_markers(request: HttpRequest, pk: Id, payload: MarkersIn) -> HttpResponse:
    """Replace the OECD DAC policy markers. The answer's `warnings` list where they disagree with the nexus profile
    (warnings only: the markers are the partner's own statement)."""
    actor, project, version = _writable(request, pk)
    markers = [(m.code, m.significance) for m in payload.markers]
    services.project_policy_markers_set(actor=actor, project=project, expected_version=version, markers=markers)
    return _detail(request, actor, pk)


@router.put("/projects/{pk}/nexus", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_nexus(request: HttpRequest, pk: Id, payload: NexusIn) -> HttpResponse:
    """Set the nexus profile: climate, peace and migration each 0, 1 or 2 (2 needs a justification)."""
    actor, project, version = _writable(request, pk)
    services.project_nexus_set(actor=actor, project=project, expected_version=version, **payload.model_dump())
    return _detail(request, actor, pk)


@router.put("/projects/{pk}/links", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_links(request: HttpRequest, pk: Id, payload: LinksIn) -> HttpResponse:
    """Replace the JWG decisions and the commitments the project carries out."""
    actor, project, version = _writable(request, pk)
    decisions = list(Decision.objects.select_related("working_group").filter(pk__in=payload.decisions))
    commitments = list(Commitment.objects.filter(pk__in=payload.commitments))
    missing = sorted(set(payload.decisions) - {d.pk for d in decisions}) + sorted(
        set(payload.commitments) - {c.pk for c in commitments}
    )
    if missing:
        raise ValidationFailed(f"Unknown decision or commitment id(s): {', '.join(map(str, missing))}.")
    services.project_links_set(
        actor=actor, project=project, expected_version=version, decisions=decisions, commitments=commitments
    )
    return _detail(request, actor, pk)


@router.put("/projects/{pk}/screening", auth=WRITE_AUTH, response={200: ProjectDetailOut, **PROJECT_WRITE_ERRORS})
def project_screening(request: HttpRequest, pk: Id, payload: ScreeningIn) -> HttpResponse:
    """Save the do-no-harm / conflict-sensitivity screening as a draft or complete it (the secretariat and the
    country's focal points)."""
    actor, project, version = _writable(request, pk)
    answers = {qid: answer.model_dump() for qid, answer in payload.answers.items()}
    services.screening_save(
        actor=actor, project=project, expected_version=version, answers=answers, complete=payload.complete
    )
    return _detail(request, actor, pk)


@router.post(
    "/projects/{pk}/locations", auth=WRITE_AUTH, response={201: LocationOut, **PROJECT_WRITE_ERRORS, 409: ErrorOut}
)
def location_add(request: HttpRequest, pk: Id, payload: LocationIn) -> HttpResponse:
    """Add an admin-1 location (optionally admin-2 and a point) with its sensitivity: public, coarsen (the public
    sees the admin-1 unit only) or hidden."""
    actor, project, version = _writable(request, pk)
    data = payload.model_dump()
    pcode = data.pop("admin1_pcode").strip().upper()
    unit = AdminUnit.objects.filter(pcode=pcode).first()
    if unit is None:
        msg = f"No administrative unit with the p-code '{pcode[:20]}'."
        raise ValidationFailed(msg, errors={"admin1_pcode": [msg]})
    location = services.location_add(actor=actor, project=project, expected_version=version, admin_unit=unit, **data)
    location = Location.objects.select_related("admin_unit").get(pk=location.pk)
    return respond(request, LocationOut.model_validate(render_location(location)).model_dump(mode="json"), status=201)


@router.delete("/projects/{pk}/locations/{location_id}", auth=WRITE_AUTH, response={204: None, **PROJECT_WRITE_ERRORS})
def location_remove(request: HttpRequest, pk: Id, location_id: Id) -> HttpResponse:
    actor, project, version = _writable(request, pk)
    location = Location.objects.filter(pk=location_id, project=project).first()
    if location is None:
        raise NotFound(f"No location {location_id} in project {project.identifier}.")
    services.location_remove(actor=actor, project=project, expected_version=version, location=location)
    return HttpResponse(status=204)


@router.post(
    "/projects/{pk}/participants",
    auth=WRITE_AUTH,
    response={201: ParticipantOut, **PROJECT_WRITE_ERRORS, 409: ErrorOut},
)
def participant_add(request: HttpRequest, pk: Id, payload: ParticipantIn) -> HttpResponse:
    """Add an organisation with an IATI role (1 funding, 2 accountable, 3 extending, 4 implementing)."""
    actor, project, version = _writable(request, pk)
    organisation = required_organisation(payload.organisation, "organisation")
    row = services.project_participant_add(
        actor=actor, project=project, expected_version=version, organisation=organisation, role=payload.role
    )
    data = {
        "organisation": organisation.slug,
        "organisation_name": organisation.name,
        "role": row.role,
        "role_name": str(row.get_role_display()),
    }
    return respond(request, ParticipantOut.model_validate(data).model_dump(mode="json"), status=201)


@router.post("/projects/{pk}/documents", auth=WRITE_AUTH, response={201: DocumentOut, **PROJECT_WRITE_ERRORS})
def document_add(
    request: HttpRequest,
    pk: Id,
    file: File[UploadedFile],
    title: Form[str],
    category: Form[str] = "",
    is_public: Form[bool] = False,
) -> HttpResponse:
    """Attach a document (multipart: `file` as PDF, DOCX or ODT, at most 20 MB, the type read from the content;
    `title`; an IATI document `category` such as A02; `is_public`)."""
    actor, project, version = _writable(request, pk)
    document = services.project_document_add(
        actor=actor,
        project=project,
        expected_version=version,
        upload=file,
        title=title,
        category=category,
        is_public=is_public,
    )
    return respond(request, render_document(document), status=201)
