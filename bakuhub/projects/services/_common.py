"""Shared by the project services: permission checks, collected field errors, row locks and versioned audit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import check_version
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.validation import optional_text, optional_url
from bakuhub.projects.models import Project
from bakuhub.projects.permissions import can

SOURCE_LIMITS = {"source_title": 300, "source_publisher": 200, "source_quote": 5000, "fact_id": 10}
SOURCE_FIELDS = [*SOURCE_LIMITS, "source_url"]


class Errors:
    """Collects field errors so one refusal names every problem; raises nothing until `raise_if_any`."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.messages: list[str] = []

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)
        self.messages.append(message)

    def merge(self, failure: ValidationFailed) -> None:
        self.messages.append(failure.message)
        for field, messages in (failure.errors or {"__all__": [failure.message]}).items():
            self.errors.setdefault(field, []).extend(messages)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(" ".join(self.messages), errors=self.errors)


def require(actor: User | None, action: str, project: Project, what: str) -> None:
    """actor None is the system (imports, demo data); anyone else needs the project rule `action`."""
    if actor is not None and not can(actor, action, project):
        raise PermissionDenied(f"You may not {what} {project.identifier}.")


def clean_sources(data: dict[str, Any], errors: Errors) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, limit in SOURCE_LIMITS.items():
        if key in data:
            try:
                clean[key] = optional_text(data[key], key, max_length=limit)
            except ValidationFailed as failure:
                errors.merge(failure)
    if "source_url" in data:
        try:
            clean["source_url"] = optional_url(data["source_url"], "source_url")
        except ValidationFailed as failure:
            errors.merge(failure)
    return clean


def lock(project: Project, expected_version: int | None = None) -> Project:
    """The project's row, locked for this transaction (SQLite's IMMEDIATE transactions serialise writers), checked
    against `expected_version` (the version the client read; None: unchecked) — stale → PreconditionFailed."""
    current = Project.objects.select_for_update().get(pk=project.pk)
    check_version(current, expected_version, what=gettext("project"))
    return current


def sync(target: Project, source: Project) -> None:
    """Copy the saved column values onto the caller's instance, so it shows the new state and version."""
    for field in Project._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def save_versioned(
    *,
    actor: User | None,
    project: Project,
    action: str,
    changes: dict[str, list[Any]],
    fields: list[str] | None = None,
    caller: Project | None = None,
) -> None:
    """Bump the version, save `fields` and record `changes` (+ "version": [old, new]) on the project's audit trail.

    Every write to a project or one of its parts goes through here, so the audit trail tells which fields changed
    after a given version (see `project_update`'s precondition check).
    """
    old = project.version
    project.version = old + 1
    project.save(update_fields=[*(fields or []), "version", "updated_at"])
    audit.record(actor=actor, action=action, obj=project, changes={**changes, "version": [old, project.version]})
    if caller is not None and caller is not project:
        sync(caller, project)
