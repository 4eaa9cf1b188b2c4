"""Every project service leaves an audit record with the actor, the request id and the version step."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.core.models import AuditRecord
from bakuhub.core.request_context import request_id_var
from bakuhub.projects import services
from bakuhub.projects.tests.factories import complete_answers
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db


@contextmanager
def request_id(value):
    token = request_id_var.set(value)
    try:
        yield
    finally:
        request_id_var.reset(token)


def test_every_service_write_is_audited_on_the_project_with_its_version_step(secretariat, project, lac, gcf):
    steps = [
        ("project.update", lambda: services.project_update(actor=secretariat, project=project, titles={"en": "A"})),
        ("project.participant_add", lambda: services.project_participant_add(
            actor=secretariat, project=project, organisation=gcf, role="1")),
        ("project.participant_remove", lambda: services.project_participant_remove(
            actor=secretariat, project=project, organisation=gcf, role="1")),
        ("project.sectors_set", lambda: services.project_sectors_set(
            actor=secretariat, project=project, sectors=[("15220", 100)])),
        ("project.policy_markers_set", lambda: services.project_policy_markers_set(
            actor=secretariat, project=project, markers=[("7", 2)])),
        ("project.nexus_set", lambda: services.project_nexus_set(
            actor=secretariat, project=project, climate=2, peace=1, migration=1, climate_justification="Adaptation")),
        ("project.humanitarian_set", lambda: services.project_humanitarian_set(
            actor=secretariat, project=project, humanitarian=True)),
        ("project.location_add", lambda: services.location_add(actor=secretariat, project=project, admin_unit=lac)),
        ("project.location_remove", lambda: services.location_remove(
            actor=secretariat, project=project, location=project.locations.get())),
        ("project.document_add", lambda: services.project_document_add(
            actor=secretariat, project=project, upload=SimpleUploadedFile("a.pdf", pdf_bytes()), title="N")),
        ("project.screening_save", lambda: services.screening_save(
            actor=secretariat, project=project, answers=complete_answers(), complete=True)),
        ("project.phase_advance", lambda: services.project_phase_advance(
            actor=secretariat, project=project, to_phase="appraisal")),
    ]  # fmt: skip
    for number, (action, write) in enumerate(steps, start=1):
        before = AuditRecord.objects.count()
        with request_id(f"req-{number}"):
            write()
        assert AuditRecord.objects.count() == before + 1, action
        record = AuditRecord.objects.order_by("-id").first()
        assert record.action == action
        assert (record.object_type, record.object_id) == ("projects.project", str(project.pk))
        assert (record.actor, record.actor_label, record.request_id) == (secretariat, "secretariat", f"req-{number}")
        assert record.changes["version"] == [number, number + 1]
        assert set(record.changes) - {"version"}, f"{action} records what changed"
    project.refresh_from_db()
    assert project.version == len(steps) + 1


def test_project_create_audits_the_project_and_its_accountable_participant(chad_focal_point, chad, iom):
    with request_id("req-create"):
        project = services.project_create(
            actor=chad_focal_point, country=chad, lead_organisation=iom, identifier="XM-DAC-47066-X", titles={"en": "X"}
        )
    records = AuditRecord.objects.filter(request_id="req-create").order_by("id")
    assert [r.action for r in records] == ["project.create", "projectparticipant.create"]
    assert records[0].object_id == str(project.pk)
    assert records[0].changes["country"] == [None, chad.pk]
    assert all(r.actor_label == "chad_focal_point" for r in records)
