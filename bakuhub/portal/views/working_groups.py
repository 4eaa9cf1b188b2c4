"""Joint Working Group pages: the groups, their meetings, decisions and action items, 'my actions', the overdue board,
and the managers' forms. Thin: reads go through the selectors, writes through the services."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bakuhub.accounts.models import User
from bakuhub.commitments import selectors as commitment_selectors
from bakuhub.commitments.models import Commitment
from bakuhub.commitments.permissions import can as can_commitment
from bakuhub.core.errors import DomainError, ValidationFailed
from bakuhub.core.models import Country
from bakuhub.partners import selectors as partner_selectors
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.permissions import can
from bakuhub.working_groups.timezones import zone, zone_for_country

from ..forms_jwg import COMMON_ZONES, ActionForm, ActionStatusForm, DecisionForm, MeetingForm
from .errors import attach

TZ_COOKIE = "tz"
TZ_COOKIE_MAX_AGE = 365 * 24 * 3600
UTC = ZoneInfo("UTC")
EN_DASH = "\u2013"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


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


def _row_context(row: ActionRow, form: ActionStatusForm | None, next_url: str) -> dict[str, Any]:
    return {"row": row, "statuses": ActionItem.Status.choices, "form": form, "next_url": next_url}


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
    return [c for c in decision.commitments.all() if can_commitment(user, "view_commitment", c)]


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(pk)
    user = request.user
    insider = can(user, "view_internals", group)
    can_rotate = can(user, "rotate_calendar", group)
    viewer = viewer_zone(request)
    now = timezone.now()
    times = [meeting_time(m, viewer.zone) for m in selectors.meeting_list(group=group)]
    members = list(selectors.working_group_members(group=group))
    memo = group.memorandum
    memo_visible = memo is not None and (
        memo.is_published or partner_selectors.memorandum_detail(user=user, pk=memo.pk) is not None
    )
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
        "co_chairs": [m for m in members if m.role == WorkingGroupMember.Role.CO_CHAIR],
        "members": [m for m in members if m.role != WorkingGroupMember.Role.CO_CHAIR],
        "upcoming": [t for t in reversed(times) if t.meeting.ends_at >= now],
        "past": [t for t in times if t.meeting.ends_at < now],
        "decisions": [(d, _visible_commitments(user, d)) for d in selectors.decision_list(group=group)],
        "open_actions": open_actions,
        "statuses": ActionItem.Status.choices,
        "memo": memo if memo_visible else None,
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


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = _rows(user, selectors.my_actions(user=user).select_related("owner__user"))
    return render(request, "portal/jwg/my_actions.html", {"rows": rows, "statuses": ActionItem.Status.choices})


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    allowed = selectors.insider_group_ids(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(
            _("The overdue board is for the secretariat, funders, focal points and members of a Joint Working Group.")
        )
    by_group: dict[int, tuple[WorkingGroup, list[ActionRow]]] = {}
    for row in _rows(user, selectors.overdue_board(user=user)):
        group = row.action.working_group
        by_group.setdefault(group.pk, (group, []))[1].append(row)
    boards = sorted(by_group.values(), key=lambda item: (item[0].country.name, item[0].name))
    context = {"boards": boards, "total": sum(len(rows) for _, rows in boards), "statuses": ActionItem.Status.choices}
    return render(request, "portal/jwg/overdue.html", context)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal:my_actions")


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an action's status (its owner or a manager). htmx gets the updated row; a plain form a redirect."""
    user = _user(request)
    action = selectors.action_list(user=user).filter(pk=pk).first()
    if action is None and not ActionItem.objects.filter(pk=pk).exists():
        raise Http404(_("No action item %(pk)s.") % {"pk": pk})
    if action is None or not can(user, "update_action_status", action):
        raise PermissionDenied(_("Only the action's owner or the group's managers may change its status."))
    form = ActionStatusForm(request.POST)
    changed = False
    if form.is_valid():
        try:
            action = services.action_item_update(actor=user, action=action, status=form.cleaned_data["status"])
        except DomainError as exc:
            attach(form, exc)
        else:
            changed = True
    if _is_htmx(request):
        row = _rows(user, [action])[0]
        return render(
            request, "portal/jwg/_action_row.html", _row_context(row, None if changed else form, _next_url(request))
        )
    if changed:
        shown = {"title": action.title, "status": action.get_status_display()}
        messages.success(request, _("'%(title)s' is now %(status)s.") % shown)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_next_url(request))


# --- Managers' forms -------------------------------------------------------------------------------------------


def _managed_group(request: HttpRequest, pk: int, rule: str) -> tuple[User, WorkingGroup]:
    user = _user(request)
    group = _group(pk)
    if not can(user, rule, group):
        raise PermissionDenied(
            _("Only the secretariat and the focal points of %(country)s manage this group.")
            % {"country": group.country.name}
        )
    return user, group


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_meetings")
    initial = {"timezone": zone_for_country(group.country.iso3), "language": "en"}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meeting = services.meeting_create(
                    actor=user,
                    working_group=group,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    timezone=data["timezone"],
                    place=data["place"],
                    online_url=data["online_url"],
                    language=data["language"],
                    is_example=data["is_example"],
                )
                for title in form.agenda_titles():
                    try:
                        services.agenda_item_add(actor=user, meeting=meeting, title=title)
                    except DomainError as exc:
                        raise ValidationFailed(exc.message, errors={"agenda": [exc.message]}) from exc
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Meeting '%(title)s' scheduled.") % {"title": meeting.title})
            return redirect("portal:meeting", pk=group.pk, meeting_pk=meeting.pk)
    return _form_page(request, "portal/jwg/meeting_form.html", {"group": group, "form": form, "zones": COMMON_ZONES})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_decisions")
    form = DecisionForm(
        request.POST or None,
        group=group,
        meetings=selectors.meeting_list(group=group),
        commitments=commitment_selectors.commitment_list(user=user),
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                actor=user,
                working_group=group,
                text=data["text"],
                decided_on=data["decided_on"],
                meeting=data["meeting"],
                agenda_item=data["agenda_item"],
                status=data["status"],
                commitments=list(data["commitments"]),
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Decision %(ref)s recorded.") % {"ref": decision.reference})
            return redirect("portal:working_group", pk=group.pk)
    return _form_page(request, "portal/jwg/decision_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_actions")
    form = ActionForm(
        request.POST or None,
        members=selectors.working_group_members(group=group),
        decisions=selectors.decision_list(group=group),
        meetings=selectors.meeting_list(group=group),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_item_create(
                actor=user,
                working_group=group,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                decision=data["decision"],
                meeting=data["meeting"],
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request, _("Action '%(title)s' assigned to %(owner)s.") % {"title": action.title, "owner": action.owner}
            )
            return redirect("portal:working_group", pk=group.pk)
    return _form_page(request, "portal/jwg/action_form.html", {"group": group, "form": form})
