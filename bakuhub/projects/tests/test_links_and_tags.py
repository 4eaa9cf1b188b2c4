from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bakuhub.commitments import services as commitment_services
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.projects.nexus import nexus_tags
from bakuhub.projects.services import project_links_set
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.working_groups import services as jwg_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def chad_decision(chad):
    group = jwg_services.working_group_create(actor=None, country=chad, name="Chad JWG")
    return jwg_services.decision_create(
        actor=None, working_group=group, text="Start the pilot", decided_on=dt.date(2025, 10, 1)
    )


@pytest.fixture
def gnb_decision(guinea_bissau):
    group = jwg_services.working_group_create(actor=None, country=guinea_bissau, name="GNB JWG")
    return jwg_services.decision_create(actor=None, working_group=group, text="Other", decided_on=dt.date(2025, 10, 1))


def pledge(country, **kwargs):
    return commitment_services.commitment_create(
        actor=None, kind="money", title="Pilot money", announced_on=dt.date(2025, 6, 1), amount=Decimal("100"),
        currency="USD", committer_country=country, source_title="Press", source_url="https://example.org/p", **kwargs,
    )  # fmt: skip


def test_it_links_a_decision_and_a_commitment_of_the_project_country(chad, chad_decision, chad_focal_point):
    project = ProjectFactory(country=chad)
    version = project.version
    project_links_set(actor=chad_focal_point, project=project, decisions=[chad_decision], commitments=[pledge(chad)])
    assert list(project.decisions.all()) == [chad_decision]
    assert project.commitments.count() == 1
    assert project.version == version + 1
    record = AuditRecord.objects.get(action="project.links")
    assert record.changes["decisions"] == [[], [chad_decision.pk]]


def test_it_refuses_another_countrys_decision_and_links_nothing(chad, gnb_decision, secretariat):
    project = ProjectFactory(country=chad)
    with pytest.raises(ValidationFailed, match="another country's Joint Working Group"):
        project_links_set(actor=secretariat, project=project, decisions=[gnb_decision])
    assert not project.decisions.exists()
    assert not AuditRecord.objects.filter(action="project.links").exists()


def test_it_refuses_a_commitment_for_another_country(chad, guinea_bissau, secretariat):
    project = ProjectFactory(country=chad)
    with pytest.raises(ValidationFailed, match="another country"):
        project_links_set(actor=secretariat, project=project, commitments=[pledge(guinea_bissau)])


def test_a_foreign_focal_point_cannot_link(guinea_bissau, chad_focal_point):
    project = ProjectFactory(country=guinea_bissau)
    with pytest.raises(PermissionDenied):
        project_links_set(actor=chad_focal_point, project=project)


def test_the_nexus_profile_becomes_iati_tags():
    tags = nexus_tags(climate=2, peace=1, migration=0)
    assert [t["code"] for t in tags] == ["climate-2", "peace-1", "migration-0"]
    assert {t["vocabulary"] for t in tags} == {"99"}
    assert all(t["vocabulary-uri"] for t in tags)
    with pytest.raises(ValueError, match="not 0, 1 or 2"):
        nexus_tags(climate=3, peace=0, migration=0)
