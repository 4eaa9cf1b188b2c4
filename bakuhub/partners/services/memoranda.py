"""Memorandum writes: create, update status and dates, add signatories and uploaded versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.concurrency import bump_saved, lock_fresh
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_document, original_name, store_checked
from bakuhub.core.models import Country
from bakuhub.core.validation import optional_text, optional_url, required_text
from bakuhub.partners.lifecycle import Stage
from bakuhub.partners.models import Memorandum, MemorandumSignatory, MemorandumVersion, Organisation
from bakuhub.partners.permissions import can

from .memberships import milestone_for_record

MEMO_FIELDS = ["title", "purpose", "status", "hub_is_party", "approved_on", "signed_on", "expires_on", "source_url"]
M2M_FIELDS = ("party_countries", "party_organisations", "establishes_jwg_for")
STATUS_ORDER = [s.value for s in Memorandum.Status]


def _check_dates(
    status: str, approved_on: dt.date | None, signed_on: dt.date | None, expires_on: dt.date | None
) -> None:
    if status not in STATUS_ORDER:
        msg = f"'{status}' is not a memorandum status. Statuses: {', '.join(STATUS_ORDER)}."
        raise ValidationFailed(msg, errors={"status": [msg]})
    if status == Memorandum.Status.SIGNED and signed_on is None:
        raise ValidationFailed("A signed memorandum needs its signature date.", errors={"signed_on": ["Required."]})
    if status == Memorandum.Status.APPROVED and approved_on is None:
        raise ValidationFailed("An approved memorandum needs its approval date.", errors={"approved_on": ["Required."]})
    for name, value in (("approved_on", approved_on), ("signed_on", signed_on), ("expires_on", expires_on)):
        if value is not None:
            plausible_date(value, name)
    today = timezone.localdate()
    for name, value in (("approved_on", approved_on), ("signed_on", signed_on)):
        if value is not None and value > today:
            msg = f"{value.isoformat()} is in the future; record the {name.split('_')[0]} date once it has happened."
            raise ValidationFailed(msg, errors={name: [msg]})
    if approved_on and signed_on and signed_on < approved_on:
        msg = "The signature date is before the approval date."
        raise ValidationFailed(msg, errors={"signed_on": [msg]})
    start = signed_on or approved_on
    if start and expires_on and expires_on <= start:
        msg = "The expiry date must come after the approval or signature date."
        raise ValidationFailed(msg, errors={"expires_on": [msg]})


def _check_jwg_parties(jwg: list[Country], parties: list[Country]) -> None:
    strays = [c.iso3 for c in jwg if c not in parties]
    if strays:
        msg = f"A memorandum can set up a JWG only with a party country; not a party: {', '.join(strays)}."
        raise ValidationFailed(msg, errors={"establishes_jwg_for": [msg]})


TEXT_FIELDS = ("title", "purpose")
TERM_LABELS = {
    "status": gettext_lazy("the status"),
    "approved_on": gettext_lazy("the approval date"),
    "signed_on": gettext_lazy("the signature date"),
    "expires_on": gettext_lazy("the expiry date"),
    "hub_is_party": gettext_lazy("whether the Hub is a party"),
    "party_countries": gettext_lazy("the party countries"),
    "party_organisations": gettext_lazy("the party organisations"),
    "establishes_jwg_for": gettext_lazy("the Joint Working Group countries"),
}


def _changed(memo: Memorandum, name: str, value: Any) -> bool:
    if name in M2M_FIELDS:
        return {o.pk for o in value or []} != set(getattr(memo, name).values_list("pk", flat=True))
    return bool(value != getattr(memo, name))


def _check_scope(actor: User, memo: Memorandum, data: dict[str, Any]) -> None:
    """Parties, JWG countries, status and dates are the secretariat's; a party edits only its open drafts' text."""
    terms = [name for name in TERM_LABELS if name in data and _changed(memo, name, data[name])]
    if terms and not can(actor, "change_memorandum_terms", memo):
        what = _(" and ").join(str(TERM_LABELS[name]) for name in terms)
        msg = _("Only the Hub secretariat may change %(what)s of '%(title)s'.") % {"what": what, "title": memo.title}
        raise PermissionDenied(msg, errors={name: [msg] for name in terms})
    text = [name for name in TEXT_FIELDS if name in data and _changed(memo, name, data[name])]
    if text and not can(actor, "change_memorandum_text", memo):
        msg = _(
            "'%(title)s' is published or sourced, so only the Hub secretariat may change its text; "
            "you may edit the text of your own drafts."
        ) % {"title": memo.title}
        raise PermissionDenied(msg, errors={name: [msg] for name in text})


def _audit_m2m(memo: Memorandum) -> dict[str, list[int]]:
    return {name: sorted(getattr(memo, name).values_list("pk", flat=True)) for name in M2M_FIELDS}


@transaction.atomic
def memorandum_create(
    *,
    actor: User | None,
    title: str,
    status: str = Memorandum.Status.DRAFT,
    purpose: str = "",
    party_countries: list[Country] | None = None,
    party_organisations: list[Organisation] | None = None,
    establishes_jwg_for: list[Country] | None = None,
    approved_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    is_demo: bool = False,
    **source: Any,
) -> Memorandum:
    if actor is not None and not can(actor, "create_memorandum"):
        raise PermissionDenied("Only the Hub secretariat may create memoranda.")
    _check_dates(status, approved_on, signed_on, expires_on)
    jwg = establishes_jwg_for or []
    parties = party_countries or []
    _check_jwg_parties(jwg, parties)
    memo = Memorandum.objects.create(
        title=required_text(title, "title", max_length=300),
        purpose=optional_text(purpose, "purpose", max_length=10000),
        status=status,
        approved_on=approved_on,
        signed_on=signed_on,
        expires_on=expires_on,
        is_demo=is_demo,
        **{k: v for k, v in source.items() if k != "source_url"},
        source_url=optional_url(source.get("source_url"), "source_url"),
    )
    memo.party_countries.set(parties)
    memo.party_organisations.set(party_organisations or [])
    memo.establishes_jwg_for.set(jwg)
    created = {k: [None, v] for k, v in audit.snapshot(memo, MEMO_FIELDS).items() if v not in (None, "")}
    created.update({k: [[], v] for k, v in _audit_m2m(memo).items() if v})
    audit.record(actor=actor, action="memorandum.create", obj=memo, changes=created)
    record_signed_milestones(actor=actor, memorandum=memo)
    return memo


@transaction.atomic
def memorandum_update(
    *, actor: User, memorandum: Memorandum, expected_version: int | None = None, **data: Any
) -> Memorandum:
    """Edit the memorandum. A stale `expected_version` (the version the client read) is refused with 412."""
    if not can(actor, "change_memorandum", memorandum):
        raise PermissionDenied(f"You may not edit '{memorandum.title}'.")
    lock_fresh(memorandum, expected_version, what=gettext("memorandum"))
    _check_scope(actor, memorandum, data)
    before = {**audit.snapshot(memorandum, MEMO_FIELDS), **_audit_m2m(memorandum)}
    status = data.get("status", memorandum.status)
    if status in STATUS_ORDER and STATUS_ORDER.index(status) < STATUS_ORDER.index(memorandum.status):
        msg = f"A memorandum cannot go back from '{memorandum.status}' to '{status}'."
        raise ValidationFailed(msg, errors={"status": [msg]})
    dates = {k: data.get(k, getattr(memorandum, k)) for k in ("approved_on", "signed_on", "expires_on")}
    _check_dates(status, **dates)
    if "establishes_jwg_for" in data or "party_countries" in data:
        jwg = list(data.get("establishes_jwg_for", memorandum.establishes_jwg_for.all()))
        parties = list(data.get("party_countries", memorandum.party_countries.all()))
        _check_jwg_parties(jwg, parties)
    memorandum.status = status
    for key, value in dates.items():
        setattr(memorandum, key, value)
    if "title" in data:
        memorandum.title = required_text(data["title"], "title", max_length=300)
    if "purpose" in data:
        memorandum.purpose = optional_text(data["purpose"], "purpose", max_length=10000)
    memorandum.save()
    for name in M2M_FIELDS:
        if name in data:
            getattr(memorandum, name).set(data[name])
    changes = audit.diff(before, {**audit.snapshot(memorandum, MEMO_FIELDS), **_audit_m2m(memorandum)})
    changes = bump_saved(memorandum, changes)
    if changes:
        audit.record(actor=actor, action="memorandum.update", obj=memorandum, changes=changes)
    record_signed_milestones(actor=actor, memorandum=memorandum)
    return memorandum


def _check_signatories(actor: User | None, memorandum: Memorandum) -> None:
    if actor is not None and not can(actor, "change_memorandum_text", memorandum):
        msg = _(
            "Only the Hub secretariat may change the signatories of '%(title)s'; a party may change them "
            "only on its own draft."
        ) % {"title": memorandum.title}
        raise PermissionDenied(msg)


def record_signed_milestones(*, actor: User | None, memorandum: Memorandum) -> None:
    """A signed memorandum is the evidence that each party country reached `memorandum_signed`, so the pipeline
    and the memorandum agree (a milestone already recorded is kept)."""
    if memorandum.status != Memorandum.Status.SIGNED or memorandum.signed_on is None:
        return
    source = {k: getattr(memorandum, k) for k in ("source_title", "source_url", "source_publisher", "source_quote")}
    for country in memorandum.party_countries.all():
        milestone_for_record(
            actor=actor,
            country=country,
            milestone=Stage.MEMORANDUM_SIGNED,
            reached_on=memorandum.signed_on,
            date_precision="day",
            evidence_title=memorandum.title,
            note=f"Recorded with the signed memorandum '{memorandum.title[:200]}'.",
            is_demo=memorandum.is_demo,
            fact_id=memorandum.fact_id,
            **source,
        )


@transaction.atomic
def memorandum_signatory_add(
    *,
    actor: User | None,
    memorandum: Memorandum,
    name: str,
    on_behalf_of: str,
    position: str = "",
    signed_on: dt.date | None = None,
) -> MemorandumSignatory:
    _check_signatories(actor, memorandum)
    signatory = MemorandumSignatory.objects.create(
        memorandum=memorandum,
        name=required_text(name, "name", max_length=200),
        on_behalf_of=required_text(on_behalf_of, "on_behalf_of", max_length=200),
        position=optional_text(position, "position", max_length=200),
        signed_on=None if signed_on is None else plausible_date(signed_on, "signed_on"),
    )
    audit.record_create(
        actor=actor, obj=signatory, fields=["memorandum", "name", "position", "on_behalf_of", "signed_on"]
    )
    return signatory


@transaction.atomic
def memorandum_signatory_remove(*, actor: User | None, signatory: MemorandumSignatory) -> None:
    memorandum = signatory.memorandum
    _check_signatories(actor, memorandum)
    removed = audit.snapshot(signatory, ["memorandum", "name", "position", "on_behalf_of", "signed_on"])
    audit.record(
        actor=actor,
        action="memorandumsignatory.delete",
        obj=signatory,
        changes={k: [v, None] for k, v in removed.items() if v not in (None, "")},
    )
    signatory.delete()


@transaction.atomic
def memorandum_version_add(*, actor: User, memorandum: Memorandum, upload: Upload, note: str = "") -> MemorandumVersion:
    """Store a new numbered version after checking the file's real type and size; nothing is kept on refusal."""
    if not can(actor, "change_memorandum_text", memorandum):
        msg = _(
            "You may not add a version to '%(title)s': a party adds versions only to its own unsourced drafts; "
            "the Hub secretariat changes the others."
        )
        raise PermissionDenied(msg % {"title": memorandum.title})
    checked = check_document(upload, max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES)
    Memorandum.objects.select_for_update().filter(pk=memorandum.pk).first()
    same = memorandum.versions.filter(sha256=checked.sha256).first()
    if same is not None:
        msg = _("This file is already version %(n)s of this memorandum; no new version was stored.")
        msg %= {"n": same.number}
        raise Conflict(msg, errors={"file": [msg]})
    number = (memorandum.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = MemorandumVersion(
        memorandum=memorandum,
        number=number,
        original_name=original_name(upload),
        mime_type=checked.mime,
        size_bytes=checked.size,
        sha256=checked.sha256,
        note=optional_text(note, "note", max_length=300),
        uploaded_by=actor,
    )
    store_checked(version.file, upload, checked)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    audit.record_create(
        actor=actor, obj=version, fields=["memorandum", "number", "original_name", "mime_type", "size_bytes", "sha256"]
    )
    return version
