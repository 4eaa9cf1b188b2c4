from __future__ import annotations

from django.contrib import admin

from bakuhub.core.admin_audit import ReadOnlyAdmin

from .models import Commitment, CommitmentEvent


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    """Read-only: commitments move forward with evidence through the portal or the API."""

    list_display = ("title", "committer", "kind", "amount", "currency", "status", "announced_on", "is_public")
    list_filter = ("status", "kind", "is_public")


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnlyAdmin):
    list_display = ("commitment", "from_status", "to_status", "occurred_on")
