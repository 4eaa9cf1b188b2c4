"""Membership writes: record where a country is, and move it along the lifecycle with evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document
from bakuhub.core.models import Country
from bakuhub.partners import lifecycle
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import Membership, MembershipEvent
from bakuhub.partners.models.base import DatePrecision
from bakuhub.partners.permissions import can

from .checks import not_in_future, optional_text, optional_url, required_text

MEMBERSHIP_FIELDS = ["country", "stage", "paused_from", "stage_since", "stage_since_precision", "is_public"]
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


def _precision(value: str) -> str:
    if value not in DatePrecision.values:
        msg = f"'{value}' is not a date precision. Use one of: {', '.join(DatePrecision.values)}."
        raise ValidationFailed(msg, errors={"date_precision": [msg]})
    return value


def _evidence(*, source_title: str, source_url: str, document: Upload | None, max_bytes: int) -> tuple[str, str]:
    title = required_text(source_title, "source_title", max_length=300)
    url = optional_url(source_url, "source_url")
    if not url and document is None:
        msg = "Give the evidence as a source URL, an uploaded document, or both."
        raise ValidationFailed(msg, errors={"source_url": [msg]})
    if document is not None:
        check_document(document, max_bytes=max_bytes, field="evidence_document")
    return title, url


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
    title, url = _evidence(
        source_title=source_title,
        source_url=source_url,
        document=document,
        max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES,
    )
    not_in_future(occurred_on, "occurred_on")
    membership = Membership.objects.create(
        country=country,
        stage=target,
        stage_since=occurred_on,
        stage_since_precision=_precision(date_precision),
        is_public=is_public,
        is_demo=is_demo,
    )
    event = MembershipEvent.objects.create(
        membership=membership,
        from_stage="",
        to_stage=target,
        occurred_on=occurred_on,
        date_precision=_precision(date_precision),
        source_title=title,
        source_url=url,
        evidence_document=document or "",
        note=optional_text(note, "note", max_length=5000),
        actor=actor,
        is_demo=is_demo,
        **source,
    )
    audit.record_create(actor=actor, obj=membership, fields=MEMBERSHIP_FIELDS)
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
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
    **source: str,
) -> MembershipEvent:
    """Move a membership one allowed step, with dated evidence. Refuses skips and backward moves."""
    if actor is not None and not can(actor, "advance_membership", membership):
        raise PermissionDenied(f"You may not change the membership of {membership.country.name_en}.")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    current = Stage(locked.stage)
    paused_from = Stage(locked.paused_from) if locked.paused_from else None
    target = _stage(to_stage)
    allowed = lifecycle.allowed_next(current, paused_from)
    if target not in allowed:
        names = ", ".join(s.value for s in allowed)
        country = membership.country.name_en
        msg = f"{country} cannot move from '{current.value}' to '{target.value}'. Allowed next: {names}."
        raise StageTransitionNotAllowed(msg, errors={"to_stage": [f"Allowed next: {names}."]})
    not_in_future(occurred_on, "occurred_on")
    if occurred_on < locked.stage_since:
        msg = f"The step is dated {occurred_on}, before the current stage began ({locked.stage_since})."
        raise ValidationFailed(msg, errors={"occurred_on": [msg]})
    title, url = _evidence(
        source_title=source_title,
        source_url=source_url,
        document=document,
        max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES,
    )
    before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
    locked.paused_from = lifecycle.paused_from_after(current, target, paused_from) or ""
    locked.stage = target
    locked.stage_since = occurred_on
    locked.stage_since_precision = _precision(date_precision)
    locked.save(update_fields=["stage", "paused_from", "stage_since", "stage_since_precision", "updated_at"])
    event = MembershipEvent.objects.create(
        membership=locked,
        from_stage=current,
        to_stage=target,
        occurred_on=occurred_on,
        date_precision=_precision(date_precision),
        source_title=title,
        source_url=url,
        evidence_document=document or "",
        note=optional_text(note, "note", max_length=5000),
        actor=actor,
        is_demo=is_demo,
        **source,
    )
    audit.record(
        actor=actor,
        action="membership.advance",
        obj=locked,
        changes=audit.diff(before, audit.snapshot(locked, MEMBERSHIP_FIELDS)),
    )
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
    membership.refresh_from_db()
    return event
