"""Project writes: create, edit (optimistic concurrency), move through the phases, participants, documents."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit, concurrency
from bakuhub.core.codelists import codelist, organisation_identifier_problem
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document, original_name, store_checked
from bakuhub.core.models import Country
from bakuhub.core.validation import boolean, normalised_text, required_text
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Project, ProjectDocument, ProjectParticipant, Screening
from bakuhub.projects.permissions import can_create_project
from bakuhub.working_groups.models import WorkingGroup

from ._common import SOURCE_FIELDS, Errors, clean_sources, lock, require, save_versioned

LANGUAGES = ("en", "fr", "pt", "ar")
TITLE_MAX, DESCRIPTION_MAX, IDENTIFIER_MAX = 300, 10000, 150
PROJECT_FIELDS = [
    "identifier",
    "titles",
    "descriptions",
    "country",
    "lead_organisation",
    "phase",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "working_group",
    "is_public",
    "is_demo",
    "source_title",
    "source_publisher",
    "source_url",
    "source_quote",
    "fact_id",
]
EDITABLE = (
    "titles",
    "descriptions",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "working_group",
    "is_public",
    "source_title",
    "source_publisher",
    "source_url",
    "source_quote",
    "fact_id",
)
_IDENTIFIER_CHARS = re.compile(r"^[A-Za-z0-9_:.\-]+\Z")

Phase = Project.Phase
NEXT_PHASE: dict[str, str] = {
    Phase.CONCEPT: Phase.APPRAISAL,
    Phase.APPRAISAL: Phase.APPROVED,
    Phase.APPROVED: Phase.IMPLEMENTING,
    Phase.IMPLEMENTING: Phase.COMPLETED,
    Phase.COMPLETED: Phase.CLOSED,
}
CANCELLABLE = frozenset({Phase.CONCEPT, Phase.APPRAISAL, Phase.APPROVED, Phase.IMPLEMENTING})
ENTRY_PHASES = frozenset({Phase.CONCEPT, Phase.APPRAISAL})


def allowed_next_phases(phase: str) -> list[str]:
    allowed = [NEXT_PHASE[phase]] if phase in NEXT_PHASE else []
    if phase in CANCELLABLE:
        allowed.append(Phase.CANCELLED)
    return allowed


# --- checks -------------------------------------------------------------------------------------------------


def identifier_problem(identifier: str, lead_organisation: Organisation | None) -> str | None:
    """Why `identifier` is not an IATI activity identifier `{org-id}-{local}` for this lead, or None."""
    if not isinstance(identifier, str) or not identifier:
        return "The identifier is required, e.g. XM-DAC-47066-TD-2025-01."
    if identifier != identifier.strip() or " " in identifier:
        return "The identifier must not contain spaces."
    if len(identifier) > IDENTIFIER_MAX:
        return f"At most {IDENTIFIER_MAX} characters (got {len(identifier)})."
    if not _IDENTIFIER_CHARS.match(identifier):
        return "Use only letters, digits, '-', '_', ':' and '.' (no spaces or slashes)."
    org_id = lead_organisation.iati_identifier if lead_organisation is not None else None
    if org_id:
        if not identifier.startswith(f"{org_id}-") or len(identifier) == len(org_id) + 1:
            return (
                f"The identifier must be the lead organisation's IATI identifier, '-' and a local id "
                f"(e.g. {org_id}-TD-2025-01)."
            )
        return None
    parts = identifier.split("-")
    for cut in range(len(parts) - 1, 0, -1):
        org, local = "-".join(parts[:cut]), "-".join(parts[cut:])
        if local and organisation_identifier_problem(org) is None:
            return None
    return "Expected '{organisation identifier}-{local id}', for example XM-DAC-47066-TD-2025-01."


def _languages(value: Any, field: str, *, limit: int, required: bool, errors: Errors) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        errors.add(field, f"{field} maps a language (en, fr, pt, ar) to a text.")
        return {}
    clean: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            errors.add(field, f"'{lang}' is not a language of the Hub; use en, fr, pt or ar.")
            continue
        if not isinstance(text, str):
            errors.add(field, f"The {lang} text must be a string.")
            continue
        try:
            text = normalised_text(text, f"{field[:-1]} ({lang})", multiline=field == "descriptions")
        except ValidationFailed as failure:
            errors.add(field, failure.message)
            continue
        if len(text) > limit:
            errors.add(field, f"The {lang} text has {len(text)} characters; at most {limit}.")
        elif text:
            clean[lang] = text
    if required and not clean and field not in errors.errors:
        errors.add(field, f"Give the {field[:-1]} in at least one of en, fr, pt, ar.")
    return clean


def _date(value: Any, field: str, errors: Errors) -> dt.date | None:
    if value is None:
        return None
    try:
        return plausible_date(value, field)
    except ValidationFailed as failure:
        errors.merge(failure)
        return None


def _date_order(start: dt.date | None, end: dt.date | None, fields: tuple[str, str], errors: Errors) -> None:
    if start is not None and end is not None and end < start:
        errors.add(fields[1], f"{fields[1]} ({end.isoformat()}) is before {fields[0]} ({start.isoformat()}).")


def _working_group(value: Any, country: Country | None, errors: Errors) -> WorkingGroup | None:
    if value is None:
        return None
    if not isinstance(value, WorkingGroup):
        errors.add("working_group", "Unknown Joint Working Group.")
        return None
    if country is not None and value.country_id != country.pk:
        errors.add("working_group", f"{value.name} is not the Joint Working Group of {country.name_en}.")
    return value


def _not_future(value: dt.date | None, field: str, errors: Errors) -> None:
    if value is not None and value > timezone.localdate():
        errors.add(field, f"{field} {value.isoformat()} is in the future; record it once it has happened.")


# --- create / update ----------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User | None,
    country: Country,
    identifier: str,
    titles: dict[str, str],
    lead_organisation: Organisation | None = None,
    descriptions: dict[str, str] | None = None,
    phase: str = Project.Phase.CONCEPT,
    planned_start: dt.date | None = None,
    planned_end: dt.date | None = None,
    working_group: WorkingGroup | None = None,
    is_public: bool = True,
    is_demo: bool = False,
    **source: str,
) -> Project:
    """A new project; its lead organisation becomes the accountable participant (IATI role 2).

    People start projects in concept or appraisal; later phases are reached with `project_phase_advance`, which
    checks the screening. The system (actor None, e.g. demo data) may create a project in any phase.
    """
    if not isinstance(country, Country):
        raise ValidationFailed("Unknown country.", errors={"country": ["Unknown country."]})
    if lead_organisation is not None and not isinstance(lead_organisation, Organisation):
        raise ValidationFailed("Unknown organisation.", errors={"lead_organisation": ["Unknown organisation."]})
    if actor is not None and not can_create_project(actor, country=country, lead_organisation=lead_organisation):
        raise PermissionDenied(f"You may not create projects in {country.name_en}.")
    errors = Errors()
    problem = identifier_problem(identifier, lead_organisation)
    if problem:
        errors.add("identifier", problem)
    clean_titles = _languages(titles, "titles", limit=TITLE_MAX, required=True, errors=errors)
    clean_descriptions = _languages(descriptions, "descriptions", limit=DESCRIPTION_MAX, required=False, errors=errors)
    allowed_phases = set(Project.Phase.values) if actor is None else ENTRY_PHASES
    if phase not in allowed_phases:
        errors.add("phase", f"A new project starts in one of: {', '.join(sorted(allowed_phases))} (got '{phase}').")
    start = _date(planned_start, "planned_start", errors)
    end = _date(planned_end, "planned_end", errors)
    _date_order(start, end, ("planned_start", "planned_end"), errors)
    group = _working_group(working_group, country, errors)
    unknown = sorted(set(source) - set(SOURCE_FIELDS))
    for key in unknown:
        errors.add(key, "Unknown field.")
    sources = clean_sources(source, errors)
    errors.raise_if_any()
    if Project.objects.filter(identifier=identifier).exists():
        raise Conflict(f"A project with the identifier {identifier} already exists.", errors={"identifier": ["Taken."]})
    project = Project.objects.create(
        identifier=identifier,
        titles=clean_titles,
        descriptions=clean_descriptions,
        country=country,
        lead_organisation=lead_organisation,
        phase=phase,
        planned_start=start,
        planned_end=end,
        working_group=group,
        is_public=boolean(is_public, "is_public"),
        is_demo=bool(is_demo),
        **sources,
    )
    audit.record_create(actor=actor, obj=project, fields=PROJECT_FIELDS)
    if lead_organisation is not None:
        participant = ProjectParticipant.objects.create(
            project=project, organisation=lead_organisation, role=ProjectParticipant.Role.ACCOUNTABLE
        )
        audit.record_create(actor=actor, obj=participant, fields=["project", "organisation", "role"])
    return project


def changed_since(project: Project, version: int) -> list[str]:
    """The fields changed by every edit after `version`, read from the project's audit trail."""
    return concurrency.changed_since(project, version)


@transaction.atomic
def project_update(
    *, actor: User | None, project: Project, expected_version: int | None = None, **fields: Any
) -> Project:
    """Edit the whitelisted fields. With `expected_version` (the version the client loaded), a stale save is
    refused with PreconditionFailed naming the fields changed since; every successful edit bumps the version."""
    require(actor, "change_project", project, "edit")
    current = lock(project, expected_version)
    errors = Errors()
    for key in sorted(set(fields) - set(EDITABLE)):
        errors.add(key, "This field cannot be changed here." if hasattr(current, key) else "Unknown field.")
    clean: dict[str, Any] = {}
    if "titles" in fields:
        clean["titles"] = _languages(fields["titles"], "titles", limit=TITLE_MAX, required=True, errors=errors)
    if "descriptions" in fields:
        clean["descriptions"] = _languages(
            fields["descriptions"], "descriptions", limit=DESCRIPTION_MAX, required=False, errors=errors
        )
    for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if name in fields:
            clean[name] = _date(fields[name], name, errors)
    for name in ("actual_start", "actual_end"):
        if name in fields:
            _not_future(clean[name], name, errors)
    if "working_group" in fields:
        clean["working_group"] = _working_group(fields["working_group"], current.country, errors)
    if "is_public" in fields:
        if not isinstance(fields["is_public"], bool):
            errors.add("is_public", "is_public must be true or false.")
        clean["is_public"] = bool(fields["is_public"])
    clean.update(clean_sources({k: v for k, v in fields.items() if k in SOURCE_FIELDS}, errors))

    def merged(name: str) -> Any:
        return clean[name] if name in clean else getattr(current, name)

    _date_order(merged("planned_start"), merged("planned_end"), ("planned_start", "planned_end"), errors)
    _date_order(merged("actual_start"), merged("actual_end"), ("actual_start", "actual_end"), errors)
    errors.raise_if_any()
    before = audit.snapshot(current, PROJECT_FIELDS)
    for name, value in clean.items():
        setattr(current, name, value)
    changes = audit.diff(before, audit.snapshot(current, PROJECT_FIELDS))
    if changes:
        save_versioned(
            actor=actor, project=current, action="project.update", changes=changes, fields=list(clean), caller=project
        )
    return project


# --- phases -------------------------------------------------------------------------------------------------


def approval_problems(project: Project) -> dict[str, list[str]]:
    """What stops `project` from being approved (empty when nothing does)."""
    problems: dict[str, list[str]] = {}
    screening = Screening.objects.filter(project=project).first()
    if screening is None or not screening.is_complete:
        problems["screening"] = [
            "The do-no-harm / conflict-sensitivity screening is not complete; complete it before approval."
        ]
    if not project.sectors.exists():
        problems["sectors"] = ["Set at least one DAC sector (percentages summing to 100) before approval."]
    if project.nexus_assessed_on is None:
        problems["nexus"] = ["Assess the nexus profile (climate, peace, migration) before approval."]
    else:
        missing = [
            dimension
            for dimension in ("climate", "peace", "migration")
            if getattr(project, f"{dimension}_score") == 2 and not getattr(project, f"{dimension}_justification")
        ]
        if missing:
            problems["nexus"] = [f"Justify the principal (2) score for: {', '.join(missing)}."]
    return problems


@transaction.atomic
def project_phase_advance(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    to_phase: str,
    on_date: dt.date | None = None,
) -> Project:
    """concept → appraisal → approved → implementing → completed → closed; cancelled from any phase before
    completed. Approval needs a complete screening, sectors and a justified nexus profile, and the right to screen
    (secretariat or the country's focal point). implementing sets actual_start, completed sets actual_end."""
    current = lock(project, expected_version)
    action = "screen_project" if to_phase == Phase.APPROVED else "change_project"
    require(actor, action, current, "approve" if to_phase == Phase.APPROVED else "change the phase of")
    allowed = allowed_next_phases(current.phase)
    if to_phase not in allowed:
        listed = ", ".join(allowed) if allowed else "none (it is final)"
        msg = f"A project in {current.phase} cannot move to {to_phase}; allowed next phases: {listed}."
        raise ValidationFailed(msg, errors={"to_phase": [msg]})
    errors = Errors()
    day = _date(on_date, "on_date", errors) or timezone.localdate()
    _not_future(day, "on_date", errors)
    errors.raise_if_any()
    if to_phase == Phase.APPROVED:
        problems = approval_problems(current)
        if problems:
            messages = [m for msgs in problems.values() for m in msgs]
            raise ValidationFailed("The project cannot be approved yet: " + " ".join(messages), errors=problems)
    before = audit.snapshot(current, ["phase", "actual_start", "actual_end"])
    current.phase = to_phase
    if to_phase == Phase.IMPLEMENTING and current.actual_start is None:
        current.actual_start = day
    if to_phase == Phase.COMPLETED and current.actual_end is None:
        if current.actual_start is not None and day < current.actual_start:
            msg = f"The end date {day.isoformat()} is before the actual start {current.actual_start.isoformat()}."
            raise ValidationFailed(msg, errors={"on_date": [msg]})
        current.actual_end = day
    changes = audit.diff(before, audit.snapshot(current, ["phase", "actual_start", "actual_end"]))
    save_versioned(
        actor=actor,
        project=current,
        action="project.phase_advance",
        changes=changes,
        fields=["phase", "actual_start", "actual_end"],
        caller=project,
    )
    return project


# --- participants -------------------------------------------------------------------------------------------


def _role(role: Any) -> str:
    code = str(role).strip() if role is not None else ""
    if code not in ProjectParticipant.Role.values:
        names = ", ".join(f"{c} {label}" for c, label in ProjectParticipant.Role.choices)
        msg = f"'{code}' is not an IATI organisation role; use one of: {names}."
        raise ValidationFailed(msg, errors={"role": [msg]})
    return code


def _forget_participants(project: Project) -> None:
    if hasattr(project, "_participant_ids"):
        del project._participant_ids


@transaction.atomic
def project_participant_add(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    organisation: Organisation,
    role: str | int,
) -> ProjectParticipant:
    require(actor, "change_project", project, "change the organisations of")
    code = _role(role)
    if not isinstance(organisation, Organisation):
        raise ValidationFailed("Unknown organisation.", errors={"organisation": ["Unknown organisation."]})
    current = lock(project, expected_version)
    if ProjectParticipant.objects.filter(project=current, organisation=organisation, role=code).exists():
        msg = _("%(organisation)s already takes part in %(project)s with the role %(role)s.") % {
            "organisation": organisation,
            "project": current.identifier,
            "role": ProjectParticipant.Role(code).label,
        }
        raise Conflict(msg)
    participant = ProjectParticipant.objects.create(project=current, organisation=organisation, role=code)
    save_versioned(
        actor=actor,
        project=current,
        action="project.participant_add",
        changes={"participants": [None, [organisation.pk, code]]},
        caller=project,
    )
    _forget_participants(project)
    return participant


@transaction.atomic
def project_participant_remove(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    organisation: Organisation,
    role: str | int,
) -> None:
    """Remove one role of an organisation; the last accountable organisation is never removed."""
    require(actor, "change_project", project, "change the organisations of")
    code = _role(role)
    current = lock(project, expected_version)
    row = ProjectParticipant.objects.filter(project=current, organisation=organisation, role=code).first()
    if row is None:
        raise NotFound(f"{organisation} has no such role in {current.identifier}.")
    if (
        code == ProjectParticipant.Role.ACCOUNTABLE
        and not ProjectParticipant.objects.filter(project=current, role=code).exclude(pk=row.pk).exists()
    ):
        msg = f"{organisation} is the last accountable organisation of {current.identifier}; add another one first."
        raise ValidationFailed(msg, errors={"role": [msg]})
    row.delete()
    save_versioned(
        actor=actor,
        project=current,
        action="project.participant_remove",
        changes={"participants": [[organisation.pk, code], None]},
        caller=project,
    )
    _forget_participants(project)


# --- documents ----------------------------------------------------------------------------------------------


@transaction.atomic
def project_document_add(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    upload: Upload,
    title: str,
    category: str = "",
    is_public: bool = False,
) -> ProjectDocument:
    """Attach a PDF/DOCX/ODT (type read from the content, size limited) with an IATI DocumentCategory."""
    require(actor, "change_project", project, "add documents to")
    errors = Errors()
    clean_title = ""
    try:
        clean_title = required_text(title, "title", max_length=300)
    except ValidationFailed as failure:
        errors.merge(failure)
    category = (category or "").strip().upper()
    row = codelist("DocumentCategory").get(category) if category else None
    if category and (row is None or row["status"] != "active"):
        errors.add("category", f"'{category}' is not an IATI document category (e.g. A02 Objectives, A05 Budget).")
    try:
        checked = check_document(upload, max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES)
    except ValidationFailed as failure:
        errors.merge(failure)
    errors.raise_if_any()
    current = lock(project, expected_version)
    if current.documents.filter(sha256=checked.sha256).exists():
        msg = _("This file is already attached to the project; it was not stored again.")
        raise Conflict(msg, errors={"file": [msg]})
    document = ProjectDocument(
        project=current,
        title=clean_title,
        original_name=original_name(upload),
        mime_type=checked.mime,
        size_bytes=checked.size,
        sha256=checked.sha256,
        category=category,
        is_public=boolean(is_public, "is_public"),
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    store_checked(document.file, upload, checked)
    try:
        document.save()
        save_versioned(
            actor=actor,
            project=current,
            action="project.document_add",
            changes={"documents": [None, {"id": document.pk, "title": clean_title, "category": category}]},
            caller=project,
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document
