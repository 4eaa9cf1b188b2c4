"""The phase machine: concept → appraisal → approved → implementing → completed → closed, plus cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.projects import services
from bakuhub.projects.models import Project, Screening
from bakuhub.projects.tests.conftest import changes_nothing, last_audit
from bakuhub.projects.tests.factories import ProjectFactory, complete_answers

pytestmark = pytest.mark.django_db

PATH = ["concept", "appraisal", "approved", "implementing", "completed", "closed"]


@pytest.fixture
def ready(chad, iom):
    return ProjectFactory(country=chad, lead_organisation=iom, approvable=True)


def test_allowed_next_phases_follow_the_documented_machine():
    assert services.allowed_next_phases("concept") == ["appraisal", "cancelled"]
    assert services.allowed_next_phases("implementing") == ["completed", "cancelled"]
    assert services.allowed_next_phases("completed") == ["closed"]
    assert services.allowed_next_phases("closed") == []
    assert services.allowed_next_phases("cancelled") == []


def test_a_project_walks_the_whole_path_with_dates_and_audit(secretariat, ready):
    services.project_phase_advance(actor=secretariat, project=ready, to_phase="approved")
    services.project_phase_advance(
        actor=secretariat, project=ready, to_phase="implementing", on_date=dt.date(2026, 1, 5)
    )
    assert ready.actual_start == dt.date(2026, 1, 5)
    services.project_phase_advance(actor=secretariat, project=ready, to_phase="completed")
    assert ready.actual_end == timezone.localdate()
    services.project_phase_advance(actor=secretariat, project=ready, to_phase="closed")
    ready.refresh_from_db()
    assert ready.phase == "closed" and ready.version == 5
    record = last_audit("project.phase_advance")
    assert record.changes == {"phase": ["completed", "closed"], "version": [4, 5]}


def test_implementing_keeps_an_actual_start_already_recorded(secretariat, chad):
    project = ProjectFactory(country=chad, phase="approved", actual_start=dt.date(2025, 12, 1))
    services.project_phase_advance(actor=secretariat, project=project, to_phase="implementing")
    assert project.actual_start == dt.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("concept", "approved"),
        ("concept", "implementing"),
        ("appraisal", "concept"),
        ("closed", "cancelled"),
        ("completed", "cancelled"),
        ("cancelled", "concept"),
    ],
)
def test_a_skipped_or_backward_move_is_refused_listing_the_allowed_ones(secretariat, chad, start, target):
    project = ProjectFactory(country=chad, phase=start)
    with changes_nothing(project, field="to_phase") as refused:
        services.project_phase_advance(actor=secretariat, project=project, to_phase=target)
    allowed = services.allowed_next_phases(start)
    assert (", ".join(allowed) if allowed else "none") in refused.value.message


@pytest.mark.parametrize("start", ["concept", "appraisal", "approved", "implementing"])
def test_any_phase_before_completed_may_be_cancelled(secretariat, chad, start):
    project = ProjectFactory(country=chad, phase=start)
    services.project_phase_advance(actor=secretariat, project=project, to_phase="cancelled")
    assert Project.objects.get(pk=project.pk).phase == "cancelled"


def test_approval_without_a_completed_screening_is_refused(secretariat, chad, iom):
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True, screened=False)
    with changes_nothing(project, field="screening") as refused:
        services.project_phase_advance(actor=secretariat, project=project, to_phase="approved")
    assert "screening is not complete" in refused.value.message
    Screening.objects.create(project=project, answers={"tensions": {"answer": "no", "note": ""}}, is_complete=False)
    with changes_nothing(project, field="screening"):
        services.project_phase_advance(actor=secretariat, project=project, to_phase="approved")


def test_approval_needs_sectors_and_a_justified_nexus_profile(secretariat, chad):
    project = ProjectFactory(country=chad, phase="appraisal", screened=True)
    with changes_nothing(project) as refused:
        services.project_phase_advance(actor=secretariat, project=project, to_phase="approved")
    assert {"sectors", "nexus"} <= set(refused.value.errors)
    services.project_sectors_set(actor=secretariat, project=project, sectors=[("41010", 100)])
    Project.objects.filter(pk=project.pk).update(peace_score=2, nexus_assessed_on=dt.date(2025, 10, 1))
    project.refresh_from_db()
    with changes_nothing(project, field="nexus") as refused:
        services.project_phase_advance(actor=secretariat, project=project, to_phase="approved")
    assert "peace" in refused.value.message


def test_approval_is_for_the_secretariat_or_the_countrys_focal_point(iom_editor, chad_focal_point, ready):
    with changes_nothing(ready, error=PermissionDenied):
        services.project_phase_advance(actor=iom_editor, project=ready, to_phase="approved")
    services.project_phase_advance(actor=chad_focal_point, project=ready, to_phase="approved")
    assert ready.phase == "approved"


def test_the_lead_partner_may_move_its_project_to_appraisal(iom_editor, project):
    services.project_phase_advance(actor=iom_editor, project=project, to_phase="appraisal")
    assert project.phase == "appraisal"


@pytest.mark.parametrize("on_date", [dt.date(2999, 1, 1), "2026-01-01"])
def test_a_bad_phase_date_writes_nothing(secretariat, chad, on_date):
    project = ProjectFactory(country=chad, phase="approved")
    with changes_nothing(project, field="on_date"):
        services.project_phase_advance(actor=secretariat, project=project, to_phase="implementing", on_date=on_date)


def test_completion_before_the_actual_start_is_refused(secretariat, chad):
    project = ProjectFactory(country=chad, phase="implementing", actual_start=dt.date(2025, 6, 1))
    with changes_nothing(project, field="on_date"):
        services.project_phase_advance(
            actor=secretariat, project=project, to_phase="completed", on_date=dt.date(2025, 5, 1)
        )


def test_screening_then_approval_through_the_services(chad_focal_point, chad, iom):
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True, screened=False)
    services.screening_save(actor=chad_focal_point, project=project, answers=complete_answers(), complete=True)
    services.project_phase_advance(actor=chad_focal_point, project=project, to_phase="approved")
    assert Project.objects.get(pk=project.pk).phase == "approved"
    with pytest.raises(ValidationFailed):
        services.project_phase_advance(actor=chad_focal_point, project=project, to_phase="approved")
