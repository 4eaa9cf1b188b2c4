"""Decision numbers: per group and year (`TCD-JWG/2025/03`), and unique when clerks record decisions at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from bakuhub.working_groups import services
from bakuhub.working_groups.models import Decision

THREADS = 8


@pytest.fixture
def chad_jwg(chad):
    return services.working_group_create(actor=None, country=chad, name="Chad JWG")


@pytest.mark.django_db
def test_numbers_restart_each_year_and_references_name_group_year_and_number(chad_jwg, guinea_bissau):
    gnb_jwg = services.working_group_create(actor=None, country=guinea_bissau, name="Guinea-Bissau JWG")

    def decide(group, day):
        return services.decision_create(actor=None, working_group=group, text=f"Decision of {day}", decided_on=day)

    made = [
        decide(chad_jwg, dt.date(2024, 12, 30)),
        decide(chad_jwg, dt.date(2024, 12, 31)),
        decide(chad_jwg, dt.date(2025, 1, 2)),
        decide(gnb_jwg, dt.date(2025, 1, 3)),
        decide(chad_jwg, dt.date(2025, 2, 1)),
    ]

    assert [(d.year, d.number, d.reference) for d in made] == [
        (2024, 1, "TCD-JWG/2024/01"),
        (2024, 2, "TCD-JWG/2024/02"),
        (2025, 1, "TCD-JWG/2025/01"),
        (2025, 1, "GNB-JWG/2025/01"),
        (2025, 2, "TCD-JWG/2025/02"),
    ]
    assert str(made[0]) == "TCD-JWG/2024/01"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections; runs in CI's PostgreSQL pass"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_clerks_get_consecutive_unique_numbers(chad_jwg):
    barrier = threading.Barrier(THREADS, timeout=30)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def clerk(n: int) -> None:
        try:
            barrier.wait()  # all threads call the service at the same moment
            services.decision_create(
                actor=None, working_group=chad_jwg, text=f"Decision by clerk {n}", decided_on=dt.date(2025, 5, 1)
            )
        except BaseException as error:  # noqa: BLE001 - every failure is reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    decisions = list(Decision.objects.filter(working_group=chad_jwg, year=2025).order_by("number"))
    assert [d.number for d in decisions] == list(range(1, THREADS + 1))
    assert len({d.reference for d in decisions}) == THREADS
    assert [d.reference for d in decisions] == [f"TCD-JWG/2025/{n:02d}" for n in range(1, THREADS + 1)]
    assert len({d.text for d in decisions}) == THREADS
