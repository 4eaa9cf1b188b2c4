"""Optimistic concurrency for rows with a `version` column.

A client reads a record and its version (the API puts it in the ETag); its write names that version as
`expected_version`. The service locks the row inside its transaction (`select_for_update`; on SQLite the IMMEDIATE
transaction already holds the write lock), reloads it, and refuses the write with PreconditionFailed when the version
moved on. Every successful write bumps the version and records `"version": [old, new]` in its audit record, so a
refusal can name the fields changed since.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import PreconditionFailed
from .models import AuditRecord

M = TypeVar("M", bound=models.Model)


def changed_since(obj: models.Model, version: int) -> list[str]:
    """The fields changed by every versioned write after `version`, read from `obj`'s audit trail."""
    fields: set[str] = set()
    records = AuditRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    for changes in records.values_list("changes", flat=True):
        bump = changes.get("version") if isinstance(changes, dict) else None
        if isinstance(bump, list) and len(bump) == 2 and isinstance(bump[0], int) and bump[0] >= version:
            fields.update(key for key in changes if key != "version")
    return sorted(fields)


def check_version(obj: models.Model, expected_version: int | None, *, what: str = "") -> None:
    """Refuse a write that names an older (or unknown) version of `obj`; None means the client named none."""
    if expected_version is None:
        return
    current: int = getattr(obj, "version")  # noqa: B009 - every versioned model has the column
    if expected_version == current:
        return
    label = what or str(obj._meta.verbose_name)
    changed = changed_since(obj, expected_version) if expected_version < current else []
    if changed:
        message = _(
            "The %(what)s changed since you read it (changed: %(fields)s); reload it and apply your change again."
        ) % {"what": label, "fields": ", ".join(changed)}
    else:
        message = _("The %(what)s changed since you read it; reload it and apply your change again.") % {"what": label}
    raise PreconditionFailed(
        message, errors={name: [_("Changed since version %(v)s.") % {"v": expected_version}] for name in changed}
    )


def lock_fresh(obj: M, expected_version: int | None = None, *, what: str = "") -> M:
    """Lock `obj`'s row for the current transaction, reload `obj` from it and check `expected_version`.

    Call it first thing inside the service's transaction: everything after reads the row as it is now, and no
    other writer can change it before this transaction ends.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_fresh must run inside a transaction")
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    check_version(obj, expected_version, what=what)
    return obj


def bump(obj: models.Model) -> list[int]:
    """Move `obj` to its next version (the caller saves it); returns the audit change `[old, new]`."""
    old: int = getattr(obj, "version")  # noqa: B009
    setattr(obj, "version", old + 1)  # noqa: B010
    return [old, old + 1]


def bump_saved(obj: models.Model, changes: dict[str, list[object]]) -> dict[str, list[object]]:
    """After a saved write whose audit `changes` are not empty, move `obj` to its next version in the database too
    and add `"version": [old, new]` to `changes` (returned, for the audit record). No change, no new version."""
    if changes:
        changes["version"] = list(bump(obj))
        type(obj)._base_manager.filter(pk=obj.pk).update(version=getattr(obj, "version"))  # noqa: B009
    return changes
