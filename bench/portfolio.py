"""Generate a large portfolio for `make bench`: N projects spread over the countries, with M transactions.

Rows are bulk-inserted (the bench measures reads, not the services). Amounts are random but fixed by a seed, so
every run measures the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal


def generate(*, projects: int, transactions: int, seed: int = 7) -> float:
    """Insert the rows; returns the seconds it took."""
    from bakuhub.core.models import Country
    from bakuhub.finance.models import Transaction
    from bakuhub.partners.models import Organisation
    from bakuhub.projects.models import Project

    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 — reproducible bench data, not security
    countries = list(Country.objects.values_list("id", "iso2"))
    organisation = Organisation.objects.order_by("id").first()
    phases = [p.value for p in Project.Phase]
    batch: list[Project] = []
    for n in range(projects):
        country_id, iso2 = countries[n % len(countries)]
        batch.append(
            Project(
                identifier=f"XI-IATI-BENCH-{n:06d}",
                titles={"en": f"Bench project {n} ({iso2})"},
                country_id=country_id,
                lead_organisation=organisation,
                phase=rng.choice(phases),
                planned_start=dt.date(2024, 1, 1),
                planned_end=dt.date(2027, 12, 31),
                climate_score=rng.randint(0, 2),
                peace_score=rng.randint(0, 2),
                migration_score=rng.randint(0, 2),
            )
        )
        if len(batch) == 5000:
            Project.objects.bulk_create(batch)
            batch = []
    Project.objects.bulk_create(batch)
    ids = list(Project.objects.filter(identifier__startswith="XI-IATI-BENCH-").values_list("id", flat=True))
    kinds = [k.value for k in Transaction.Kind]
    rows: list[Transaction] = []
    for n in range(transactions):
        amount = Decimal(rng.randint(1_000, 5_000_000))
        rows.append(
            Transaction(
                project_id=ids[n % len(ids)],
                kind=rng.choice(kinds),
                transaction_date=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600)),
                amount=amount,
                currency="USD",
                value_date=dt.date(2024, 1, 1),
                amount_usd=amount,
                amount_eur=(amount * Decimal("0.9")).quantize(Decimal("0.01")),
            )
        )
        if len(rows) == 10000:
            Transaction.objects.bulk_create(rows)
            rows = []
    Transaction.objects.bulk_create(rows)
    return time.perf_counter() - started
