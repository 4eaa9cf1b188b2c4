"""Importing the secretariat's exchange-rate table: all rows or none, upserted by (currency, date), audited once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.errors import PermissionDenied
from bakuhub.core.validation import optional_text
from bakuhub.projects.permissions import can

from ..models import ExchangeRate
from ..rates import Progress, RateRow, parse_rates, read_rates_file

BATCH_SIZE = 1000


@dataclass(frozen=True)
class RatesImportResult:
    created: int
    updated: int
    unchanged: int
    currencies: tuple[str, ...]
    first_date: dt.date
    last_date: dt.date
    source: str

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.rows} rates for {', '.join(self.currencies)} from {self.first_date} to {self.last_date}: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged."
        )


def _upsert(rows: list[RateRow], source: str) -> tuple[int, int, int]:
    currencies = sorted({r.currency for r in rows})
    dates = [r.on_date for r in rows]
    existing = {
        (rate.currency, rate.on_date): rate
        for rate in ExchangeRate.objects.filter(currency__in=currencies, on_date__range=(min(dates), max(dates)))
    }
    new: list[ExchangeRate] = []
    changed: list[ExchangeRate] = []
    for row in rows:
        rate = existing.get((row.currency, row.on_date))
        if rate is None:
            new.append(ExchangeRate(currency=row.currency, on_date=row.on_date, per_usd=row.per_usd, source=source))
        elif rate.per_usd != row.per_usd:
            rate.per_usd, rate.source = row.per_usd, source
            changed.append(rate)
    ExchangeRate.objects.bulk_create(new, batch_size=BATCH_SIZE)
    ExchangeRate.objects.bulk_update(changed, ["per_usd", "source"], batch_size=BATCH_SIZE)
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def rates_import(
    *, actor: User | None, file: IO[bytes] | Path, source: str = "", progress: Progress | None = None
) -> RatesImportResult:
    """Check every row of the rates CSV, then upsert them all in one transaction (or nothing, on any problem).

    ValidationFailed lists up to 20 problems, each with its line number. `source` (default: the file's name) is kept
    on every created or changed rate. The import is audited once, with its counts.
    """
    if actor is not None and not can(actor, "import_rates"):
        raise PermissionDenied("Only the Hub secretariat may import exchange rates.")
    source = optional_text(source, "source", max_length=200) or (file.name[:200] if isinstance(file, Path) else "")
    rows = parse_rates(read_rates_file(file), progress=progress)
    with transaction.atomic():
        created, updated, unchanged = _upsert(rows, source)
        result = RatesImportResult(
            created=created,
            updated=updated,
            unchanged=unchanged,
            currencies=tuple(sorted({r.currency for r in rows})),
            first_date=min(r.on_date for r in rows),
            last_date=max(r.on_date for r in rows),
            source=source,
        )
        last = rows[-1]
        anchor = ExchangeRate.objects.get(currency=last.currency, on_date=last.on_date)
        audit.record(
            actor=actor,
            action="exchangerate.import",
            obj=anchor,
            changes={
                "created": [None, created],
                "updated": [None, updated],
                "unchanged": [None, unchanged],
                "currencies": [None, list(result.currencies)],
                "first_date": [None, result.first_date.isoformat()],
                "last_date": [None, result.last_date.isoformat()],
                "source": [None, source],
            },
        )
    return result
