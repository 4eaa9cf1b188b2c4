"""ISO 4217 currency codes accepted for amounts: the one list lives in `bakuhub.core.currencies`."""

from __future__ import annotations

from bakuhub.core.currencies import CURRENCIES_FILE, currencies, is_currency, unknown_currency_message
from bakuhub.core.currencies import normalise_currency as normalise

USD = "USD"
EUR = "EUR"

__all__ = ["CURRENCIES_FILE", "EUR", "USD", "currencies", "currency_choices", "is_currency", "normalise",
           "unknown_currency_message"]  # fmt: skip


def currency_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in currencies().items()]
