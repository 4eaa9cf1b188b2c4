from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.projects.tests.factories import ProjectFactory

from .helpers import add_rates


@pytest.fixture
def rates(db):
    add_rates()


@pytest.fixture
def project(chad, iom):
    return ProjectFactory(
        country=chad,
        lead_organisation=iom,
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2026, 12, 31),
        climate_score=2,
        peace_score=1,
        migration_score=1,
    )
