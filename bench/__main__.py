"""Times the main pages and API lists against `/healthz` (the cheapest request through the same stack).

Each scenario prints `scenario / baseline` as a ratio of median times, so runs on different machines compare.
The data is the shipped reference data (249 countries) plus the Hub demo, with every other country given a
membership so the pipeline page carries a realistic load.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "50000"))
TRANSACTIONS = int(os.environ.get("BENCH_TRANSACTIONS", "500000"))


def median_seconds(action: Callable[[], object], rounds: int = ROUNDS) -> float:
    action()  # warm caches and templates
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def seed() -> None:
    import datetime as dt

    from bakuhub.core.models import Country
    from bakuhub.core.reference import reference_load
    from bakuhub.partners.demo import demo_load
    from bakuhub.partners.models import Membership, MembershipEvent

    reference_load()
    demo_load()
    stages = ["interested", "intention_announced", "memorandum_approved", "memorandum_signed", "jwg_established"]
    for n, country in enumerate(Country.objects.filter(membership__isnull=True)[::2]):
        m = Membership.objects.create(country=country, stage=stages[n % 5], stage_since=dt.date(2025, 1, 1))
        MembershipEvent.objects.create(
            membership=m, to_stage=m.stage, occurred_on=m.stage_since, source_title="bench", source_url="https://x.org"
        )


def main() -> None:
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        seed()
        client = Client()

        def get(url: str) -> Callable[[], object]:
            def run() -> object:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            return run

        baseline = median_seconds(get("/healthz"))
        scenarios = {
            "home pipeline page": "/",
            "country page (Chad)": "/countries/TCD/",
            "API countries list (200)": "/api/v1/countries?limit=200",
            "API memberships list": "/api/v1/memberships?limit=200",
            "API country detail with geometry": "/api/v1/countries/TCD?geometry=true",
        }
        print(f"baseline /healthz median: {baseline * 1000:.2f} ms over {ROUNDS} rounds")
        for name, url in scenarios.items():
            ratio = median_seconds(get(url)) / baseline
            print(f"{name:<36} {ratio:8.1f}x baseline")

        from bench.portfolio import generate

        seconds = generate(projects=PROJECTS, transactions=TRANSACTIONS)
        print(f"portfolio: {PROJECTS:,} projects and {TRANSACTIONS:,} transactions generated in {seconds:.0f} s")
        baseline = median_seconds(get("/healthz"))
        portfolio = {
            "project list page (first page)": "/projects/",
            "project list filtered (Chad, triple)": "/projects/?country=TCD&nexus=triple",
            "country page with its projects (Chad)": "/countries/TCD/",
            "API projects list (50)": "/api/v1/projects?limit=50",
        }
        for name, url in portfolio.items():
            ratio = median_seconds(get(url), rounds=max(5, ROUNDS // 3)) / baseline
            print(f"{name:<36} {ratio:8.1f}x baseline")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
