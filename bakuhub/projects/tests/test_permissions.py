"""Who may write what, for the five named users, on an IOM-led project in Chad (and on others' projects)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.core.errors import PermissionDenied
from bakuhub.projects import services
from bakuhub.projects.tests.conftest import changes_nothing
from bakuhub.projects.tests.factories import ProjectFactory, complete_answers
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

USERS = ["secretariat", "chad_focal_point", "iom_editor", "gcf_funder", "anonymous"]


def _writes(ctx):
    """Each write, as a function of (actor, project) that makes one valid change."""
    return {
        "update": lambda a, p: services.project_update(actor=a, project=p, titles={"en": "Edited"}),
        "to_appraisal": lambda a, p: services.project_phase_advance(actor=a, project=p, to_phase="appraisal"),
        "participant": lambda a, p: services.project_participant_add(
            actor=a, project=p, organisation=ctx["gcf"], role="1"
        ),
        "sectors": lambda a, p: services.project_sectors_set(actor=a, project=p, sectors=[("15220", Decimal(100))]),
        "markers": lambda a, p: services.project_policy_markers_set(actor=a, project=p, markers=[("7", 1)]),
        "nexus": lambda a, p: services.project_nexus_set(actor=a, project=p, climate=1, peace=1, migration=0),
        "humanitarian": lambda a, p: services.project_humanitarian_set(actor=a, project=p, humanitarian=False),
        "location": lambda a, p: services.location_add(actor=a, project=p, admin_unit=ctx["lac"]),
        "document": lambda a, p: services.project_document_add(
            actor=a, project=p, upload=SimpleUploadedFile("a.pdf", pdf_bytes()), title="Note"
        ),
        "screening": lambda a, p: services.screening_save(
            actor=a, project=p, answers=complete_answers(), complete=True
        ),
    }


# (write, user) -> allowed, on the IOM-led project in Chad
EDITORS = {"secretariat", "chad_focal_point", "iom_editor"}
SCREENERS = {"secretariat", "chad_focal_point"}
MATRIX = {
    write: (SCREENERS if write == "screening" else EDITORS)
    for write in [
        "update",
        "to_appraisal",
        "participant",
        "sectors",
        "markers",
        "nexus",
        "humanitarian",
        "location",
        "document",
        "screening",
    ]
}


@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize("write", sorted(MATRIX))
def test_write_permissions_on_an_iom_project_in_chad(request, project, lac, gcf, write, user_name):
    actor = request.getfixturevalue(user_name)
    do = _writes({"gcf": gcf, "lac": lac})[write]
    if user_name in MATRIX[write]:
        do(actor, project)
        project.refresh_from_db()
        assert project.version == 2
    else:
        with changes_nothing(project, error=PermissionDenied):
            do(actor, project)


@pytest.mark.parametrize("user_name", USERS)
def test_nobody_but_the_secretariat_edits_a_project_outside_their_scope(request, guinea_bissau, gcf, user_name):
    """A Guinea-Bissau project led by GCF, with IOM only implementing: the IOM editor does not edit it."""
    actor = request.getfixturevalue(user_name)
    iom = request.getfixturevalue("iom")
    project = ProjectFactory(country=guinea_bissau, lead_organisation=gcf)
    services.project_participant_add(actor=None, project=project, organisation=iom, role="4")
    project.refresh_from_db()
    if user_name == "secretariat":
        services.project_update(actor=actor, project=project, titles={"en": "Edited"})
    else:
        with changes_nothing(project, error=PermissionDenied):
            services.project_update(actor=actor, project=project, titles={"en": "Edited"})


CREATE_MATRIX = {
    # (country, lead) -> who may create
    ("chad", "iom"): {"secretariat", "chad_focal_point", "iom_editor"},
    ("chad", None): {"secretariat", "chad_focal_point"},
    ("guinea_bissau", "iom"): {"secretariat", "iom_editor"},
    ("guinea_bissau", "gcf"): {"secretariat"},
}


@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize("case", sorted(CREATE_MATRIX, key=str))
def test_create_permissions(request, user_name, case):
    actor = request.getfixturevalue(user_name)
    country = request.getfixturevalue(case[0])
    lead = request.getfixturevalue(case[1]) if case[1] else None
    prefix = lead.iati_identifier if lead is not None and lead.iati_identifier else "XI-IATI-HUB"

    def create():
        return services.project_create(
            actor=actor, country=country, lead_organisation=lead, identifier=f"{prefix}-NEW-1", titles={"en": "New"}
        )

    if user_name in CREATE_MATRIX[case]:
        assert create().pk
    else:
        with changes_nothing(error=PermissionDenied):
            create()


@pytest.mark.parametrize("user_name", ["secretariat", "chad_focal_point", "iom_editor", "gcf_funder", "anonymous"])
def test_approval_permissions(request, chad, iom, user_name):
    actor = request.getfixturevalue(user_name)
    project = ProjectFactory(country=chad, lead_organisation=iom, approvable=True)
    if user_name in SCREENERS:
        services.project_phase_advance(actor=actor, project=project, to_phase="approved")
        assert project.phase == "approved"
    else:
        with changes_nothing(project, error=PermissionDenied):
            services.project_phase_advance(actor=actor, project=project, to_phase="approved")
