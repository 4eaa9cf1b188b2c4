"""The project list as rows for `reports.exports.rows_to_csv` / `rows_to_xlsx` (formula-safe there).

Pass `projects.selectors.project_list(user=..., ...)`: the export shows exactly the projects the viewer may see in
the list it came from. Money is summed in the database (USD, from the stored converted values): the whole export
costs a constant number of queries whatever the number of projects.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from bakuhub.finance.models import Transaction
from bakuhub.finance.selectors import TRANSACTION_MEASURES, effective_budgets
from bakuhub.projects.models import Project, ProjectParticipant

from .exports import Header, Rows

HEADER: Header = [
    "Identifier",
    "Title (en)",
    "Title (fr)",
    "Country ISO3",
    "Country",
    "Phase",
    "Lead organisation",
    "Participants",
    "Sectors",
    "Climate score",
    "Peace score",
    "Migration score",
    "Triple nexus",
    "Humanitarian",
    "Planned start",
    "Planned end",
    "Actual start",
    "Actual end",
    "Budget USD",
    "Committed USD",
    "Disbursed USD",
    "Spent USD",
    "Funding gap USD",
    "Public",
    "Source",
    "Source URL",
    "Fact ID",
]
MEASURES = ("committed", "disbursed", "spent")
CENT = Decimal("0.01")


def _cents(value: Any) -> Decimal:
    return Decimal(value).quantize(CENT)


def _money(qs: QuerySet[Project]) -> dict[int, dict[str, Decimal]]:
    """{project id: {"budget": …, "committed": …, "disbursed": …, "spent": …}} in USD (two grouped queries)."""
    ids = qs.order_by().values("pk")
    money: dict[int, dict[str, Decimal]] = {}
    sums = {m: Sum("amount_usd", filter=TRANSACTION_MEASURES[m]) for m in MEASURES}
    grouped = Transaction.objects.filter(project__in=ids).order_by().values("project_id").annotate(**sums)
    for row in grouped.values("project_id", *MEASURES):
        values: dict[str, Any] = dict(row)
        money.setdefault(values["project_id"], {}).update(
            {m: _cents(values[m]) for m in MEASURES if values[m] is not None}
        )
    budgets = effective_budgets().filter(project__in=ids).order_by().values("project_id")
    for row in budgets.annotate(budget=Sum("amount_usd")):
        if row["budget"] is not None:
            money.setdefault(row["project_id"], {})["budget"] = _cents(row["budget"])
    return money


def _participants(project: Project) -> str:
    rows: list[Any] = list(project.participants.all())
    return "; ".join(f"{p.organisation.name} ({ProjectParticipant.Role(p.role).label})" for p in rows)


def project_rows(qs: QuerySet[Project]) -> tuple[Header, Rows]:
    """One row per project, with its participants, sectors, nexus profile and money in USD."""
    money = _money(qs)
    rows: Rows = []
    for p in qs:
        sums = money.get(p.pk, {})
        budget = sums.get("budget")
        committed = sums.get("committed")
        rows.append(
            [
                p.identifier,
                p.titles.get("en", ""),
                p.titles.get("fr", ""),
                p.country.iso3,
                p.country.name_en,
                p.phase,
                p.lead_organisation.name if p.lead_organisation else "",
                _participants(p),
                "; ".join(f"{s.code} {s.percentage.normalize():f}%" for s in p.sectors.all()),
                p.climate_score,
                p.peace_score,
                p.migration_score,
                "yes" if p.is_triple_nexus else "no",
                "" if p.humanitarian is None else ("yes" if p.humanitarian else "no"),
                p.planned_start,
                p.planned_end,
                p.actual_start,
                p.actual_end,
                budget,
                committed,
                sums.get("disbursed"),
                sums.get("spent"),
                None if budget is None else budget - (committed or CENT * 0),
                "yes" if p.is_public else "no",
                p.source_title,
                p.source_url,
                p.fact_id,
            ]
        )
    return list(HEADER), rows
