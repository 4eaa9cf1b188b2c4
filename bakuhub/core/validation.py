"""Small input checks shared by every domain's services; each raises ValidationFailed naming the field."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from .errors import ValidationFailed
from .models import DatePrecision

_url = URLValidator(schemes=["http", "https"])


def required_text(value: str | None, field: str, *, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(f"{field} is required.", errors={field: ["This field is required."]})
    if len(text) > max_length:
        msg = f"At most {max_length} characters (got {len(text)})."
        raise ValidationFailed(f"{field}: {msg}", errors={field: [msg]})
    return text


def optional_text(value: str | None, field: str, *, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        msg = f"At most {max_length} characters (got {len(text)})."
        raise ValidationFailed(f"{field}: {msg}", errors={field: [msg]})
    return text


def optional_url(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    try:
        _url(text)
    except ValidationError:
        msg = f"'{text[:100]}' is not a valid http(s) address."
        raise ValidationFailed(msg, errors={field: [msg]}) from None
    if len(text) > 500:
        raise ValidationFailed("The address is too long.", errors={field: ["At most 500 characters."]})
    return text


def not_in_future(value: dt.date, field: str) -> dt.date:
    if value > timezone.localdate():
        msg = f"{value.isoformat()} is in the future; record a step once it has happened."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def date_precision(value: str, field: str = "date_precision") -> str:
    """How precisely a date is known: day, month or year (a month-only source date is stored as the 1st)."""
    if value not in DatePrecision.values:
        msg = f"'{value}' is not a date precision. Use one of: {', '.join(DatePrecision.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value
