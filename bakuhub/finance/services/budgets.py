"""Budget writes: one period of at most a year, inside the project's planned dates, converted at its value date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.errors import ValidationFailed
from bakuhub.projects.models import Project

from ..models import Budget
from .common import check_can_change, checked_amount, checked_currency, checked_date, converted

BUDGET_FIELDS = ["project", "period_start", "period_end", "status", "kind", "amount", "currency", "value_date",
                 "amount_usd", "amount_eur", "is_demo"]  # fmt: skip


def periods_overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """Whether two closed date ranges share at least one day (symmetric in its two periods)."""
    return a_start <= b_end and b_start <= a_end


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (29 February → 1 March)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 3, 1)


def period_problem(start: dt.date, end: dt.date, project: Project) -> str:
    """Why the period cannot be a budget period of `project`, or ''."""
    if end < start:
        return f"The budget period ends ({end}) before it starts ({start})."
    if end >= one_year_after(start):
        return (
            f"A budget period may be at most one year long (IATI rule); {start} to {end} is "
            f"{(end - start).days + 1} days. Split it into yearly budgets."
        )
    if project.planned_start is not None and start < project.planned_start:
        return f"The budget starts on {start}, before the project's planned start ({project.planned_start})."
    if project.planned_end is not None and end > project.planned_end:
        return f"The budget ends on {end}, after the project's planned end ({project.planned_end})."
    return ""


def _choice(value: Any, choices: type[Budget.Status] | type[Budget.Kind], field: str) -> str:
    code = str(value)
    if code not in choices.values:
        listed = ", ".join(f"{c.value} {c.label}" for c in choices)
        msg = f"'{code[:20]}' is not a budget {field} ({listed})."
        raise ValidationFailed(msg, errors={field: [msg]})
    return code


@transaction.atomic
def budget_create(
    *,
    actor: User | None,
    project: Project,
    period_start: dt.date,
    period_end: dt.date,
    amount: Decimal,
    currency: str,
    value_date: dt.date | None = None,
    status: str = Budget.Status.INDICATIVE,
    kind: str = Budget.Kind.ORIGINAL,
    is_demo: bool = False,
) -> Budget:
    """Add a budget for one period (IATI `budget`); its value is converted to USD and EUR at `value_date`
    (default: the period's start). Budgets of the same kind (original, revised) must not overlap."""
    check_can_change(actor, project, "budgets")
    period_start = checked_date(period_start, "period_start")
    period_end = checked_date(period_end, "period_end")
    value_date = period_start if value_date is None else checked_date(value_date, "value_date")
    status = _choice(status, Budget.Status, "status")
    kind = _choice(kind, Budget.Kind, "kind")
    amount = checked_amount(amount, allow_negative=False, negative_message="A budget must not be negative.")
    currency = checked_currency(currency)
    problem = period_problem(period_start, period_end, project)
    if problem:
        raise ValidationFailed(problem, errors={"period_end": [problem]})
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True))
    siblings = Budget.objects.filter(project=project, kind=kind).order_by("period_start")
    for other in siblings.filter(period_start__lte=period_end, period_end__gte=period_start)[:1]:
        msg = (
            f"The period overlaps the {other.get_kind_display().lower()} budget from {other.period_start} to "
            f"{other.period_end} ({other.amount} {other.currency}); budgets of the same kind must not overlap."
        )
        raise ValidationFailed(msg, errors={"period_start": [msg]})
    usd, eur = converted(amount, currency, value_date)
    budget = Budget.objects.create(
        project=project,
        period_start=period_start,
        period_end=period_end,
        status=status,
        kind=kind,
        amount=amount,
        currency=currency,
        value_date=value_date,
        amount_usd=usd,
        amount_eur=eur,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=budget, fields=BUDGET_FIELDS)
    return budget


@transaction.atomic
def budget_delete(*, actor: User | None, budget: Budget) -> None:
    check_can_change(actor, budget.project, "budgets")
    before = audit.snapshot(budget, BUDGET_FIELDS)
    audit.record(actor=actor, action="budget.delete", obj=budget, changes={k: [v, None] for k, v in before.items()})
    budget.delete()
