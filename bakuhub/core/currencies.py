"""ISO 4217 currency codes accepted for amounts anywhere (the IATI Currency codelist's active codes, in `data/`):
one list for finance, commitments and rates, so a made-up code such as ZZZ is refused everywhere alike."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

CURRENCIES_FILE = Path(__file__).resolve().parent / "data" / "currencies.csv"


@cache
def currencies() -> dict[str, str]:
    """{code: English name} of every accepted currency, read once."""
    with CURRENCIES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def is_currency(code: str) -> bool:
    return code in currencies()


def normalise_currency(code: str | None) -> str:
    """The code as stored: trimmed and upper case (IATI files write currencies in either case)."""
    return (code or "").strip().upper()


def unknown_currency_message(code: str) -> str:
    shown = code[:20] if code else _("(empty)")
    return _("'%(code)s' is not an ISO 4217 currency code (e.g. USD, EUR, XAF, XOF).") % {"code": shown}
