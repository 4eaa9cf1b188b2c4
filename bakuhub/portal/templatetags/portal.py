from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from bakuhub.core.richtext import clean_html
from bakuhub.partners.lifecycle import LABELS, Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    try:
        return gettext(LABELS[Stage(value)])  # the msgids are listed in portal/stage_labels.py
    except ValueError:
        return value


@register.simple_tag
def fuzzy_date(value: dt.date | None, precision: str = "day") -> str:
    """A date shown only as precisely as the source knows it: 'September 2025' for a month-only date."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


@register.filter
def model_label(obj: object) -> str:
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None else ""


@register.filter
def rich(value: str) -> SafeString:
    """Stored rich text (already sanitised on write), cleaned once more before it is marked safe."""
    return mark_safe(clean_html(value))
