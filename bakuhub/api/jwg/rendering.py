"""How the Joint Working Groups API renders groups, members, meetings, decisions and action items."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bakuhub.commitments.selectors import linked_commitments
from bakuhub.partners import selectors as partner_selectors
from bakuhub.working_groups import selectors
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.selectors import MemberView
from bakuhub.working_groups.timezones import zone

from ..schemas_jwg import ActionOut, DecisionOut, MeetingDetailOut, MeetingOut, WorkingGroupDetailOut, WorkingGroupOut
from .common import Viewer


def _render_member(member: MemberView) -> dict[str, Any]:
    return {
        "id": member.id,
        "name": member.name,
        "person_name": member.person_name,
        "role": member.role,
        "organisation": member.organisation.slug if member.organisation is not None else None,
        "is_platform_user": member.is_platform_user,
        "email": member.email,
    }


def _group_fields(group: WorkingGroup, co_chairs: list[MemberView], actor: Viewer) -> dict[str, Any]:
    memorandum = partner_selectors.linked_memorandum(user=actor, memorandum=group.memorandum)
    return {
        "id": group.pk,
        "code": group.code,
        "name": group.name,
        "country_iso3": group.country.iso3,
        "country_name": group.country.name,
        "status": group.status,
        "started_on": group.started_on,
        "started_precision": group.started_precision,
        "memorandum_id": memorandum.pk if memorandum is not None else None,
        "meeting_count": getattr(group, "meeting_count", 0),
        "decision_count": getattr(group, "decision_count", 0),
        "co_chairs": [_render_member(m) for m in co_chairs],
    }


def _render_group(group: WorkingGroup, actor: Viewer) -> dict[str, Any]:
    rows: list[WorkingGroupMember] = getattr(group, "co_chair_rows", [])
    co_chairs = selectors.co_chair_views(user=actor, group=group, members=rows)
    return WorkingGroupOut.model_validate(_group_fields(group, co_chairs, actor)).model_dump(mode="json")


def _render_group_detail(group: WorkingGroup, actor: Viewer) -> dict[str, Any]:
    insider = selectors.sees_internals(actor, group)
    members = list(selectors.working_group_members(group=group))
    co_chairs = selectors.co_chair_views(user=actor, group=group, members=members)
    data = _group_fields(group, co_chairs, actor)
    data.update(
        terms_of_reference=group.terms_of_reference,
        source_title=group.source_title,
        source_publisher=group.source_publisher,
        source_url=group.source_url,
        source_quote=group.source_quote,
        is_demo=group.is_demo,
        viewer_is_insider=insider,
        members=[_render_member(m) for m in selectors.member_views(user=actor, group=group, members=members)],
    )
    return WorkingGroupDetailOut.model_validate(data).model_dump(mode="json")


def _meeting_fields(meeting: Meeting, viewer_zone: ZoneInfo | None) -> dict[str, Any]:
    local = zone(meeting.timezone)
    return {
        "id": meeting.pk,
        "working_group_id": meeting.working_group_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(dt.UTC),
        "ends_at": meeting.ends_at.astimezone(dt.UTC),
        "timezone": meeting.timezone,
        "local_start": meeting.starts_at.astimezone(local),
        "local_end": meeting.ends_at.astimezone(local),
        "viewer_start": meeting.starts_at.astimezone(viewer_zone) if viewer_zone is not None else None,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "status": meeting.status,
        "language": meeting.language,
        "is_example": meeting.is_example,
        "sequence": meeting.sequence,
    }


def _render_meeting(meeting: Meeting, viewer_zone: ZoneInfo | None = None) -> dict[str, Any]:
    return MeetingOut.model_validate(_meeting_fields(meeting, viewer_zone)).model_dump(mode="json")


def _render_meeting_detail(
    meeting: Meeting, group: WorkingGroup, actor: Viewer, viewer_zone: ZoneInfo | None = None
) -> dict[str, Any]:
    data = _meeting_fields(meeting, viewer_zone)
    data["decisions"] = [{"id": d.pk, "reference": d.reference, "status": d.status} for d in meeting.decisions.all()]
    if selectors.sees_internals(actor, group):
        names = {m.pk: str(m) for m in selectors.working_group_members(group=group)}
        data.update(
            minutes=meeting.minutes,
            agenda_items=list(meeting.agenda_items.all()),
            attendance=[
                {"member_id": a.member_id, "member": names.get(a.member_id, ""), "status": a.status}
                for a in meeting.attendance.all()
            ],
            attachments=list(meeting.attachments.all()),
            actions=list(meeting.actions.all()),
        )
    return MeetingDetailOut.model_validate(data).model_dump(mode="json")


def _render_decision(decision: Decision, actor: Viewer) -> dict[str, Any]:
    visible = [c.pk for c in linked_commitments(user=actor, commitments=decision.commitments.all())]
    data = {
        "id": decision.pk,
        "working_group_id": decision.working_group_id,
        "reference": decision.reference,
        "year": decision.year,
        "number": decision.number,
        "text": decision.text,
        "decided_on": decision.decided_on,
        "status": decision.status,
        "meeting_id": decision.meeting_id,
        "agenda_item_id": decision.agenda_item_id,
        "superseded_by_id": decision.superseded_by_id,
        "commitment_ids": sorted(visible),
    }
    return DecisionOut.model_validate(data).model_dump(mode="json")


def _render_action(action: ActionItem) -> dict[str, Any]:
    data = {
        "id": action.pk,
        "working_group_id": action.working_group_id,
        "working_group_code": action.working_group.code,
        "country_iso3": action.working_group.country.iso3,
        "title": action.title,
        "description": action.description,
        "owner_id": action.owner_id,
        "owner": str(action.owner),
        "due_on": action.due_on,
        "status": action.status,
        "is_overdue": action.is_overdue,
        "completed_on": action.completed_on,
        "decision_id": action.decision_id,
        "decision_reference": action.decision.reference if action.decision is not None else None,
        "meeting_id": action.meeting_id,
    }
    return ActionOut.model_validate(data).model_dump(mode="json")


def _viewer_zone(tz: str | None) -> ZoneInfo | None:
    return zone(tz, field="tz") if tz else None
