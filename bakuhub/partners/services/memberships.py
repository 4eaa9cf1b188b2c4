"""Membership writes: record where a country is, and move it along the lifecycle with evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump, check_version
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document, original_name
from bakuhub.core.models import Country
from bakuhub.core.validation import date_precision as checked_precision
from bakuhub.core.validation import not_in_future, optional_text, optional_url, required_text
from bakuhub.partners import lifecycle
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import Membership, MembershipEvent
from bakuhub.partners.permissions import can

MEMBERSHIP_FIELDS = ["country", "stage", "paused_from", "stage_since", "stage_since_precision", "is_public"]
EXTRA_SOURCE_LIMITS = {"source_publisher": 200, "source_quote": 5000, "fact_id": 10}
EVENT_FIELDS = ["from_stage", "to_stage", "occurred_on", "date_precision", "source_title", "source_url", "note"]


class StageTransitionNotAllowed(ValidationFailed):
    code = "stage_transition_not_allowed"


def _stage(value: str, field: str = "to_stage") -> Stage:
    try:
        return Stage(value)
    except ValueError:
        options = ", ".join(s.value for s in Stage)
        msg = f"'{value}' is not a stage. Stages: {options}."
        raise ValidationFailed(msg, errors={field: [msg]}) from None


def _evidence(
    *,
    occurred_on: dt.date,
    date_precision: str,
    source_title: str,
    source_url: str,
    document: Upload | None,
    note: str,
    source: dict[str, str],
) -> dict[str, Any]:
    """Check a step's date and evidence; return the MembershipEvent fields. Raises before anything is written."""
    unknown = sorted(set(source) - set(EXTRA_SOURCE_LIMITS))
    if unknown:
        raise ValidationFailed(f"Unknown evidence field(s): {', '.join(unknown)}.")
    fields: dict[str, Any] = {
        "occurred_on": not_in_future(occurred_on, "occurred_on"),
        "date_precision": checked_precision(date_precision),
        "source_title": required_text(source_title, "source_title", max_length=300),
        "source_url": optional_url(source_url, "source_url"),
        "note": optional_text(note, "note", max_length=5000),
        "evidence_document": "",
    }
    for key, limit in EXTRA_SOURCE_LIMITS.items():
        fields[key] = optional_text(source.get(key), key, max_length=limit)
    if not fields["source_url"] and document is None:
        msg = "Give the evidence as a source URL, an uploaded document, or both."
        raise ValidationFailed(msg, errors={"source_url": [msg]})
    if document is not None:
        checked = check_document(document, max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES, field="evidence_document")
        fields["evidence_document"] = File(document, name=f"upload.{checked.extension}")  # named at random on save
        fields["evidence_original_name"] = original_name(document)
    return fields


def _record_event(
    *,
    membership: Membership,
    from_stage: str,
    to_stage: str,
    actor: User | None,
    is_demo: bool,
    evidence: dict[str, Any],
) -> MembershipEvent:
    event = MembershipEvent.objects.create(
        membership=membership, from_stage=from_stage, to_stage=to_stage, actor=actor, is_demo=is_demo, **evidence
    )
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
    return event


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    country: Country,
    stage: str,
    occurred_on: dt.date,
    source_title: str,
    source_url: str = "",
    document: Upload | None = None,
    date_precision: str = "day",
    note: str = "",
    is_public: bool = True,
    is_demo: bool = False,
    **source: str,
) -> Membership:
    """Record a country's membership at the stage the Hub finds it in, with the evidence for that stage."""
    if actor is not None and not can(actor, "create_membership", country):
        raise PermissionDenied(f"You may not record a membership for {country.name_en}.")
    if Membership.objects.filter(country=country).exists():
        raise Conflict(f"{country.name_en} already has a membership; record a transition instead.")
    target = _stage(stage, "stage")
    if target in (Stage.PAUSED, Stage.WITHDRAWN):
        msg = "A membership starts at an active stage."
        raise ValidationFailed(msg, errors={"stage": [msg]})
    evidence = _evidence(
        occurred_on=occurred_on,
        date_precision=date_precision,
        source_title=source_title,
        source_url=source_url,
        document=document,
        note=note,
        source=source,
    )
    membership = Membership.objects.create(
        country=country,
        stage=target,
        stage_since=occurred_on,
        stage_since_precision=evidence["date_precision"],
        is_public=is_public,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=membership, fields=MEMBERSHIP_FIELDS)
    _record_event(
        membership=membership, from_stage="", to_stage=target, actor=actor, is_demo=is_demo, evidence=evidence
    )
    return membership


@transaction.atomic
def membership_advance(
    *,
    actor: User | None,
    membership: Membership,
    to_stage: str,
    occurred_on: dt.date,
    source_title: str,
    source_url: str = "",
    document: Upload | None = None,
    date_precision: str = "day",
    note: str = "",
    is_demo: bool = False,
    expected_version: int | None = None,
    **source: str,
) -> MembershipEvent:
    """Move a membership one allowed step, with dated evidence. Refuses skips and backward moves, and a stale
    `expected_version` (the version the client read) with 412."""
    if actor is not None and not can(actor, "advance_membership", membership):
        raise PermissionDenied(f"You may not change the membership of {membership.country.name_en}.")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    check_version(locked, expected_version, what=gettext("membership"))
    current = Stage(locked.stage)
    paused_from = Stage(locked.paused_from) if locked.paused_from else None
    target = _stage(to_stage)
    allowed = lifecycle.allowed_next(current, paused_from)
    if target not in allowed:
        names = ", ".join(s.value for s in allowed)
        country = membership.country.name_en
        msg = f"{country} cannot move from '{current.value}' to '{target.value}'. Allowed next: {names}."
        raise StageTransitionNotAllowed(msg, errors={"to_stage": [f"Allowed next: {names}."]})
    evidence = _evidence(
        occurred_on=occurred_on,
        date_precision=date_precision,
        source_title=source_title,
        source_url=source_url,
        document=document,
        note=note,
        source=source,
    )
    if occurred_on < locked.stage_since:
        msg = f"The step is dated {occurred_on}, before the current stage began ({locked.stage_since})."
        raise ValidationFailed(msg, errors={"occurred_on": [msg]})
    before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
    locked.paused_from = lifecycle.paused_from_after(current, target, paused_from) or ""
    locked.stage = target
    locked.stage_since = occurred_on
    locked.stage_since_precision = evidence["date_precision"]
    version = bump(locked)
    locked.save(update_fields=["stage", "paused_from", "stage_since", "stage_since_precision", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="membership.advance",
        obj=locked,
        changes={**audit.diff(before, audit.snapshot(locked, MEMBERSHIP_FIELDS)), "version": version},
    )
    event = _record_event(
        membership=locked, from_stage=current, to_stage=target, actor=actor, is_demo=is_demo, evidence=evidence
    )
    membership.refresh_from_db()
    return event
