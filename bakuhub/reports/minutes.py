"""The minutes of a JWG meeting as PDF (WeasyPrint) in English, French, Portuguese or Arabic (right to left): one
template whose labels come from the translation catalogues, and the stored choices' own translated labels.

Rendering never reaches the network or the disk: no base URL, and a URL fetcher that refuses every URL (and keeps
the list), so a hostile minutes body (``<img src="http://…">``, ``file://`` links, CSS ``url()``) fetches nothing.
Fonts come from the system (DejaVu Sans, through fontconfig), not from URLs.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import unicodedata
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils import timezone as dj_timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bakuhub.core.richtext import clean_html
from bakuhub.working_groups.models import ActionItem, Attendance, Decision, Meeting, WorkingGroupMember

# WeasyPrint ships no type information; it stays behind this module, typed as Any.
_weasyprint: Any = importlib.import_module("weasyprint")
_weasyprint_urls: Any = importlib.import_module("weasyprint.urls")

TEMPLATE = "reports/minutes.html"
DEFAULT_LANGUAGE = "en"

# Day, time and short date formats per language (month and day names come from Django's locale data).
_DATE_FORMATS = {
    "en": ("l j F Y", "H:i", "j F Y"),
    "fr": ("l j F Y", "H\\hi", "j F Y"),
    "pt": ("l, j \\d\\e F \\d\\e Y", "H:i", "j \\d\\e F \\d\\e Y"),
    "ar": ("l j F Y", "H:i", "j F Y"),
}


# Unicode first-strong isolate: a value inside it keeps its own direction and does not reorder the text around it
# (what <bdi> does in a browser; the PDF renderer honours the characters, not the element).
_FSI, _PDI = "\u2068", "\u2069"
_TAG = re.compile(r"<[^>]*>")


def text_direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strongly directional character of `text` (HTML tags ignored); 'auto' if none."""
    for char in _TAG.sub(" ", text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


def _isolated(value: str) -> str:
    return f"{_FSI}{value}{_PDI}" if value else value


class UnknownLanguage(ValueError):
    """A minutes language that the Hub has no catalogue for; the message names the ones it has."""


def languages() -> list[tuple[str, str]]:
    """The languages minutes can be rendered in: the site's languages (code, English name)."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


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


def _base(value: str | None) -> str:
    return (value or "").strip().lower().replace("_", "-").split("-")[0]


def language_of(value: str | None) -> str:
    """The minutes language for `value` ("pt-BR" is Portuguese); an unknown or empty one falls back to English."""
    code = _base(value)
    return code if code in dict(languages()) else DEFAULT_LANGUAGE


def requested_language(value: str) -> str:
    """The language a reader asked for by name (e.g. ``?lang=pt``); UnknownLanguage if the Hub has none such."""
    code = _base(value)
    if code not in dict(languages()):
        with translation.override(DEFAULT_LANGUAGE):
            names = ", ".join(f"{c} ({name})" for c, name in languages())
        msg = _("Minutes are not available in '%(asked)s'; the languages are: %(names)s.") % {
            "asked": value.strip()[:20],
            "names": names,
        }
        raise UnknownLanguage(msg)
    return code


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _offset(value: dt.datetime) -> str:
    raw = value.strftime("%z") or "+0000"
    return f"UTC{raw[:3]}:{raw[3:]}"


def _member(member: WorkingGroupMember, language: str) -> str:
    role = str(member.get_role_display())
    return f"{member} ({role})" if member.role != WorkingGroupMember.Role.MEMBER else str(member)


def minutes_context(meeting: Meeting, *, language: str) -> dict[str, Any]:
    """Everything the template shows, formatted in `language` (call inside translation.override)."""
    group = meeting.working_group
    tz = _zone(meeting.timezone)
    start, end = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
    day_format, time_format, short_format = _DATE_FORMATS.get(language, _DATE_FORMATS["en"])
    rtl = language in settings.LANGUAGES_BIDI
    comma = "\u060c " if language == "ar" else ", "  # the Arabic comma in Arabic dates
    when = f"{dateformat.format(start, day_format)}{comma}{dateformat.format(start, time_format)}\u2013"
    if end.date() != start.date():
        when += f"{dateformat.format(end, day_format)}{comma}"
    when += dateformat.format(end, time_format)
    # In a right-to-left document, every value typed by a user (often Latin) and every date is isolated, so that
    # "Example data." or "2025" is not reordered with the Arabic around it.
    iso = _isolated if rtl else str

    attendance: dict[str, list[str]] = {status: [] for status in Attendance.Status.values}
    for row in meeting.attendance.select_related("member__organisation", "member__user").order_by(
        "member__role", "member__id"
    ):
        attendance.setdefault(row.status, []).append(iso(_member(row.member, language)))

    # Table rows, with their texts already in the document's language.
    decisions = [
        {
            "reference": iso(d.reference),
            "text": d.text,
            "text_dir": text_direction(d.text),
            "agenda": str(d.agenda_item.number) if d.agenda_item is not None else "",
            "status": str(d.get_status_display()),
        }
        for d in Decision.objects.filter(meeting=meeting).select_related("agenda_item").order_by("year", "number")
    ]
    today = dj_timezone.localdate()
    actions = [
        {
            "title": a.title,
            "title_dir": text_direction(a.title),
            "owner": iso(str(a.owner)),
            "due": iso(dateformat.format(a.due_on, short_format)),
            "status": str(a.get_status_display()),
            "decision": iso(a.decision.reference) if a.decision is not None else "",
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
        "direction": "rtl" if rtl else "ltr",
        "group_name": iso(group.name),
        "group_code": group.code,
        "country_name": iso(group.country.name),
        "meeting": meeting,
        "title": meeting.title,
        "title_dir": text_direction(meeting.title),
        "is_example": meeting.is_example,
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
        "status": str(meeting.get_status_display()),
        "when": iso(when),
        "zone_name": iso(meeting.timezone),
        "utc_offset": iso(_offset(start)),
        "place": iso(meeting.place),
        "online_url": iso(meeting.online_url),
        "present": attendance.get(Attendance.Status.PRESENT, []),
        "apologies": attendance.get(Attendance.Status.APOLOGIES, []),
        "absent": attendance.get(Attendance.Status.ABSENT, []),
        "agenda": [
            {
                "number": item.number,
                "title": item.title,
                "description": item.description,
                "dir": text_direction(f"{item.title} {item.description}"),
            }
            for item in meeting.agenda_items.order_by("number")
        ],
        "minutes": minutes,
        "minutes_dir": text_direction(str(minutes)),
        "decisions": decisions,
        "actions": actions,
        "generated_on": iso(dateformat.format(today, short_format)),
    }


def minutes_html(meeting: Meeting, *, language: str | None = None) -> str:
    """The HTML the PDF is made from (also handy to preview). `language` None: the minutes' own language."""
    lang = language_of(language or meeting.language)
    with translation.override(lang):
        return render_to_string(TEMPLATE, minutes_context(meeting, language=lang))


def minutes_pdf(meeting: Meeting, *, language: str | None = None, fetcher: RefusingUrlFetcher | None = None) -> bytes:
    """The minutes as PDF bytes. `fetcher` lets a caller see what was refused; it is always a refusing one."""
    html = minutes_html(meeting, language=language)
    document = _weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingUrlFetcher())
    return bytes(document.write_pdf())
