"""Append-only audit trail: every service write calls `record`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditRecord
from .request_context import current_request_id

if TYPE_CHECKING:
    from bakuhub.accounts.models import User


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value) if isinstance(value, set) else [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The plain (JSON-ready) values of `fields`; foreign keys are read by their id without a query."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _plain(getattr(obj, attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditRecord:
    label = obj._meta.label_lower
    return AuditRecord.objects.create(
        request_id=current_request_id(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None and actor.pk else "system"),
        action=action,
        object_type=label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )


def record_event(
    *,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: dict[str, list[Any]] | None = None,
    actor: User | None = None,
) -> AuditRecord:
    """An event about something that has no row of its own (a client address, a username that was tried)."""
    return AuditRecord.objects.create(
        request_id=current_request_id(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None and actor.pk else "system"),
        action=action,
        object_type=object_type[:100],
        object_id=object_id[:64],
        object_repr=object_repr[:300],
        changes=changes or {},
    )


def record_create(*, actor: User | None, obj: models.Model, fields: list[str], action: str = "") -> AuditRecord:
    after = snapshot(obj, fields)
    return record(
        actor=actor,
        action=action or f"{obj._meta.model_name}.create",
        obj=obj,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "", [])},
    )
