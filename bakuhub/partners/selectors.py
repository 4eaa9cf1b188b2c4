"""Reads for partners, filtered by what the viewer may see and shaped to avoid N+1 queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.core.models import AuditRecord, Country
from bakuhub.core.search import country_ids_matching
from bakuhub.partners import lifecycle
from bakuhub.partners.lifecycle import ACTIVE_PATH, Stage
from bakuhub.partners.models import (
    Contact,
    HubEvent,
    Initiative,
    InitiativeParticipant,
    Membership,
    MembershipEvent,
    MembershipMilestone,
    Memorandum,
    MemorandumVersion,
    Organisation,
)
from bakuhub.partners.permissions import can


def _sees_everything(user: Any) -> bool:
    return bool(is_secretariat(user) or is_funder(user))


def membership_list(*, user: Any, stage: str | None = None, stalled: bool | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("country").prefetch_related(
        Prefetch("milestones", queryset=MembershipMilestone.objects.order_by("reached_on", "id"))
    )
    if not _sees_everything(user):
        qs = qs.filter(Q(is_public=True) | Q(country_id__in=focal_country_ids(user)))
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("country__name_en")


@dataclass
class PipelineColumn:
    """One stage of the home pipeline: the memberships shown at it now, and how many reached it at all (a country
    past a milestone still reached it, so 'Joint Working Group established' counts every country with a group)."""

    stage: Stage
    memberships: list[Membership] = field(default_factory=list)
    reached: int = 0


def membership_pipeline(*, user: Any) -> list[PipelineColumn]:
    """One column per stage (active path, then paused and withdrawn)."""
    columns = {stage: PipelineColumn(stage) for stage in (*ACTIVE_PATH, Stage.PAUSED, Stage.WITHDRAWN)}
    for membership in membership_list(user=user):
        columns[Stage(membership.stage)].memberships.append(membership)
        reached = {Stage(m.milestone) for m in membership.milestones.all()}
        for stage in reached:
            columns[stage].reached += 1
    columns[Stage.INTERESTED].reached = len(columns[Stage.INTERESTED].memberships)
    for stage in lifecycle.STATE_CHANGES:
        columns[stage].reached = len(columns[stage].memberships)
    return list(columns.values())


def membership_for_country(*, user: Any, country: Country) -> Membership | None:
    return membership_list(user=user).filter(country=country).first()


def membership_events(*, membership: Membership) -> QuerySet[MembershipEvent]:
    return membership.events.select_related("actor").order_by("occurred_on", "id")


def membership_milestones(*, membership: Membership) -> list[MembershipMilestone]:
    """The milestones in the order they were reached, each with `before`: the milestones earlier in the path that
    it preceded (a pilot announced before the memorandum)."""
    rows = list(membership.milestones.order_by("reached_on", "id"))
    before = lifecycle.reached_before({Stage(m.milestone): m.reached_on for m in rows})
    for row in rows:
        row.before = before.get(Stage(row.milestone), [])  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    precision: str
    milestone: MembershipMilestone | None = None
    event: MembershipEvent | None = None


def membership_timeline(*, membership: Membership) -> list[TimelineEntry]:
    """Milestones and state changes together, by date."""
    entries = [
        TimelineEntry(m.reached_on, m.date_precision, milestone=m) for m in membership_milestones(membership=membership)
    ]
    entries += [
        TimelineEntry(e.occurred_on, e.date_precision, event=e) for e in membership_events(membership=membership)
    ]
    return sorted(entries, key=lambda e: (e.day, 0 if e.milestone else 1))


def country_list(
    *, search: str | None = None, region: str | None = None, member: bool | None = None, user: Any = None
) -> QuerySet[Country]:
    qs = Country.objects.all()
    if search:
        qs = qs.filter(id__in=country_ids_matching(search))
    if region:
        qs = qs.filter(region_name__iexact=region)
    if member is not None:
        visible = membership_list(user=user).values("country_id")
        qs = qs.filter(id__in=visible) if member else qs.exclude(id__in=visible)
    return qs.order_by("name_en")


def memorandum_list(*, user: Any, country: Country | None = None, status: str | None = None) -> QuerySet[Memorandum]:
    qs = Memorandum.objects.prefetch_related("party_countries", "party_organisations", "establishes_jwg_for")
    if not _sees_everything(user):
        qs = qs.filter(
            ~Q(status=Memorandum.Status.DRAFT)
            | Q(party_countries__in=focal_country_ids(user))
            | Q(party_organisations__in=editor_organisation_ids(user))
        ).distinct()
    if country is not None:
        qs = qs.filter(party_countries=country)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-approved_on", "title")


def memorandum_detail(*, user: Any, pk: int) -> Memorandum | None:
    return memorandum_list(user=user).prefetch_related("signatories", "versions").filter(pk=pk).first()


def linked_memorandum(*, user: Any, memorandum: Memorandum | None) -> Memorandum | None:
    """The memorandum another record links to, if `user` may see it: a draft stays hidden from everyone else."""
    if memorandum is None or memorandum.is_published or _sees_everything(user):
        return memorandum
    return memorandum if can(user, "view_memorandum", memorandum) else None


def hidden_memorandum_ids(*, user: Any) -> set[int]:
    """The drafts `user` may not see, for lists and exports that name the memoranda of many records at once."""
    if _sees_everything(user):
        return set()
    drafts = Memorandum.objects.filter(status=Memorandum.Status.DRAFT)
    return set(drafts.exclude(pk__in=memorandum_list(user=user).values("pk")).values_list("pk", flat=True))


def organisation_list(*, search: str | None = None, org_type: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("country")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(acronym__iexact=search) | Q(iati_identifier__iexact=search))
    if org_type:
        qs = qs.filter(org_type=org_type)
    return qs.order_by("name")


def organisation_contacts(*, user: Any, organisation: Organisation) -> QuerySet[Contact]:
    qs = organisation.contacts.all()
    if is_secretariat(user) or organisation.pk in editor_organisation_ids(user):
        return qs
    return qs.filter(is_public=True)


def initiative_list() -> QuerySet[Initiative]:
    participants = InitiativeParticipant.objects.select_related("country", "organisation").order_by("role", "id")
    return Initiative.objects.prefetch_related(Prefetch("participants", queryset=participants)).order_by("launched_on")


def hub_events(*, country: Country | None = None) -> QuerySet[HubEvent]:
    qs = HubEvent.objects.prefetch_related("countries", "organisations")
    if country is not None:
        qs = qs.filter(countries=country)
    return qs.order_by("occurred_on", "title")


def audit_for(*, user: Any, obj: Any) -> QuerySet[AuditRecord]:
    if not is_secretariat(user):
        return AuditRecord.objects.none()
    return AuditRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def memberships_with_prefetched_events(*, user: Any) -> QuerySet[Membership]:
    return membership_list(user=user).prefetch_related(
        Prefetch("events", queryset=MembershipEvent.objects.order_by("occurred_on", "id"))
    )


# --- stored files: the same rule as the record that owns them ---------------------------------------------------


def memorandum_version_for_download(*, user: Any, pk: int) -> MemorandumVersion | None:
    """A memorandum version, only for those who may see its memorandum (a draft's only to its parties and the Hub)."""
    visible = memorandum_list(user=user).order_by().values("pk")
    return MemorandumVersion.objects.filter(pk=pk, memorandum_id__in=visible).first()


def membership_evidence_for_download(*, user: Any, pk: int) -> MembershipEvent | None:
    """A membership step with a document, only for those who may see the membership."""
    visible = membership_list(user=user).order_by().values("pk")
    return MembershipEvent.objects.filter(pk=pk, membership_id__in=visible).exclude(evidence_document="").first()


def milestone_evidence_for_download(*, user: Any, pk: int) -> MembershipMilestone | None:
    """A milestone with a document, only for those who may see the membership."""
    visible = membership_list(user=user).order_by().values("pk")
    return MembershipMilestone.objects.filter(pk=pk, membership_id__in=visible).exclude(evidence_document="").first()


def organisation_with_logo(*, pk: int) -> Organisation | None:
    """Logos are public, like the organisations that carry them."""
    return organisation_list().filter(pk=pk).exclude(logo="").first()
