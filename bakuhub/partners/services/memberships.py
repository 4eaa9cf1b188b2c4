"""Membership writes: record where a country is, record its dated milestones (in any order, with evidence), and
pause, resume, withdraw or restart it. The shown stage is derived from the milestones (`partners.lifecycle`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump, check_version
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document, original_name
from bakuhub.core.models import Country
from bakuhub.core.validation import date_precision as checked_precision
from bakuhub.core.validation import not_in_future, optional_text, optional_url, required_text
from bakuhub.partners import lifecycle
from bakuhub.partners.lifecycle import MILESTONES, Stage
from bakuhub.partners.models import Membership, MembershipEvent, MembershipMilestone
from bakuhub.partners.permissions import can

MEMBERSHIP_FIELDS = [
    "country",
    "stage",
    "paused_from",
    "stage_since",
    "stage_since_precision",
    "last_update_on",
    "is_public",
]
EXTRA_SOURCE_LIMITS = {"source_publisher": 200, "source_quote": 5000, "fact_id": 10}
EVENT_FIELDS = ["from_stage", "to_stage", "occurred_on", "date_precision", "source_title", "source_url", "note"]
MILESTONE_FIELDS = [
    "membership",
    "milestone",
    "reached_on",
    "date_precision",
    "inferred_from",
    "source_title",
    "source_publisher",
    "source_url",
    "source_quote",
    "fact_id",
    "note",
]
CORRECTABLE = {"reached_on", "date_precision", "inferred_from", "source_title", "source_url", "note"} | set(
    EXTRA_SOURCE_LIMITS
)


class StageTransitionNotAllowed(ValidationFailed):
    code = "stage_transition_not_allowed"


def _stage(value: str, field: str = "to_stage") -> Stage:
    try:
        return Stage(value)
    except ValueError:
        options = ", ".join(s.value for s in Stage)
        msg = _("'%(value)s' is not a stage. Stages: %(options)s.") % {"value": value, "options": options}
        raise ValidationFailed(msg, errors={field: [msg]}) from None


def _milestone(value: str, field: str = "milestone") -> Stage:
    stage = _stage(value, field)
    if stage not in MILESTONES:
        options = ", ".join(s.value for s in MILESTONES)
        msg = _("'%(value)s' is not a milestone. Milestones: %(options)s.") % {"value": value, "options": options}
        raise ValidationFailed(msg, errors={field: [msg]})
    return stage


def _fact_id(value: str | None, field: str) -> str:
    text = optional_text(value, field, max_length=10)
    if text and not (text.isascii() and text.isalnum()):
        msg = _("'%(value)s' is not a fact id such as BH027.") % {"value": text}
        raise ValidationFailed(msg, errors={field: [msg]})
    return text


def _evidence(
    *,
    occurred_on: dt.date,
    date_field: str = "occurred_on",
    date_precision: str,
    source_title: str,
    source_url: str,
    document: Upload | None,
    note: str,
    source: dict[str, str],
    require_link: bool = True,
) -> dict[str, Any]:
    """Check a step's date and evidence; return the model fields. Raises before anything is written."""
    unknown = sorted(set(source) - set(EXTRA_SOURCE_LIMITS))
    if unknown:
        raise ValidationFailed(f"Unknown evidence field(s): {', '.join(unknown)}.")
    fields: dict[str, Any] = {
        "date_precision": checked_precision(date_precision),
        "source_title": required_text(source_title, "source_title", max_length=300),
        "source_url": optional_url(source_url, "source_url"),
        "note": optional_text(note, "note", max_length=5000),
        "evidence_document": "",
    }
    not_in_future(occurred_on, date_field)
    for key, limit in EXTRA_SOURCE_LIMITS.items():
        fields[key] = optional_text(source.get(key), key, max_length=limit)
    if require_link and not fields["source_url"] and document is None:
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
    occurred_on: dt.date,
    actor: User | None,
    is_demo: bool,
    evidence: dict[str, Any],
) -> MembershipEvent:
    event = MembershipEvent.objects.create(
        membership=membership,
        from_stage=from_stage,
        to_stage=to_stage,
        occurred_on=occurred_on,
        actor=actor,
        is_demo=is_demo,
        **evidence,
    )
    audit.record_create(actor=actor, obj=event, fields=EVENT_FIELDS)
    return event


def _reached(membership: Membership) -> dict[Stage, tuple[dt.date, str]]:
    rows = MembershipMilestone.objects.filter(membership=membership).values_list(
        "milestone", "reached_on", "date_precision"
    )
    return {Stage(stage): (day, precision) for stage, day, precision in rows}


def _derive(membership: Membership) -> None:
    """Bring the stored stage, its date and the last update in step with the milestones and events (no save)."""
    reached = _reached(membership)
    dates = {stage: day for stage, (day, _) in reached.items()}
    furthest = lifecycle.furthest(dates)
    if membership.stage == Stage.PAUSED:
        membership.paused_from = furthest  # a pause resumes at the furthest milestone, whatever was added meanwhile
    elif membership.stage != Stage.WITHDRAWN:
        membership.stage = furthest
        if furthest in reached:
            membership.stage_since, membership.stage_since_precision = reached[furthest]
    events = MembershipEvent.objects.filter(membership=membership).values_list("occurred_on", "date_precision")
    dated = [*reached.values(), *events]
    if dated:
        membership.last_update_on, membership.last_update_precision = max(dated)


def _save_derived(*, actor: User | None, membership: Membership, action: str, before: dict[str, Any]) -> None:
    """Derive the shown stage, move to the next version (every write does) and audit the membership's changes."""
    _derive(membership)
    version = bump(membership)
    membership.save()
    changes = audit.diff(before, audit.snapshot(membership, MEMBERSHIP_FIELDS))
    audit.record(actor=actor, action=action, obj=membership, changes={**changes, "version": version})


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
    inferred_from: str = "",
    **source: str,
) -> Membership:
    """Record a country's membership with its first milestone (or at `interested`), with the evidence for it."""
    if actor is not None and not can(actor, "create_membership", country):
        raise PermissionDenied(f"You may not record a membership for {country.name_en}.")
    if Membership.objects.filter(country=country).exists():
        raise Conflict(f"{country.name_en} already has a membership; record a milestone instead.")
    target = _stage(stage, "stage")
    if target in lifecycle.STATE_CHANGES:
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
    inferred = _fact_id(inferred_from, "inferred_from")
    group_model = apps.get_model("working_groups", "WorkingGroup")
    if target == Stage.JWG_ESTABLISHED and not group_model.objects.filter(country=country).exists():
        msg = _("%(country)s has no Joint Working Group on record; set the group up and it records this milestone.") % {
            "country": country.name_en
        }
        raise ValidationFailed(msg, errors={"stage": [msg]})
    _check_memorandum_on_record(country, target, "stage")
    membership = Membership.objects.create(
        country=country,
        stage=target,
        stage_since=occurred_on,
        stage_since_precision=evidence["date_precision"],
        last_update_on=occurred_on,
        last_update_precision=evidence["date_precision"],
        is_public=is_public,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=membership, fields=MEMBERSHIP_FIELDS)
    if target == Stage.INTERESTED:
        _record_event(
            membership=membership,
            from_stage="",
            to_stage=target,
            occurred_on=occurred_on,
            actor=actor,
            is_demo=is_demo,
            evidence=evidence,
        )
    else:
        _create_milestone(
            actor=actor,
            membership=membership,
            milestone=target,
            reached_on=occurred_on,
            inferred_from=inferred,
            is_demo=is_demo,
            evidence=evidence,
        )
    return membership


def _has_working_group(membership: Membership) -> bool:
    """Whether the country has a Joint Working Group record (looked up by name: the groups depend on partners)."""
    group_model = apps.get_model("working_groups", "WorkingGroup")
    return bool(group_model.objects.filter(country_id=membership.country_id).exists())


def _check_memorandum_on_record(country: Country, milestone: Stage, field: str) -> None:
    """A memorandum milestone recorded by hand needs the memorandum behind it: approved (or further) for
    `memorandum_approved`, signed (or since expired) for `memorandum_signed`. Raises otherwise."""
    statuses = {
        Stage.MEMORANDUM_APPROVED: ("approved", "signed", "expired"),
        Stage.MEMORANDUM_SIGNED: ("signed", "expired"),
    }.get(milestone)
    if statuses is None:
        return
    memorandum_model = apps.get_model("partners", "Memorandum")
    if memorandum_model.objects.filter(party_countries=country, status__in=statuses).exists():
        return
    if milestone == Stage.MEMORANDUM_SIGNED:
        msg = _(
            "%(country)s has no signed memorandum on record; mark the memorandum signed and it records this milestone."
        ) % {"country": country.name_en}
    else:
        msg = _("%(country)s has no approved memorandum on record; record the memorandum as approved first.") % {
            "country": country.name_en
        }
    raise ValidationFailed(msg, errors={field: [msg]})


def _create_milestone(
    *,
    actor: User | None,
    membership: Membership,
    milestone: Stage,
    reached_on: dt.date,
    inferred_from: str,
    is_demo: bool,
    evidence: dict[str, Any],
) -> MembershipMilestone:
    """Create a milestone on a locked (or new) membership and bring the membership in step; audited."""
    found = MembershipMilestone.objects.filter(membership=membership, milestone=milestone).first()
    if found is not None:
        msg = _(
            "%(country)s already has the milestone '%(milestone)s' (dated %(date)s); correct it instead of "
            "recording it again."
        ) % {"country": membership.country.name_en, "milestone": milestone.value, "date": found.reached_on}
        raise Conflict(msg, errors={"milestone": [msg]})
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    record = MembershipMilestone.objects.create(
        membership=membership,
        milestone=milestone,
        reached_on=reached_on,
        inferred_from=inferred_from,
        actor=actor,
        is_demo=is_demo,
        **evidence,
    )
    audit.record_create(actor=actor, obj=record, fields=MILESTONE_FIELDS)
    _save_derived(actor=actor, membership=membership, action="membership.milestone", before=before)
    return record


@transaction.atomic
def membership_milestone_record(
    *,
    actor: User | None,
    membership: Membership,
    milestone: str,
    reached_on: dt.date,
    source_title: str,
    source_url: str = "",
    document: Upload | None = None,
    date_precision: str = "day",
    note: str = "",
    inferred_from: str = "",
    is_demo: bool = False,
    expected_version: int | None = None,
    **source: str,
) -> MembershipMilestone:
    """Record a dated milestone with its evidence, in any order. Each milestone is recorded once (then corrected);
    one reached before an earlier milestone of the path is recorded as it happened, not refused. A stale
    `expected_version` (the version the client read) is refused with 412."""
    if actor is not None and not can(actor, "advance_membership", membership):
        raise PermissionDenied(f"You may not change the membership of {membership.country.name_en}.")
    locked = Membership.objects.select_for_update().select_related("country").get(pk=membership.pk)
    check_version(locked, expected_version, what=gettext("membership"))
    target = _milestone(milestone)
    if target == Stage.JWG_ESTABLISHED and not _has_working_group(locked):
        msg = _("%(country)s has no Joint Working Group on record; set the group up and it records this milestone.") % {
            "country": locked.country.name_en
        }
        raise ValidationFailed(msg, errors={"milestone": [msg]})
    _check_memorandum_on_record(locked.country, target, "milestone")
    evidence = _evidence(
        occurred_on=reached_on,
        date_field="reached_on",
        date_precision=date_precision,
        source_title=source_title,
        source_url=source_url,
        document=document,
        note=note,
        source=source,
    )
    record = _create_milestone(
        actor=actor,
        membership=locked,
        milestone=target,
        reached_on=reached_on,
        inferred_from=_fact_id(inferred_from, "inferred_from"),
        is_demo=is_demo,
        evidence=evidence,
    )
    membership.refresh_from_db()
    return record


@transaction.atomic
def membership_milestone_correct(
    *,
    actor: User | None,
    membership: Membership,
    milestone: str,
    expected_version: int | None = None,
    **changes: Any,
) -> MembershipMilestone:
    """Correct a recorded milestone (its date, precision, evidence, note or inference); audited with the change.
    A stale `expected_version` (the version the client read) is refused with 412."""
    if actor is not None and not can(actor, "advance_membership", membership):
        raise PermissionDenied(f"You may not change the membership of {membership.country.name_en}.")
    locked = Membership.objects.select_for_update().select_related("country").get(pk=membership.pk)
    check_version(locked, expected_version, what=gettext("membership"))
    target = _milestone(milestone)
    record = MembershipMilestone.objects.filter(membership=locked, milestone=target).first()
    if record is None:
        msg = _("%(country)s has no milestone '%(milestone)s' to correct; record it first.") % {
            "country": locked.country.name_en,
            "milestone": target.value,
        }
        raise ValidationFailed(msg, errors={"milestone": [msg]})
    unknown = sorted(set(changes) - CORRECTABLE)
    if unknown:
        raise ValidationFailed(f"These fields cannot be corrected here: {', '.join(unknown)}.")
    evidence = _evidence(
        occurred_on=changes.get("reached_on", record.reached_on),
        date_field="reached_on",
        date_precision=changes.get("date_precision", record.date_precision),
        source_title=changes.get("source_title", record.source_title),
        source_url=changes.get("source_url", record.source_url),
        document=None,
        note=changes.get("note", record.note),
        source={k: changes.get(k, getattr(record, k)) for k in EXTRA_SOURCE_LIMITS},
        require_link=False,
    )
    evidence.pop("evidence_document")
    if not evidence["source_url"] and not record.evidence_document:
        msg = "Give the evidence as a source URL, an uploaded document, or both."
        raise ValidationFailed(msg, errors={"source_url": [msg]})
    before_record = audit.snapshot(record, MILESTONE_FIELDS)
    before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
    for name, value in evidence.items():
        setattr(record, name, value)
    record.reached_on = changes.get("reached_on", record.reached_on)
    record.inferred_from = _fact_id(changes.get("inferred_from", record.inferred_from), "inferred_from")
    record.save()
    changed = audit.diff(before_record, audit.snapshot(record, MILESTONE_FIELDS))
    if changed:
        audit.record(actor=actor, action="membershipmilestone.correct", obj=record, changes=changed)
    _save_derived(actor=actor, membership=locked, action="membership.milestone", before=before)
    membership.refresh_from_db()
    return record


def milestone_for_record(
    *,
    actor: User | None,
    country: Country,
    milestone: Stage,
    reached_on: dt.date,
    date_precision: str,
    evidence_title: str,
    note: str,
    is_demo: bool,
    **source: str,
) -> MembershipMilestone:
    """Record the milestone another record proves (a Joint Working Group, a signed memorandum), in the caller's
    transaction; the caller has checked the actor's right to create that record. The country's membership is
    created when it has none; a milestone already recorded is left as it is (it may cite a better source)."""
    membership = Membership.objects.select_for_update().select_related("country").filter(country=country).first()
    if membership is None:
        membership = Membership.objects.create(
            country=country,
            stage=Stage.INTERESTED,
            stage_since=reached_on,
            stage_since_precision=date_precision,
            last_update_on=reached_on,
            last_update_precision=date_precision,
            is_demo=is_demo,
        )
        audit.record_create(actor=actor, obj=membership, fields=MEMBERSHIP_FIELDS)
    found = MembershipMilestone.objects.filter(membership=membership, milestone=milestone).first()
    if found is not None:
        return found
    evidence: dict[str, Any] = {
        "date_precision": date_precision,
        "source_title": (source.get("source_title") or evidence_title)[:300],
        "source_url": source.get("source_url", ""),
        "source_publisher": source.get("source_publisher", ""),
        "source_quote": source.get("source_quote", ""),
        "fact_id": source.get("fact_id", ""),
        "note": note,
    }
    return _create_milestone(
        actor=actor,
        membership=membership,
        milestone=milestone,
        reached_on=reached_on,
        inferred_from="",
        is_demo=is_demo,
        evidence=evidence,
    )


def milestone_follow_record(
    *,
    actor: User | None,
    country: Country,
    milestone: Stage,
    note_prefix: str,
    reached_on: dt.date,
    date_precision: str,
) -> MembershipMilestone | None:
    """Move the milestone another record proves (recorded with it: its note starts with `note_prefix`) to the
    record's new date, in the caller's transaction; audited as a correction. The caller has checked the actor's
    right to change that record. A milestone recorded by hand (another note) is left as it is."""
    membership = Membership.objects.select_for_update().select_related("country").filter(country=country).first()
    if membership is None:
        return None
    record = MembershipMilestone.objects.filter(
        membership=membership, milestone=milestone, note__startswith=note_prefix
    ).first()
    if record is None or (record.reached_on, record.date_precision) == (reached_on, date_precision):
        return record
    before_record = audit.snapshot(record, MILESTONE_FIELDS)
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    record.reached_on, record.date_precision = reached_on, date_precision
    record.save(update_fields=["reached_on", "date_precision"])
    changed = audit.diff(before_record, audit.snapshot(record, MILESTONE_FIELDS))
    audit.record(actor=actor, action="membershipmilestone.correct", obj=record, changes=changed)
    _save_derived(actor=actor, membership=membership, action="membership.milestone", before=before)
    return record


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
) -> MembershipEvent | MembershipMilestone:
    """Pause, resume, withdraw or restart a membership, with dated evidence. A milestone as `to_stage` records that
    milestone (in any order), so clients of the former step-by-step transitions keep working. A stale
    `expected_version` (the version the client read) is refused with 412."""
    state = Membership.objects.filter(pk=membership.pk).values_list("stage", "paused_from").get()
    resumes = state == (Stage.PAUSED, to_stage)
    if _stage(to_stage) in MILESTONES and not resumes:
        return membership_milestone_record(
            actor=actor,
            membership=membership,
            milestone=to_stage,
            reached_on=occurred_on,
            source_title=source_title,
            source_url=source_url,
            document=document,
            date_precision=date_precision,
            note=note,
            is_demo=is_demo,
            expected_version=expected_version,
            **source,
        )
    if actor is not None and not can(actor, "advance_membership", membership):
        raise PermissionDenied(f"You may not change the membership of {membership.country.name_en}.")
    locked = Membership.objects.select_for_update().select_related("country").get(pk=membership.pk)
    check_version(locked, expected_version, what=gettext("membership"))
    current = Stage(locked.stage)
    paused_from = Stage(locked.paused_from) if locked.paused_from else None
    target = _stage(to_stage)
    allowed = lifecycle.allowed_next(current, paused_from)
    if target not in allowed:
        names = ", ".join(s.value for s in allowed)
        country = locked.country.name_en
        msg = (
            f"{country} cannot move from '{current.value}' to '{target.value}'. Allowed: {names}, "
            "or record a milestone."
        )
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
    if locked.last_update_on and occurred_on < locked.last_update_on and target in lifecycle.STATE_CHANGES:
        msg = f"The step is dated {occurred_on}, before the last update ({locked.last_update_on})."
        raise ValidationFailed(msg, errors={"occurred_on": [msg]})
    before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
    locked.paused_from = lifecycle.paused_from_after(current, target, paused_from) or ""
    if target in lifecycle.STATE_CHANGES:
        locked.stage = target
        locked.stage_since, locked.stage_since_precision = occurred_on, evidence["date_precision"]
    else:  # resume or restart: back to the furthest milestone (or `interested`)
        locked.stage = Stage.INTERESTED
        locked.stage_since, locked.stage_since_precision = occurred_on, evidence["date_precision"]
    event = _record_event(
        membership=locked,
        from_stage=current,
        to_stage=target,
        occurred_on=occurred_on,
        actor=actor,
        is_demo=is_demo,
        evidence=evidence,
    )
    _save_derived(actor=actor, membership=locked, action="membership.advance", before=before)
    membership.refresh_from_db()
    return event
