"""Fixtures of the Joint Working Group API tests: two groups, their members and a meeting; and of the portfolio API
tests: UNDP, Chad's Lac province, an exchange-rate table and a Chad project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget, ExchangeRate, Transaction
from bakuhub.projects import models as projects
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.results.models import Disaggregation, Indicator, IndicatorPeriod, Result
from bakuhub.testing.factories import AdminUnitFactory, MemorandumFactory, OrganisationFactory
from bakuhub.working_groups.tests.factories import MeetingFactory, MemberFactory, WorkingGroupFactory


@pytest.fixture
def memo(chad, guinea_bissau):
    memo = MemorandumFactory(title="Memorandum of 24 September 2025", party_countries=[chad, guinea_bissau])
    memo.establishes_jwg_for.set([chad, guinea_bissau])
    return memo


@pytest.fixture
def tcd(chad, memo):
    return WorkingGroupFactory(country=chad, name="Chad JWG", memorandum=memo)


@pytest.fixture
def gnb(guinea_bissau):
    return WorkingGroupFactory(country=guinea_bissau, name="Guinea-Bissau JWG", status="forming")


@pytest.fixture
def chair(tcd):
    return MemberFactory(working_group=tcd, person_name="Amina Mahamat", email="amina@example.org", role="co_chair")


@pytest.fixture
def iom_member(tcd, iom):
    return MemberFactory(working_group=tcd, organisation=iom, person_name="", email="jwg@iom.int")


@pytest.fixture
def outsider(gnb):
    return MemberFactory(working_group=gnb, person_name="Braima Camara", email="braima@example.org")


@pytest.fixture
def meeting(tcd):
    """10:00 in N'Djamena (UTC+1) on 12 November 2025."""
    return MeetingFactory(working_group=tcd, title="First meeting")


# --- The project portfolio (projects, finance, results, funder matches) ------------------------------------------


@pytest.fixture
def undp(db):
    return OrganisationFactory(
        name="United Nations Development Programme", acronym="UNDP", slug="undp", iati_identifier="XM-DAC-41114"
    )


@pytest.fixture
def lac(chad):
    """Chad's Lac province (admin-1, p-code TD07)."""
    return AdminUnitFactory(country=chad, pcode="TD07", iso_3166_2="TD-LC", name="Lac")


@pytest.fixture
def exchange_rates(db):
    """EUR 0.8 and XOF 600 per USD on the first of every month of 2024 to 2026 (made-up, round rates)."""
    days = [dt.date(year, month, 1) for year in (2024, 2025, 2026) for month in range(1, 13)]
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=code, on_date=day, per_usd=rate, source="test")
        for code, rate in {"EUR": Decimal("0.8"), "XOF": Decimal("600")}.items()
        for day in days
    )


@pytest.fixture
def chad_project(chad, iom):
    """A public IOM-led project in Chad, in concept, planned from 2024 to 2028."""
    return ProjectFactory(
        country=chad,
        lead_organisation=iom,
        identifier="XM-DAC-47066-TD-2025-01",
        titles={"en": "Lake Chad resilience", "fr": "Résilience du lac Tchad"},
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2028, 12, 31),
    )


@pytest.fixture
def portfolio_rows():
    """A function counting every row a portfolio write could leave behind (audit records included)."""
    models = (
        projects.Project,
        projects.ProjectParticipant,
        projects.ProjectSector,
        projects.PolicyMarker,
        projects.Screening,
        projects.Location,
        projects.ProjectDocument,
        Budget,
        Transaction,
        Result,
        Indicator,
        IndicatorPeriod,
        Disaggregation,
        AuditRecord,
    )

    def count():
        return {m.__name__: m.objects.count() for m in models}

    return count
