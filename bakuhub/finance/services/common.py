"""Checks shared by the budget and transaction services: the actor's rights, the amount, the currency, the rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from bakuhub.accounts.models import User
from bakuhub.core import validation
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.projects.models import Project
from bakuhub.projects.permissions import can

from ..rates import CENT, MAX_AMOUNT, Converted, convert


def check_can_change(actor: User | None, project: Project, what: str) -> None:
    if not isinstance(project, Project):
        raise ValidationFailed("Unknown project.", errors={"project": ["Unknown project."]})
    if actor is not None and not can(actor, "change_project", project):
        raise PermissionDenied(f"You may not change the {what} of the project '{project.title}'.")


def checked_amount(amount: Any, *, allow_negative: bool, negative_message: str = "") -> Decimal:
    """A Decimal with at most 2 decimals and under 10^16 in size; negative only when allowed."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if isinstance(amount, bool | float) or not value.is_finite():
        msg = f"'{str(amount)[:30]}' is not an amount; give a decimal number such as 125000.50."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    if abs(value) >= MAX_AMOUNT or value != value.quantize(CENT):
        msg = "Give the amount with at most 2 decimals and below 10,000,000,000,000 (10^13)."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    if value < 0 and not allow_negative:
        msg = negative_message or "The amount must not be negative."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    return value.quantize(CENT)


def checked_currency(currency: str | None) -> str:
    return validation.currency(currency, "currency")


def checked_date(value: Any, field: str) -> dt.date:
    """A calendar date within the plausible range (bakuhub.core.dates)."""
    return plausible_date(value, field)


def converted(amount: Decimal, currency: str, value_date: dt.date) -> Converted:
    """The USD and EUR values at the value date; ValidationFailed names the missing rate."""
    return convert(amount, currency, value_date)
