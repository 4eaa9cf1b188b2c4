"""Helpers shared by the Joint Working Group API tests (their fixtures are in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

from bakuhub.core.models import AuditRecord
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
    WorkingGroupMember,
)

W = "/api/v1/working-groups"
TODAY = timezone.localdate()


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def rows():
    """Everything a JWG write could leave behind, to prove a refused write left nothing."""
    models = (
        WorkingGroup,
        WorkingGroupMember,
        Meeting,
        AgendaItem,
        Attendance,
        MeetingAttachment,
        Decision,
        ActionItem,
    )
    return {m.__name__: m.objects.count() for m in models} | {"audit": AuditRecord.objects.count()}


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []
