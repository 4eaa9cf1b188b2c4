"""Project test fixtures: Chad's Lac province (TD07), an IOM-led public project in Chad, and change counters."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AdminUnit, AuditRecord
from bakuhub.projects import models as m
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.testing.factories import AdminUnitFactory

WATCHED = (
    m.Project,
    m.ProjectParticipant,
    m.ProjectSector,
    m.PolicyMarker,
    m.Screening,
    m.Location,
    m.ProjectDocument,
    AuditRecord,
)


def counts():
    return {model.__name__: model.objects.count() for model in WATCHED}


def state(project):
    """Everything a refused write must leave as it was: row counts, the project's columns and its version."""
    fresh = m.Project.objects.get(pk=project.pk)
    columns = {f.attname: getattr(fresh, f.attname) for f in m.Project._meta.concrete_fields if f.name != "updated_at"}
    return counts(), columns


@contextmanager
def changes_nothing(project=None, error=ValidationFailed, field=None):
    before = state(project) if project is not None else counts()
    with pytest.raises(error) as refused:
        yield refused
    after = state(project) if project is not None else counts()
    assert after == before
    if field is not None:
        assert field in refused.value.errors, refused.value.errors


def last_audit(action):
    record = AuditRecord.objects.filter(action=action).order_by("-id").first()
    assert record is not None, f"no audit record for {action}"
    return record


@pytest.fixture
def lac(chad) -> AdminUnit:
    return AdminUnitFactory(country=chad, pcode="TD07", iso_3166_2="TD-LC", name="Lac")


@pytest.fixture
def bafata(guinea_bissau) -> AdminUnit:
    return AdminUnitFactory(country=guinea_bissau, pcode="GW01", iso_3166_2="GW-BA", name="Bafatá")


@pytest.fixture
def project(chad, iom) -> m.Project:
    return ProjectFactory(
        country=chad, lead_organisation=iom, identifier="XM-DAC-47066-TD-2025-01", titles={"en": "Lake Chad"}
    )
