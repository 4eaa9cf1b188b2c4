"""Small input checks shared by every domain's services; each raises ValidationFailed naming the field."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from .currencies import is_currency, normalise_currency, unknown_currency_message
from .dates import plausible_date
from .errors import ValidationFailed
from .models import DatePrecision

_url = URLValidator(schemes=["http", "https"])


# Fields that hold several lines (descriptions, notes, quotes): they keep newlines and tabs, and may hold the
# zero-width joiners some scripts need. Every other text field is a name, a title or a code: one line, no
# invisible characters. A caller may say `multiline=` explicitly.
MULTILINE_FIELDS = frozenset(
    {"description", "purpose", "note", "comment", "text", "source_quote", "terms_of_reference", "minutes", "summary"}
)
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _label(field: str) -> str:
    return field.replace("_", " ")


def normalised_text(value: object, field: str, *, multiline: bool | None = None) -> str:
    """`value` as stored: normalised (NFKC; NFC in multi-line text) and trimmed. Refuses what no database can
    store or a reader cannot see: NUL and other control characters (newlines and tabs are allowed in multi-line
    fields), lone surrogates, and, in names, titles and codes, bidirectional overrides and zero-width characters.
    None is the empty text."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(field, _("The %(field)s must be text.") % {"field": _label(field)})
    if multiline is None:
        multiline = field in MULTILINE_FIELDS
    for char in value:  # a lone surrogate cannot be stored; U+FFFD is what undecodable bytes became on the way in
        if 0xD800 <= ord(char) <= 0xDFFF or char == "\ufffd":
            message = _("The %(field)s contains a broken character (U+%(code)04X); retype the text.")
            raise _refuse(field, message % {"field": _label(field), "code": ord(char)})
    # Names, titles and codes are compared and searched: NFKC folds compatibility forms (full-width "IOM" is "IOM").
    # Multi-line text is quoted verbatim from sources, so it gets the canonical form only (an ellipsis stays one).
    text = unicodedata.normalize("NFC" if multiline else "NFKC", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    for char in text:
        point = ord(char)
        if multiline and char in "\n\t":
            continue
        if unicodedata.category(char) == "Cc":
            message = _("The %(field)s contains a control character (U+%(code)04X); remove it.")
            raise _refuse(field, message % {"field": _label(field), "code": point})
        if not multiline and (point in _BIDI_CONTROLS or point in _ZERO_WIDTH):
            message = _("The %(field)s contains an invisible character (U+%(code)04X); remove it.")
            raise _refuse(field, message % {"field": _label(field), "code": point})
    return text


def required_text(value: str | None, field: str, *, max_length: int, multiline: bool | None = None) -> str:
    text = normalised_text(value, field, multiline=multiline)
    if not text:
        raise ValidationFailed(f"{field} is required.", errors={field: ["This field is required."]})
    if len(text) > max_length:
        msg = f"At most {max_length} characters (got {len(text)})."
        raise ValidationFailed(f"{field}: {msg}", errors={field: [msg]})
    return text


def optional_text(value: str | None, field: str, *, max_length: int, multiline: bool | None = None) -> str:
    text = normalised_text(value, field, multiline=multiline)
    if len(text) > max_length:
        msg = f"At most {max_length} characters (got {len(text)})."
        raise ValidationFailed(f"{field}: {msg}", errors={field: [msg]})
    return text


def name_key(value: str) -> str:
    """The form under which two names are the same name: NFKC, case-folded, inner spaces collapsed ("IOM", " iom "
    and the full-width IOM share one key)."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold()).split())


def optional_url(value: str | None, field: str) -> str:
    text = normalised_text(value, field, multiline=False)
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
    value = plausible_date(value, field)
    if value > timezone.localdate():
        msg = f"{value.isoformat()} is in the future; record a step once it has happened."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def date_precision(value: str, field: str = "date_precision") -> str:
    """How precisely a date is known: day, month or year (a month-only source date is stored as the 1st)."""
    if not isinstance(value, str) or value not in DatePrecision.values:
        msg = f"'{value}' is not a date precision. Use one of: {', '.join(DatePrecision.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def boolean(value: object, field: str) -> bool:
    """`value` itself if it is True or False: 1, "yes" or "true" are not booleans at this boundary."""
    if not isinstance(value, bool):
        message = _("The %(field)s must be true or false.") % {"field": _label(field)}
        raise _refuse(field, message)
    return value


def integer(value: object, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """`value` itself if it is a whole number (not a boolean, a float or a string) within the bounds given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(field, _("The %(field)s must be a whole number.") % {"field": _label(field)})
    if minimum is not None and value < minimum:
        message = _("The %(field)s must be at least %(minimum)s.") % {"field": _label(field), "minimum": minimum}
        raise _refuse(field, message)
    if maximum is not None and value > maximum:
        message = _("The %(field)s must be at most %(maximum)s.") % {"field": _label(field), "maximum": maximum}
        raise _refuse(field, message)
    return value


def currency(value: object, field: str = "currency") -> str:
    """An active ISO 4217 code, upper case ("usd" is USD); XXX, XTS and made-up codes such as ZZZ are refused."""
    if not isinstance(value, str):
        raise _refuse(field, unknown_currency_message(str(value or "")))
    code = normalise_currency(normalised_text(value, field, multiline=False))
    if not is_currency(code):
        raise _refuse(field, unknown_currency_message(value))
    return code
