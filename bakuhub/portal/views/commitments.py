"""The public commitment tracker: pledged → formalised → funded → delivered, overall, per partner and per country,
with a server-rendered bar chart, the list of commitments and each one's dated history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bakuhub.commitments import selectors
from bakuhub.commitments.models import Commitment
from bakuhub.commitments.selectors import STAGES, Tally

# Each bar counts what got at least that far, so the first stage is everything that was ever pledged.
STAGE_LABELS = {
    "announced": gettext_lazy("Pledged"),
    "formalised": gettext_lazy("Formalised"),
    "funded": gettext_lazy("Funded"),
    "delivered": gettext_lazy("Delivered"),
}


@dataclass(frozen=True)
class StageCell:
    stage: str
    label: str
    count: int
    money: list[tuple[str, Decimal]]


@dataclass(frozen=True)
class TallyRow:
    name: str
    cells: list[StageCell]


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    rows: list[tuple[str, Decimal | int]]


def _label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


def _row(name: str, tally: Tally) -> TallyRow:
    currencies = sorted(tally.money)
    cells = [
        StageCell(
            stage=stage,
            label=_label(stage),
            count=tally.counts[stage],
            money=[(cur, tally.money[cur][stage]) for cur in currencies if tally.money[cur][stage]],
        )
        for stage in STAGES
    ]
    return TallyRow(name=name, cells=cells)


def _charts(tally: Tally) -> list[Chart]:
    charts = [
        Chart(
            title=_("Number of commitments that reached each stage"),
            unit="",
            rows=[(_label(s), tally.counts[s]) for s in STAGES],
        )
    ]
    for currency in sorted(tally.money):
        charts.append(
            Chart(
                title=_("Money (%(currency)s) that reached each stage") % {"currency": currency},
                unit=currency,
                rows=[(_label(s), tally.money[currency][s]) for s in STAGES],
            )
        )
    return charts


def commitment_list(request: HttpRequest) -> HttpResponse:
    totals = selectors.commitment_totals(user=request.user)
    overall = totals["overall"]["all"]
    context = {
        "stages": [(s, _label(s)) for s in STAGES],
        "charts": _charts(overall),
        "overall_rows": [_row(_("All commitments"), overall)],
        "partners": [_row(name, t) for name, t in sorted(totals["partners"].items())],
        "countries": [_row(name, t) for name, t in sorted(totals["countries"].items())],
        "commitments": selectors.commitment_list(user=request.user),
    }
    return render(request, "portal/commitments/list.html", context)


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_list(user=request.user).filter(pk=pk).first()
    if commitment is None:
        raise Http404(_("No commitment %(pk)s that you can see.") % {"pk": pk})
    context = {
        "commitment": commitment,
        "events": [
            (e, str(Commitment.Status(e.from_status).label) if e.from_status in Commitment.Status.values else "")
            for e in selectors.commitment_events(commitment=commitment)
        ],
        "decisions": commitment.decisions.select_related("working_group").order_by("decided_on", "reference"),
        "stages": [(s, _label(s)) for s in STAGES],
    }
    return render(request, "portal/commitments/detail.html", context)
