"""Rich text (terms of reference, minutes): a small allow-list of tags, cleaned with nh3. Script is refused, not
silently dropped, so the author learns why their text changed."""

from __future__ import annotations

import re

import nh3

from .errors import ValidationFailed
from .validation import normalised_text

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a", "table",
                "thead", "tbody", "tr", "th", "td"}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan"}, "th": {"colspan"}}
_SCRIPT = re.compile(r"<\s*script|javascript\s*:|\son[a-z]+\s*=|<\s*iframe|<\s*object|<\s*embed", re.IGNORECASE)


def sanitise_html(value: str | None, *, field: str, max_length: int = 100_000) -> str:
    text = normalised_text(value, field, multiline=True)
    if len(text) > max_length:
        msg = f"At most {max_length} characters (got {len(text)})."
        raise ValidationFailed(f"{field}: {msg}", errors={field: [msg]})
    if _SCRIPT.search(text):
        msg = "Script, event handlers, frames and embedded objects are not allowed in rich text; remove them."
        raise ValidationFailed(msg, errors={field: [msg]})
    return clean_html(text)


def clean_html(value: str) -> str:
    """The allow-list cleaning alone, never raising: used again at display time, so that rich text written by any
    path (an import, the admin, the database) is safe to show."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
