"""Joint Working Group pages: the groups and their meetings, with times in the meeting's zone and the viewer's.
Thin: reads go through the selectors. 'My actions', the overdue board and the status form are in `actions`; the
managers' forms in `jwg_forms`."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bakuhub.accounts.models import User
from bakuhub.commitments import selectors as commitment_selectors
from bakuhub.commitments.models import Commitment
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import Country
from bakuhub.partners import selectors as partner_selectors
from bakuhub.working_groups import selectors
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.permissions import can
from bakuhub.working_groups.timezones import zone

from ..forms_jwg import COMMON_ZONES

TZ_COOKIE = "tz"
TZ_COOKIE_MAX_AGE = 365 * 24 * 3600
UTC = ZoneInfo("UTC")
EN_DASH = "\u2013"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _group(pk: int) -> WorkingGroup:
    group = selectors.working_group_list().filter(pk=pk).first()
    if group is None:
        raise Http404(_("No Joint Working Group %(pk)s.") % {"pk": pk})
    return group


# --- Time zones: the meeting's own zone and the viewer's -------------------------------------------------------


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return zone(name[:64])
    except ValidationFailed:
        return None


@dataclass(frozen=True)
class ViewerZone:
    """The zone the viewer reads times in: `?tz=`, else the `tz` cookie, else UTC."""

    zone: ZoneInfo
    asked: str = ""  # a valid zone named in the query string, to remember in the cookie
    refused: str = ""  # an unknown zone named in the query string, to say why UTC is shown

    @property
    def name(self) -> str:
        return self.zone.key


def viewer_zone(request: HttpRequest) -> ViewerZone:
    asked = request.GET.get("tz", "").strip()[:64]
    if asked:
        found = _zone_or_none(asked)
        if found is not None:
            return ViewerZone(found, asked=asked)
    remembered = _zone_or_none(request.COOKIES.get(TZ_COOKIE, "").strip())
    return ViewerZone(remembered or UTC, refused=asked)


def _remember_zone(response: HttpResponse, viewer: ViewerZone) -> HttpResponse:
    if viewer.asked:
        response.set_cookie(TZ_COOKIE, viewer.asked, max_age=TZ_COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return response


def _abbreviation(value: dt.datetime) -> str:
    return value.strftime("%Z")


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """'12 November 2025, 10:00 WAT - 12:00 WAT (Africa/Ndjamena)' (an en dash); the end has its date if it differs."""
    first = f"{date_format(start, 'j F Y')}, {start:%H:%M} {_abbreviation(start)}"
    last = f"{end:%H:%M} {_abbreviation(end)}"
    if end.date() != start.date():
        last = f"{date_format(end, 'j F Y')}, {last}"
    key = getattr(start.tzinfo, "key", "")
    named = f" ({key})" if key and key != _abbreviation(start) else ""
    return f"{first} {EN_DASH} {last}{named}"


@dataclass(frozen=True)
class MeetingTime:
    meeting: Meeting
    local: str
    viewer: str
    same_zone: bool
    start_iso: str


def meeting_time(meeting: Meeting, viewer: ZoneInfo) -> MeetingTime:
    """The meeting's time in its own zone and in the viewer's."""
    own = _zone_or_none(meeting.timezone) or UTC
    local = _span(meeting.starts_at.astimezone(own), meeting.ends_at.astimezone(own))
    seen = _span(meeting.starts_at.astimezone(viewer), meeting.ends_at.astimezone(viewer))
    return MeetingTime(
        meeting=meeting,
        local=local,
        viewer=seen,
        same_zone=local == seen,
        start_iso=meeting.starts_at.astimezone(dt.UTC).isoformat(),
    )


# --- Action rows (my actions, the overdue board, the htmx status form) -----------------------------------------


@dataclass(frozen=True)
class ActionRow:
    action: ActionItem
    days_overdue: int
    can_update: bool


def _rows(user: Any, actions: QuerySet[ActionItem] | list[ActionItem]) -> list[ActionRow]:
    today = timezone.localdate()
    return [
        ActionRow(
            action=a,
            days_overdue=(today - a.due_on).days if a.is_overdue else 0,
            can_update=can(user, "update_action_status", a),
        )
        for a in actions
    ]


# --- Pages -----------------------------------------------------------------------------------------------------


def group_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in WorkingGroup.Status.values else ""
    iso3 = request.GET.get("country", "").strip().upper()[:3]
    country = Country.objects.filter(iso3=iso3).first() if iso3 else None
    groups = selectors.working_group_list(country=country, status=status or None)
    if iso3 and country is None:
        groups = groups.none()
    context = {"groups": groups, "statuses": WorkingGroup.Status.choices, "status": status, "iso3": iso3}
    return render(request, "portal/jwg/list.html", context)


def _group_feed_path(group: WorkingGroup) -> str:
    """The group's secret calendar-feed link. The calendar module and its URLs land separately: until they do, no
    link (the page must not break)."""
    try:
        module = importlib.import_module("bakuhub.working_groups.calendar")
        feed_path = getattr(module, "group_feed_path", None)
        return str(feed_path(group)) if callable(feed_path) else ""
    except (ImportError, NoReverseMatch):
        return ""


def _feed_url(request: HttpRequest, group: WorkingGroup) -> str:
    path = _group_feed_path(group)
    return request.build_absolute_uri(path) if path else ""


def _visible_commitments(user: Any, decision: Decision) -> list[Commitment]:
    return commitment_selectors.linked_commitments(user=user, commitments=decision.commitments.all())


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(pk)
    user = request.user
    insider = can(user, "view_internals", group)
    can_rotate = can(user, "rotate_calendar", group)
    viewer = viewer_zone(request)
    now = timezone.now()
    times = [meeting_time(m, viewer.zone) for m in selectors.meeting_list(group=group)]
    members = list(selectors.working_group_members(group=group))
    open_actions: list[ActionRow] = []
    if insider:
        open_actions = _rows(
            user, selectors.action_list(user=user, group=group).filter(status__in=ActionItem.OPEN_STATUSES)
        )
    context = {
        "group": group,
        "insider": insider,
        "can_schedule": can(user, "manage_meetings", group),
        "can_decide": can(user, "manage_decisions", group),
        "can_assign": can(user, "manage_actions", group),
        "can_rotate": can_rotate,
        "feed_url": _feed_url(request, group) if can_rotate else "",
        "co_chairs": selectors.co_chair_views(user=user, group=group, members=members),
        "members": selectors.member_views(
            user=user,
            group=group,
            members=[m for m in members if m.role != WorkingGroupMember.Role.CO_CHAIR] if insider else members,
        ),
        "upcoming": [t for t in reversed(times) if t.meeting.ends_at >= now],
        "past": [t for t in times if t.meeting.ends_at < now],
        "decisions": [(d, _visible_commitments(user, d)) for d in selectors.decision_list(group=group)],
        "open_actions": open_actions,
        "statuses": ActionItem.Status.choices,
        "memo": partner_selectors.linked_memorandum(user=user, memorandum=group.memorandum),
        "viewer": viewer,
        "zones": COMMON_ZONES,
    }
    return _remember_zone(render(request, "portal/jwg/detail.html", context), viewer)


def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group = _group(pk)
    meeting = selectors.meeting_detail(group=group, pk=meeting_pk)
    if meeting is None:
        raise Http404(_("No meeting %(pk)s in this Joint Working Group.") % {"pk": meeting_pk})
    user = request.user
    insider = can(user, "view_internals", group)
    viewer = viewer_zone(request)
    actions: list[ActionRow] = []
    if insider:
        prefetch_related_objects([meeting], "attendance__member__user")
        actions = _rows(user, selectors.action_list(user=user, group=group).filter(meeting=meeting))
    context = {
        "group": group,
        "meeting": meeting,
        "time": meeting_time(meeting, viewer.zone),
        "insider": insider,
        "decisions": meeting.decisions.all(),
        "actions": actions,
        "statuses": ActionItem.Status.choices,
        "viewer": viewer,
        "zones": COMMON_ZONES,
    }
    return _remember_zone(render(request, "portal/jwg/meeting.html", context), viewer)
