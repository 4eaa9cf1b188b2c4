"""Shared by the project page tests: Chad's provinces with square geometries, a project with one public, one
coarsened and one hidden site, its results and money, and a reader for the SVG map's circles and regions."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import timezone

from bakuhub.core.models import AdminUnit, Country
from bakuhub.finance.models import Budget, Transaction
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Location, Project
from bakuhub.projects.tests.factories import LocationFactory, ProjectFactory
from bakuhub.results import services as results_services
from bakuhub.results.models import IndicatorPeriod

SVG = "{http://www.w3.org/2000/svg}"
THIS_YEAR = timezone.localdate().year


def square(west: float, south: float, size: float = 2.0) -> dict[str, object]:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def chad_units(chad: Country) -> dict[str, AdminUnit]:
    rows = {"TD01": ("Batha", 18, 13), "TD02": ("Lac", 13, 12.5), "TD03": ("Ouaddai", 20, 12)}
    return {
        pcode: AdminUnit.objects.create(
            country=chad, level=1, pcode=pcode, name=name, geometry=square(west, south), iso_3166_2=f"TD-{pcode}"
        )
        for pcode, (name, west, south) in rows.items()
    }


def pilot(chad: Country, iom: Organisation, **extra: object) -> Project:
    fields: dict[str, object] = {
        "country": chad,
        "lead_organisation": iom,
        "titles": {"en": "Lake Chad resilience pilot", "fr": "Projet pilote de résilience du lac Tchad"},
        "descriptions": {"en": "Water and peace around the lake.", "fr": "L'eau et la paix autour du lac."},
        "phase": Project.Phase.IMPLEMENTING,
        "planned_start": dt.date(THIS_YEAR - 2, 1, 1),
        "planned_end": dt.date(THIS_YEAR + 2, 12, 31),
        "climate_score": 2,
        "climate_justification": "Adaptation to a shrinking lake is why the project exists.",
        "peace_score": 1,
        "migration_score": 1,
        "nexus_assessed_on": dt.date(THIS_YEAR - 1, 6, 1),
        "nexus_method": "manual",
        "source_title": "Hub announcement of the pilots",
        "source_url": "https://example.org/pilots",
        "source_quote": "Pilots in Chad, Iraq and Guinea-Bissau.",
        "fact_id": "BH101",
        "sectors": [("15220", 60), ("41010", 40)],
        **extra,
    }
    return ProjectFactory(**fields)


def add_sites(project: Project, units: dict[str, AdminUnit]) -> None:
    """One public point in Batha, one coarsened point in Lac, one hidden point in Ouaddai."""
    sites = [
        ("TD01", "Public well", "14.00000", "19.00000", Location.Sensitivity.PUBLIC),
        ("TD02", "Camp Secret Coarse", "13.30000", "14.20000", Location.Sensitivity.COARSEN),
        ("TD03", "Hidden Site", "13.10000", "21.10000", Location.Sensitivity.HIDDEN),
    ]
    for pcode, name, lat, lon, sensitivity in sites:
        LocationFactory(
            project=project,
            admin_unit=units[pcode],
            name=name,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            precision="point",
            sensitivity=sensitivity,
        )


def add_money(project: Project, *, budget: str = "1000.00", committed: str = "1500.00") -> None:
    day = dt.date(THIS_YEAR - 1, 3, 1)
    Budget.objects.create(
        project=project,
        period_start=day,
        period_end=day + dt.timedelta(days=300),
        amount=Decimal(budget),
        currency="USD",
        value_date=day,
        amount_usd=Decimal(budget),
        amount_eur=Decimal(budget) * Decimal("0.8"),
    )
    Transaction.objects.create(
        project=project,
        kind=Transaction.Kind.OUTGOING_COMMITMENT,
        transaction_date=day,
        amount=Decimal(committed),
        currency="USD",
        value_date=day,
        amount_usd=Decimal(committed),
        amount_eur=Decimal(committed) * Decimal("0.8"),
        provider_name="A funder",
    )


def add_result(
    project: Project, organisation: Organisation, *, actual: int, approve_by: object = None
) -> IndicatorPeriod:
    """One output with a unit indicator and last year's period, its actual submitted (and approved when asked)."""
    result = results_services.result_create(
        actor=None, project=project, kind="1", title="Households with water", reported_by=organisation
    )
    indicator = results_services.indicator_create(
        actor=None,
        result=result,
        title="Households connected",
        unit="households",
        baseline_value=0,
        baseline_year=THIS_YEAR - 2,
    )
    period = results_services.period_create(
        actor=None,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR - 1, 1, 1),
        period_end=dt.date(THIS_YEAR - 1, 12, 31),
        target_value=100,
    )
    results_services.actual_submit(actor=None, period=period, actual_value=actual)
    if approve_by is not None:
        results_services.actual_review(actor=approve_by, period=period, approve=True)  # type: ignore[arg-type]
    period.refresh_from_db()
    return period


def the_map(html: str) -> ET.Element:
    match = re.search(r'<svg[^>]*class="admin-map".*?</svg>', html, re.DOTALL)
    assert match is not None, "the page has no map"
    return ET.fromstring(match.group(0))  # noqa: S314 - our own page, in a test


def circles(html: str) -> list[ET.Element]:
    return list(the_map(html).iter(f"{SVG}circle"))


def highlighted(html: str) -> set[str]:
    return {
        path.get("data-pcode", "")
        for path in the_map(html).iter(f"{SVG}path")
        if "highlighted" in (path.get("class") or "")
    }
