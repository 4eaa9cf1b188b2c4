"""iCalendar (RFC 5545) feeds of JWG meetings, behind capability links that can be revoked.

A link carries a signed token (django.core.signing, salt ``bakuhub.calendar``) naming a group or a person and the
version of their calendar link; rotating the link bumps the version, so every older token stops working.

* The **group feed** is for anyone holding its link: each meeting's title, time and place, nothing internal (no
  online link, agenda, attendance or minutes).
* The **person feed** is for the person only: the meetings of every group whose internals they may see, with the
  agenda and the online link, plus their open action items as all-day events on the due date. Never minutes.

Nothing here depends on a request, so the API can serve the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from bakuhub.accounts.models import User
from bakuhub.core.dates import is_plausible
from bakuhub.core.errors import NotFound

from .models import ActionItem, Meeting, PersonalCalendar, WorkingGroup
from .selectors import insider_group_ids, my_actions
from .timezones import zone_for_country

SALT = "bakuhub.calendar"
PRODID = "-//Baku Hub//bakuhub//EN"
REVOKED = "This calendar link was revoked or is not valid; ask for the new link."
EXAMPLE_PREFIX = "[EXAMPLE] "
GROUP_FEED_URL_NAME = "portal:calendar_group"
PERSON_FEED_URL_NAME = "portal:calendar_person"
MEETING_URL_NAMES = ("portal:meeting", "portal:working_group")  # the first that resolves links each event

logger = logging.getLogger(__name__)
Row = TypeVar("Row", Meeting, ActionItem)


# --- capability tokens ---------------------------------------------------------------------------------------------


def _load(token: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise NotFound(REVOKED) from None
    if not isinstance(payload, dict):
        raise NotFound(REVOKED)
    return payload


def _int(payload: dict[str, Any], key: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise NotFound(REVOKED)
    return value


def group_feed_token(group: WorkingGroup) -> str:
    return signing.dumps({"g": group.pk, "v": group.calendar_version}, salt=SALT)


def group_from_token(token: str) -> WorkingGroup:
    """The group a feed token names, if the token is genuine and not rotated away; else NotFound."""
    payload = _load(token)
    group_id, version = _int(payload, "g"), _int(payload, "v")
    group = WorkingGroup.objects.select_related("country").filter(pk=group_id).first()
    if group is None or group.calendar_version != version:
        raise NotFound(REVOKED)
    return group


def person_feed_token(user: User) -> str:
    """The person's current feed token. Giving out a link pins version 1 in a row (once), so the first rotation
    really revokes it."""
    calendar, _ = PersonalCalendar.objects.get_or_create(user=user)
    return signing.dumps({"u": user.pk, "v": calendar.version}, salt=SALT)


def _person_version(user_id: int) -> int:
    version = PersonalCalendar.objects.filter(user_id=user_id).values_list("version", flat=True).first()
    return version if version is not None else 1


def user_from_token(token: str) -> User:
    """The active user a personal feed token names, if genuine and current; else NotFound. Writes nothing."""
    payload = _load(token)
    user_id, version = _int(payload, "u"), _int(payload, "v")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or _person_version(user.pk) != version:
        raise NotFound(REVOKED)
    return user


def _absolute(path: str) -> str:
    return str(settings.BAKUHUB_SITE_URL).rstrip("/") + path


def group_feed_path(group: WorkingGroup) -> str:
    """The site-relative link of the group's feed (with a request at hand: ``request.build_absolute_uri(path)``)."""
    return reverse(GROUP_FEED_URL_NAME, kwargs={"token": group_feed_token(group)})


def person_feed_path(user: User) -> str:
    return reverse(PERSON_FEED_URL_NAME, kwargs={"token": person_feed_token(user)})


def group_feed_url(group: WorkingGroup) -> str:
    """The absolute link of the group's feed on BAKUHUB_SITE_URL (for e-mails and the API)."""
    return _absolute(group_feed_path(group))


def person_feed_url(user: User) -> str:
    return _absolute(person_feed_path(user))


# --- feeds ---------------------------------------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _meeting_url(meeting: Meeting) -> str:
    for name, args in zip(
        MEETING_URL_NAMES, ([meeting.working_group_id, meeting.pk], [meeting.working_group_id]), strict=True
    ):
        try:
            return _absolute(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return _absolute("/")


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", dt.timedelta(hours=1))
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    return cal


def _summary(meeting: Meeting) -> str:
    return f"{EXAMPLE_PREFIX if meeting.is_example else ''}{meeting.title}"


def _meeting_event(meeting: Meeting, *, insider: bool) -> Event:
    tz = _zone(meeting.timezone)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@bakuhub")
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("created", meeting.created_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", _summary(meeting))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.status == Meeting.Status.CANCELLED else "OPAQUE")
    event.add("url", _meeting_url(meeting))
    if insider:
        location = meeting.place or meeting.online_url
        if location:
            event.add("location", location)
        lines = [meeting.working_group.name]
        if meeting.is_example:
            lines.append("Example meeting - not a real meeting.")
        if meeting.place and meeting.online_url:
            lines.append(f"Online: {meeting.online_url}")
        agenda = list(meeting.agenda_items.all())
        if agenda:
            lines.append("")
            lines.append("Agenda:")
            lines.extend(f"{item.number}. {item.title}" for item in agenda)
        event.add("description", "\n".join(lines))
    else:
        location = meeting.place or ("Online" if meeting.online_url else "")
        if location:
            event.add("location", location)
        if meeting.is_example:
            event.add("description", "Example meeting - not a real meeting.")
    return event


def _action_event(action: ActionItem) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@bakuhub")
    event.add("dtstamp", action.updated_at.astimezone(dt.UTC))
    event.add("last-modified", action.updated_at.astimezone(dt.UTC))
    event.add("dtstart", action.due_on)
    event.add("dtend", action.due_on + dt.timedelta(days=1))
    event.add("summary", f"Due: {action.title} ({action.working_group.code})")
    lines = [action.working_group.name, f"Owner: {action.owner}", f"Status: {action.get_status_display()}"]
    if action.decision is not None:
        lines.append(f"Decision: {action.decision.reference}")
    if action.description:
        lines.extend(["", action.description])
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Action item"])
    return event


def _finish(cal: Calendar, days: Iterable[dt.date], fallback_zone: str) -> bytes:
    """Add the VTIMEZONEs the events use (over the years they span), so the feed stands on its own."""
    dates = list(days)
    first = dt.date(min(dates).year - 1, 1, 1) if dates else dt.date(timezone.localdate().year - 1, 1, 1)
    last = dt.date(max(dates).year + 2, 1, 1) if dates else dt.date(timezone.localdate().year + 2, 1, 1)
    cal.add_missing_timezones(first_date=first, last_date=last)
    if not cal.subcomponents and fallback_zone != "UTC":
        # RFC 5545 wants at least one component; an empty feed carries its home zone.
        cal.add_component(Timezone.from_tzinfo(_zone(fallback_zone), first_date=first, last_date=last))
    return bytes(cal.to_ical())


def _add_events(
    cal: Calendar, rows: Iterable[Row], days: Callable[[Row], list[dt.date]], render: Callable[[Row], Event]
) -> list[dt.date]:
    """Add each row's event; skip (and log) a row the feed cannot render, e.g. one dated in year 1 by an old import,
    so that one bad row never breaks the whole feed. Returns the days of the events added."""
    added: list[dt.date] = []
    for row in rows:
        try:
            row_days = days(row)
            if not all(is_plausible(day) for day in row_days):
                raise ValueError(f"implausible date {min(row_days)} .. {max(row_days)}")
            event = render(row)
            event.to_ical()
        except (ValueError, OverflowError, TypeError) as problem:
            logger.warning("Calendar feed skips %s %s: %s", type(row).__name__, row.pk, problem)
            continue
        cal.add_component(event)
        added.extend(row_days)
    return added


def _meeting_days(meeting: Meeting) -> list[dt.date]:
    return [meeting.starts_at.date(), meeting.ends_at.date()]


def group_calendar_ics(group: WorkingGroup, *, insider: bool = False) -> bytes:
    """The group's feed: every meeting (cancelled ones as STATUS:CANCELLED) with title, time and place only.

    ``insider=True`` (for callers who checked that the viewer sees the group's internals, e.g. the API) adds the
    agenda and the online link, as in the person feed. Never minutes."""
    meetings_qs = Meeting.objects.filter(working_group=group).select_related("working_group")
    if insider:
        meetings_qs = meetings_qs.prefetch_related("agenda_items")
    meetings = list(meetings_qs.order_by("starts_at", "id"))
    cal = _calendar(group.name)
    cal.add("x-wr-caldesc", f"Meetings of the {group.name} (Baku Hub)")
    days = _add_events(cal, meetings, _meeting_days, lambda m: _meeting_event(m, insider=insider))
    return _finish(cal, days, zone_for_country(group.country.iso3))


def person_calendar_ics(user: User) -> bytes:
    """The person's feed: meetings of the groups whose internals they see, and their own open action items."""
    meetings_qs = Meeting.objects.select_related("working_group").prefetch_related("agenda_items")
    allowed = insider_group_ids(user)
    if allowed is not None:
        meetings_qs = meetings_qs.filter(working_group_id__in=allowed)
    meetings = list(meetings_qs.order_by("starts_at", "id"))
    actions = list(my_actions(user=user).select_related("owner__user"))
    cal = _calendar(f"Baku Hub - {user.get_full_name() or user.get_username()}")
    cal.add("x-wr-caldesc", "Your Joint Working Group meetings and action items (Baku Hub)")
    days = _add_events(cal, meetings, _meeting_days, lambda m: _meeting_event(m, insider=True))
    days += _add_events(cal, actions, lambda a: [a.due_on], _action_event)
    return _finish(cal, days, "UTC")
