"""project_create / project_update (optimistic concurrency) / participants / documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.core.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.projects import services
from bakuhub.projects.models import Project, ProjectParticipant
from bakuhub.projects.tests.conftest import changes_nothing, last_audit
from bakuhub.testing.factories import OrganisationFactory
from bakuhub.testing.files import pdf_bytes, pdf_with_javascript
from bakuhub.working_groups.tests.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db

GOOD = {"identifier": "XM-DAC-47066-TD-2025-07", "titles": {"en": "Resilient Lac", "fr": "Lac résilient"}}


def create(actor, chad, iom, **overrides):
    return services.project_create(actor=actor, country=chad, lead_organisation=iom, **{**GOOD, **overrides})


# --- create -------------------------------------------------------------------------------------------------


def test_project_create_adds_the_lead_as_accountable_and_audits(secretariat, chad, iom):
    project = create(
        secretariat,
        chad,
        iom,
        descriptions={"en": "Water and peace."},
        planned_start=dt.date(2026, 1, 1),
        planned_end=dt.date(2027, 12, 31),
        source_title="Hub announcement",
        source_url="https://example.org/news",
    )
    assert project.version == 1
    assert project.phase == "concept"
    assert list(project.participants.values_list("organisation_id", "role")) == [(iom.pk, "2")]
    record = last_audit("project.create")
    assert record.object_id == str(project.pk)
    assert record.actor == secretariat
    assert record.changes["identifier"] == [None, GOOD["identifier"]]
    assert record.changes["source_url"] == [None, "https://example.org/news"]
    assert last_audit("projectparticipant.create").changes["role"] == [None, "2"]


def test_project_create_without_a_lead_takes_any_valid_org_prefix(secretariat, chad):
    project = services.project_create(
        actor=secretariat, country=chad, identifier="XI-IATI-EC_INTPA-2025-42", titles={"fr": "Projet"}
    )
    assert project.participants.count() == 0
    assert project.title == "Projet"


def test_project_create_by_the_system_may_start_in_a_later_phase(chad, iom):
    project = create(None, chad, iom, phase="implementing", is_demo=True)
    assert (project.phase, project.is_demo) == ("implementing", True)
    assert last_audit("project.create").actor_label == "system"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identifier": "XM-DAC-41114-TD-01"}, "identifier"),  # not IOM's prefix
        ({"identifier": "XM-DAC-47066"}, "identifier"),  # no local part
        ({"identifier": "XM-DAC-47066-"}, "identifier"),
        ({"identifier": "XM-DAC-47066-TD 01"}, "identifier"),  # space
        ({"identifier": " XM-DAC-47066-TD-01"}, "identifier"),
        ({"identifier": "XM-DAC-47066-TD/01"}, "identifier"),  # slash
        ({"identifier": "XM-DAC-47066-" + "x" * 140}, "identifier"),
        ({"identifier": ""}, "identifier"),
        ({"titles": {}}, "titles"),
        ({"titles": {"en": "   "}}, "titles"),
        ({"titles": {"de": "Projekt"}}, "titles"),
        ({"titles": {"en": "x" * 301}}, "titles"),
        ({"titles": "Resilient Lac"}, "titles"),
        ({"descriptions": {"en": "x" * 10001}}, "descriptions"),
        ({"phase": "approved"}, "phase"),  # people start at concept or appraisal
        ({"phase": "dreaming"}, "phase"),
        ({"planned_start": dt.date(2027, 1, 1), "planned_end": dt.date(2026, 1, 1)}, "planned_end"),
        ({"planned_start": "2026-01-01"}, "planned_start"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_project_create_refuses_bad_input_and_writes_nothing(secretariat, chad, iom, overrides, field):
    with changes_nothing(field=field):
        create(secretariat, chad, iom, **overrides)


def test_project_create_refuses_an_identifier_without_org_prefix_when_there_is_no_lead(secretariat, chad):
    with changes_nothing(field="identifier"):
        services.project_create(actor=secretariat, country=chad, identifier="PROJECT-1", titles={"en": "x"})


def test_project_create_names_every_problem_at_once(secretariat, chad, iom):
    with changes_nothing() as refused:
        create(secretariat, chad, iom, identifier="bad id", titles={}, phase="closed")
    assert {"identifier", "titles", "phase"} <= set(refused.value.errors)


def test_project_create_refuses_a_taken_identifier(secretariat, chad, iom, project):
    with changes_nothing(error=Conflict):
        create(secretariat, chad, iom, identifier=project.identifier)


def test_project_create_refuses_another_countrys_working_group(secretariat, chad, iom, guinea_bissau):
    group = WorkingGroupFactory(country=guinea_bissau)
    with changes_nothing(field="working_group"):
        create(secretariat, chad, iom, working_group=group)


# --- update and optimistic concurrency ---------------------------------------------------------------------


def test_project_update_bumps_the_version_and_audits_the_diff(secretariat, project):
    services.project_update(
        actor=secretariat, project=project, expected_version=1, titles={"en": "Lake Chad resilience"}
    )
    assert project.version == 2
    assert Project.objects.get(pk=project.pk).titles == {"en": "Lake Chad resilience"}
    record = last_audit("project.update")
    assert record.changes == {"titles": [{"en": "Lake Chad"}, {"en": "Lake Chad resilience"}], "version": [1, 2]}


def test_project_update_without_a_change_writes_nothing(secretariat, project):
    before = AuditRecord.objects.count()
    services.project_update(actor=secretariat, project=project, titles={"en": "Lake Chad"})
    assert (project.version, AuditRecord.objects.count()) == (1, before)


def test_a_stale_save_is_refused_with_the_fields_changed_since(secretariat, chad_focal_point, project):
    loaded_by_a = Project.objects.get(pk=project.pk)  # editor A loads version 1
    loaded_by_b = Project.objects.get(pk=project.pk)  # editor B loads version 1
    services.project_update(
        actor=chad_focal_point, project=loaded_by_b, expected_version=1, planned_end=dt.date(2029, 6, 30)
    )
    services.project_sectors_set(actor=chad_focal_point, project=loaded_by_b, sectors=[("15220", 100)])
    with changes_nothing(project, error=PreconditionFailed) as refused:
        services.project_update(actor=secretariat, project=loaded_by_a, expected_version=1, titles={"en": "Mine"})
    assert set(refused.value.errors) == {"planned_end", "sectors"}
    assert refused.value.message == (
        "The project changed since you read it (changed: planned_end, sectors); reload it and apply your change again."
    )
    assert refused.value.status == 412
    # reloading gives the current version, and the save goes through
    services.project_update(actor=secretariat, project=loaded_by_a, expected_version=3, titles={"en": "Mine"})
    assert Project.objects.get(pk=project.pk).version == 4


def test_the_precondition_names_only_changes_after_the_clients_version(secretariat, project):
    services.project_update(actor=secretariat, project=project, titles={"en": "v2"})
    services.project_update(actor=secretariat, project=project, planned_start=dt.date(2026, 2, 1))
    with pytest.raises(PreconditionFailed) as refused:
        services.project_update(actor=secretariat, project=project, expected_version=2, is_public=False)
    assert set(refused.value.errors) == {"planned_start"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"identifier": "XM-DAC-47066-OTHER"}, "identifier"),  # never changed once published
        ({"phase": "approved"}, "phase"),  # through project_phase_advance
        ({"climate_score": 2}, "climate_score"),  # through project_nexus_set
        ({"version": 9}, "version"),
        ({"titles": {"en": ""}}, "titles"),
        ({"planned_end": dt.date(2025, 1, 1)}, "planned_end"),  # before the planned start
        ({"actual_start": dt.date(2999, 1, 1)}, "actual_start"),  # in the future
        ({"is_public": "yes"}, "is_public"),
    ],
)
def test_project_update_refuses_bad_input_and_writes_nothing(secretariat, project, fields, field):
    with changes_nothing(project, field=field):
        services.project_update(actor=secretariat, project=project, expected_version=1, **fields)


# --- participants -------------------------------------------------------------------------------------------


def test_participants_are_added_and_removed_with_audit(secretariat, project, gcf):
    services.project_participant_add(actor=secretariat, project=project, organisation=gcf, role="1")
    assert last_audit("project.participant_add").changes == {"participants": [None, [gcf.pk, "1"]], "version": [1, 2]}
    services.project_participant_remove(actor=secretariat, project=project, organisation=gcf, role=1)
    assert last_audit("project.participant_remove").changes["participants"] == [[gcf.pk, "1"], None]
    assert project.version == 3


def test_the_last_accountable_organisation_is_never_removed(secretariat, project, iom):
    with changes_nothing(project, field="role"):
        services.project_participant_remove(actor=secretariat, project=project, organisation=iom, role="2")
    other = OrganisationFactory()
    services.project_participant_add(actor=secretariat, project=project, organisation=other, role="2")
    services.project_participant_remove(actor=secretariat, project=project, organisation=iom, role="2")
    assert list(project.participants.values_list("organisation_id", flat=True)) == [other.pk]


def test_participant_bad_input_writes_nothing(secretariat, project, iom, gcf):
    with changes_nothing(project, field="role"):
        services.project_participant_add(actor=secretariat, project=project, organisation=gcf, role="9")
    with changes_nothing(project, error=Conflict):
        services.project_participant_add(actor=secretariat, project=project, organisation=iom, role="2")
    with changes_nothing(project, error=NotFound):
        services.project_participant_remove(actor=secretariat, project=project, organisation=gcf, role="4")
    assert ProjectParticipant.objects.filter(project=project).count() == 1


# --- documents ----------------------------------------------------------------------------------------------

PDF = pdf_bytes()


def test_a_document_is_stored_with_its_checked_type_and_audited(secretariat, project):
    upload = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    document = services.project_document_add(
        actor=secretariat, project=project, upload=upload, title="Concept note", category="a02"
    )
    assert (document.mime_type, document.category, document.is_public) == ("application/pdf", "A02", False)
    assert document.size_bytes == len(PDF) and len(document.sha256) == 64
    assert last_audit("project.document_add").changes["documents"][1]["title"] == "Concept note"


@pytest.mark.parametrize(
    ("data", "title", "category", "field"),
    [
        (b"MZ\x90\x00 not a document", "Concept note", "", "file"),
        (b"", "Concept note", "", "file"),
        (PDF, "", "", "title"),
        (PDF, "Concept note", "Z99", "category"),
        (pdf_with_javascript(), "Concept note", "", "file"),
    ],
)
def test_a_bad_document_writes_nothing(secretariat, project, data, title, category, field):
    upload = SimpleUploadedFile("x.pdf", data)
    with changes_nothing(project, field=field):
        services.project_document_add(actor=secretariat, project=project, upload=upload, title=title, category=category)


def test_refused_inputs_raise_validation_failed_with_a_message(secretariat, chad, iom):
    with pytest.raises(ValidationFailed) as refused:
        create(secretariat, chad, iom, identifier="XM-DAC-41114-1")
    assert "XM-DAC-47066-" in refused.value.message
