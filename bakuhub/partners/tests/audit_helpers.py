"""Shared by the partner service tests: evidence for a stage change, a request id, the last audit record."""

from __future__ import annotations

from contextlib import contextmanager

from bakuhub.core.models import AuditRecord
from bakuhub.core.request_context import request_id_var

EVIDENCE = {"source_title": "Letter", "source_url": "https://example.org/letter"}


@contextmanager
def request_id(value):
    token = request_id_var.set(value)
    try:
        yield
    finally:
        request_id_var.reset(token)


def last_audit(action):
    record = AuditRecord.objects.filter(action=action).order_by("-id").first()
    assert record is not None, f"no audit record for {action}"
    return record


def created(**values):
    """The changes of a create: every field from None to its value."""
    return {field: [None, value] for field, value in values.items()}


def audit_of(obj, action):
    record = last_audit(action)
    assert (record.object_type, record.object_id) == (obj._meta.label_lower, str(obj.pk))
    return record
