"""The minutes of a JWG meeting as PDF (WeasyPrint), in the language of the page: English or French templates,
other languages fall back to English.

Rendering never reaches the network or the disk: no base URL, and a URL fetcher that refuses every URL (and keeps
the list), so a hostile minutes body (``<img src="http://…">``, ``file://`` links, CSS ``url()``) fetches nothing.
Fonts come from the system (DejaVu Sans, through fontconfig), not from URLs.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils import timezone as dj_timezone
from django.utils.safestring import SafeString, mark_safe

from bakuhub.core.richtext import clean_html
from bakuhub.working_groups.models import ActionItem, Attendance, Decision, Meeting, WorkingGroupMember

# WeasyPrint ships no type information; it stays behind this module, typed as Any.
_weasyprint: Any = importlib.import_module("weasyprint")
_weasyprint_urls: Any = importlib.import_module("weasyprint.urls")

TEMPLATES = {"en": "reports/minutes_en.html", "fr": "reports/minutes_fr.html"}
DEFAULT_LANGUAGE = "en"

# Labels of stored choices; the English ones are the models' own.
_CHOICE_LABELS_FR: dict[str, str] = {
    # meeting
    "planned": "Prévue",
    "held": "Tenue",
    "cancelled": "Annulée",
    # attendance
    "present": "Présent·e",
    "apologies": "Excusé·e",
    "absent": "Absent·e",
    # decision
    "adopted": "Adoptée",
    "superseded": "Remplacée",
    "implemented": "Mise en œuvre",
    # action
    "open": "Ouverte",
    "in_progress": "En cours",
    "done": "Terminée",
    "dropped": "Abandonnée",
    # member role
    "co_chair": "Coprésidence",
    "member": "Membre",
    "secretary": "Secrétariat",
    "observer": "Observateur·rice",
}
_DATE_FORMATS = {"en": ("l j F Y", "H:i", "j F Y"), "fr": ("l j F Y", "H\\hi", "j F Y")}


class RefusingUrlFetcher(_weasyprint_urls.URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that fetches nothing: every URL is refused (ValueError, which WeasyPrint turns into
    a skipped resource) and recorded in ``refused``; ``fetched`` stays empty by construction."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.refused.append(str(url)[:500])
        raise ValueError("External resources are not loaded in minutes PDFs.")


def language_of(value: str | None) -> str:
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in TEMPLATES else DEFAULT_LANGUAGE


def _label(language: str, value: str, english: str) -> str:
    return _CHOICE_LABELS_FR.get(value, english) if language == "fr" else english


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _offset(value: dt.datetime) -> str:
    raw = value.strftime("%z") or "+0000"
    return f"UTC{raw[:3]}:{raw[3:]}"


def _member(member: WorkingGroupMember, language: str) -> str:
    role = _label(language, member.role, str(member.get_role_display()))
    return f"{member} ({role})" if member.role != WorkingGroupMember.Role.MEMBER else str(member)


def minutes_context(meeting: Meeting, *, language: str) -> dict[str, Any]:
    """Everything the template shows, formatted in `language` (call inside translation.override)."""
    group = meeting.working_group
    tz = _zone(meeting.timezone)
    start, end = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
    day_format, time_format, short_format = _DATE_FORMATS.get(language, _DATE_FORMATS["en"])
    when = f"{dateformat.format(start, day_format)}, {dateformat.format(start, time_format)}\u2013"
    if end.date() != start.date():
        when += f"{dateformat.format(end, day_format)}, "
    when += dateformat.format(end, time_format)

    attendance: dict[str, list[str]] = {status: [] for status in Attendance.Status.values}
    for row in meeting.attendance.select_related("member__organisation", "member__user").order_by(
        "member__role", "member__id"
    ):
        attendance.setdefault(row.status, []).append(_member(row.member, language))

    # Table rows, with their texts already in the document's language.
    decisions = [
        {
            "reference": d.reference,
            "text": d.text,
            "agenda": str(d.agenda_item.number) if d.agenda_item is not None else "",
            "status": _label(language, d.status, str(d.get_status_display())),
        }
        for d in Decision.objects.filter(meeting=meeting).select_related("agenda_item").order_by("year", "number")
    ]
    today = dj_timezone.localdate()
    actions = [
        {
            "title": a.title,
            "owner": str(a.owner),
            "due": dateformat.format(a.due_on, short_format),
            "status": _label(language, a.status, str(a.get_status_display())),
            "decision": a.decision.reference if a.decision is not None else "",
            "overdue": a.status in ActionItem.OPEN_STATUSES and a.due_on < today,
        }
        for a in ActionItem.objects.filter(meeting=meeting)
        .select_related("owner__organisation", "owner__user", "decision")
        .order_by("due_on", "id")
    ]
    minutes: SafeString | str = ""
    if meeting.minutes.strip():
        # Sanitised with nh3 when it was written (bakuhub.core.richtext); this is the one field marked safe.
        minutes = mark_safe(clean_html(meeting.minutes))
    return {
        "language": language,
        "group_name": group.name,
        "group_code": group.code,
        "country_name": group.country.name,
        "meeting": meeting,
        "title": meeting.title,
        "is_example": meeting.is_example,
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
        "status": _label(language, meeting.status, str(meeting.get_status_display())),
        "when": when,
        "zone_name": meeting.timezone,
        "utc_offset": _offset(start),
        "place": meeting.place,
        "online_url": meeting.online_url,
        "present": attendance.get(Attendance.Status.PRESENT, []),
        "apologies": attendance.get(Attendance.Status.APOLOGIES, []),
        "absent": attendance.get(Attendance.Status.ABSENT, []),
        "agenda": list(meeting.agenda_items.order_by("number")),
        "minutes": minutes,
        "decisions": decisions,
        "actions": actions,
        "generated_on": dateformat.format(today, short_format),
    }


def minutes_html(meeting: Meeting, *, language: str | None = None) -> str:
    """The HTML the PDF is made from (also handy to preview). `language` None: the minutes' own language."""
    lang = language_of(language or meeting.language)
    with translation.override(lang):
        return render_to_string(TEMPLATES[lang], minutes_context(meeting, language=lang))


def minutes_pdf(meeting: Meeting, *, language: str | None = None, fetcher: RefusingUrlFetcher | None = None) -> bytes:
    """The minutes as PDF bytes. `fetcher` lets a caller see what was refused; it is always a refusing one."""
    html = minutes_html(meeting, language=language)
    document = _weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingUrlFetcher())
    return bytes(document.write_pdf())
