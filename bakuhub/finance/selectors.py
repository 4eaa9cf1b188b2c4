"""Money read side: a project's finance summary and portfolio totals, summed in the database from the stored USD and
EUR values (a constant number of queries whatever the number of projects or transactions).

Committed = outgoing (2) + incoming (11) commitments, de-commitments included with their negative sign; disbursed = 3,
spent = 4 (expenditure), incoming = 1 (incoming funds). Funding gap = budget - committed; a negative gap is shown as
"over-committed", never hidden. The budget counts revised budgets, and original budgets only for periods that no
revised budget of the same project covers (IATI reports both for the same period).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import Country
from bakuhub.projects.models import Project
from bakuhub.projects.selectors import project_list

from .models import Budget, Transaction

ZERO = Decimal("0.00")
CURRENCIES = ("usd", "eur")
COMMITTED = [Transaction.Kind.OUTGOING_COMMITMENT, Transaction.Kind.INCOMING_COMMITMENT]
TRANSACTION_MEASURES: dict[str, Q] = {
    "committed": Q(kind__in=COMMITTED),
    "disbursed": Q(kind=Transaction.Kind.DISBURSEMENT),
    "spent": Q(kind=Transaction.Kind.EXPENDITURE),
    "incoming": Q(kind=Transaction.Kind.INCOMING_FUNDS),
}
FUNDING_KINDS = [Transaction.Kind.INCOMING_FUNDS, Transaction.Kind.INCOMING_COMMITMENT]
DIMENSIONS = ("country", "organisation", "funder", "nexus", "year")
NEXUS_GROUPS: dict[str, tuple[str, Q]] = {
    "triple": (
        "Triple nexus (climate, peace and migration)",
        Q(project__climate_score__gte=1, project__peace_score__gte=1, project__migration_score__gte=1),
    ),
    "climate": ("Climate", Q(project__climate_score__gte=1)),
    "peace": ("Peace", Q(project__peace_score__gte=1)),
    "migration": ("Migration", Q(project__migration_score__gte=1)),
}


def _gap(budget: Decimal | None, committed: Decimal) -> Decimal | None:
    return None if budget is None else budget - committed


@dataclass(frozen=True)
class ProjectFinance:
    budget_usd: Decimal
    budget_eur: Decimal
    committed_usd: Decimal
    committed_eur: Decimal
    disbursed_usd: Decimal
    disbursed_eur: Decimal
    spent_usd: Decimal
    spent_eur: Decimal
    incoming_usd: Decimal
    incoming_eur: Decimal

    @property
    def funding_gap_usd(self) -> Decimal:
        return self.budget_usd - self.committed_usd

    @property
    def funding_gap_eur(self) -> Decimal:
        return self.budget_eur - self.committed_eur

    @property
    def over_committed(self) -> bool:
        """More is committed than budgeted: the gap is negative and is shown as 'over-committed'."""
        return self.funding_gap_usd < 0

    @property
    def gap_label(self) -> str:
        return "Over-committed" if self.over_committed else "Funding gap"


@dataclass(frozen=True)
class FinanceTotal:
    """One group of `finance_totals`. A funder has no budget (budgets name no funder): budget and gap are None."""

    by: str
    key: str
    label: str
    budget_usd: Decimal | None
    budget_eur: Decimal | None
    committed_usd: Decimal
    committed_eur: Decimal
    disbursed_usd: Decimal
    disbursed_eur: Decimal
    spent_usd: Decimal
    spent_eur: Decimal
    incoming_usd: Decimal
    incoming_eur: Decimal

    @property
    def funding_gap_usd(self) -> Decimal | None:
        return _gap(self.budget_usd, self.committed_usd)

    @property
    def funding_gap_eur(self) -> Decimal | None:
        return _gap(self.budget_eur, self.committed_eur)

    @property
    def over_committed(self) -> bool:
        gap = self.funding_gap_usd
        return gap is not None and gap < 0


# --- building blocks ---


def visible_projects(user: Any, *, country: Country | int | None = None) -> QuerySet[Project]:
    """The projects `user` may view (the project list's rule: public ones for everyone, all for the secretariat and
    funders, their countries' for focal points, their organisations' for partner editors), optionally one country's."""
    return project_list(user=user, country=country)


def effective_budgets() -> QuerySet[Budget]:
    """Revised budgets, and original budgets whose period no revised budget of the same project overlaps."""
    revised = Budget.objects.filter(
        project=OuterRef("project"),
        kind=Budget.Kind.REVISED,
        period_start__lte=OuterRef("period_end"),
        period_end__gte=OuterRef("period_start"),
    )
    return Budget.objects.filter(Q(kind=Budget.Kind.REVISED) | ~Exists(revised))


def _transaction_sums(extra: Q | None = None, prefix: str = "") -> dict[str, Any]:
    sums: dict[str, Any] = {}
    for measure, kinds in TRANSACTION_MEASURES.items():
        for currency in CURRENCIES:
            where = kinds if extra is None else kinds & extra
            sums[f"{prefix}{measure}_{currency}"] = Sum(f"amount_{currency}", filter=where)
    return sums


def _budget_sums(extra: Q | None = None, prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}budget_{c}": Sum(f"amount_{c}", filter=extra) for c in CURRENCIES}


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def _money(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(ZERO)


def _measures(values: dict[str, Any], *, prefix: str = "", with_budget: bool = True) -> dict[str, Any]:
    measures: dict[str, Any] = {
        f"{m}_{c}": _money(values.get(f"{prefix}{m}_{c}")) for m in TRANSACTION_MEASURES for c in CURRENCIES
    }
    for c in CURRENCIES:
        measures[f"budget_{c}"] = _money(values.get(f"{prefix}budget_{c}")) if with_budget else None
    return measures


# --- selectors ---


def project_finance(*, project: Project) -> ProjectFinance:
    """Budget, committed, disbursed, spent and incoming money of one project, in USD and EUR (two queries)."""
    values = Transaction.objects.filter(project=project).aggregate(**_transaction_sums())
    values.update(effective_budgets().filter(project=project).aggregate(**_budget_sums()))
    return ProjectFinance(**_measures(values))


def _grouped(
    transactions: QuerySet[Transaction], budgets: QuerySet[Budget], by: str, expressions: dict[str, dict[str, Any]]
) -> list[FinanceTotal]:
    rows: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for queryset, sums in ((transactions, _transaction_sums()), (budgets, _budget_sums())):
        model = queryset.model._meta.model_name or ""
        grouped = queryset.order_by().values(**expressions[model]).annotate(**sums)
        for row in _dicts(grouped):
            key = "" if row["key"] is None else str(row["key"])
            labels.setdefault(key, str(row["label"] or ""))
            rows.setdefault(key, {}).update(row)
    return [FinanceTotal(by=by, key=key, label=labels[key], **_measures(values)) for key, values in rows.items()]


def _funders(transactions: QuerySet[Transaction]) -> list[FinanceTotal]:
    funding = transactions.filter(kind__in=FUNDING_KINDS).order_by()
    linked = _dicts(
        funding.filter(provider_organisation__isnull=False)
        .values(key=F("provider_organisation_id"), label=F("provider_organisation__name"))
        .annotate(**_transaction_sums())
    )
    unlinked = _dicts(
        funding.filter(provider_organisation__isnull=True)
        .values(label=F("provider_name"))
        .annotate(**_transaction_sums())
    )
    totals = [
        FinanceTotal(by="funder", key=str(row["key"]), label=row["label"], **_measures(row, with_budget=False))
        for row in linked
    ]
    totals += [
        FinanceTotal(
            by="funder",
            key=f"name:{row['label']}" if row["label"] else "",
            label=row["label"] or "Funder not named",
            **_measures(row, with_budget=False),
        )
        for row in unlinked
    ]
    return totals


def _nexus(transactions: QuerySet[Transaction], budgets: QuerySet[Budget]) -> list[FinanceTotal]:
    values: dict[str, Any] = {}
    tx_sums: dict[str, Any] = {}
    budget_sums: dict[str, Any] = {}
    for group, (_label, where) in NEXUS_GROUPS.items():
        tx_sums.update(_transaction_sums(where, prefix=f"{group}__"))
        budget_sums.update(_budget_sums(where, prefix=f"{group}__"))
    values.update(transactions.aggregate(**tx_sums))
    values.update(budgets.aggregate(**budget_sums))
    return [
        FinanceTotal(by="nexus", key=group, label=label, **_measures(values, prefix=f"{group}__"))
        for group, (label, _where) in NEXUS_GROUPS.items()
    ]


def finance_totals(
    *, user: Any, by: str, year: int | None = None, country: Country | int | None = None
) -> list[FinanceTotal]:
    """Money of the projects `user` may view, grouped `by` "country", "organisation" (lead organisation), "funder"
    (provider of incoming funds and incoming commitments), "nexus" (triple, climate, peace, migration: a project
    counts in every group its scores put it in, so these groups overlap) or "year" (transaction year; a budget
    counts in the year its period starts). `year` keeps only that year's transactions and budgets; `country` only that
    country's projects (e.g. for a country page)."""
    if by not in DIMENSIONS:
        msg = f"'{str(by)[:20]}' is not a grouping; use one of: {', '.join(DIMENSIONS)}."
        raise ValidationFailed(msg, errors={"by": [msg]})
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200):
        msg = f"'{str(year)[:20]}' is not a year."
        raise ValidationFailed(msg, errors={"year": [msg]})
    projects = visible_projects(user, country=country).order_by().values("pk")
    transactions = Transaction.objects.filter(project__in=projects)
    budgets = effective_budgets().filter(project__in=projects)
    if year is not None:
        transactions = transactions.filter(transaction_date__year=year)
        budgets = budgets.filter(period_start__year=year)
    if by == "funder":
        return sorted(_funders(transactions), key=lambda t: (t.label.lower(), t.key))
    if by == "nexus":
        return _nexus(transactions, budgets)
    if by == "year":
        years: dict[str, dict[str, Any]] = {
            "transaction": {"key": ExtractYear("transaction_date"), "label": ExtractYear("transaction_date")},
            "budget": {"key": ExtractYear("period_start"), "label": ExtractYear("period_start")},
        }
        return sorted(_grouped(transactions, budgets, by, years), key=lambda t: t.key)
    if by == "country":
        group: dict[str, Any] = {"key": F("project__country__iso3"), "label": F("project__country__name_en")}
    else:
        group = {
            "key": F("project__lead_organisation_id"),
            "label": Coalesce(F("project__lead_organisation__name"), Value("No lead organisation")),
        }
    groups = {"transaction": group, "budget": group}
    return sorted(_grouped(transactions, budgets, by, groups), key=lambda t: (t.label.lower(), t.key))
