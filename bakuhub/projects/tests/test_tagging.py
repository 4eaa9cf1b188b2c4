"""Sectors (with a property test), policy markers, the nexus profile and the humanitarian scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from bakuhub.accounts.models import Role
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.projects import services
from bakuhub.projects.models import PolicyMarker, Project, ProjectSector
from bakuhub.projects.services.tagging import check_sectors
from bakuhub.projects.tests.conftest import changes_nothing, last_audit
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.testing.factories import CountryFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIVE = ["15220", "15190", "41010", "74020", "43060", "31120", "14030", "72010"]

# --- sectors ------------------------------------------------------------------------------------------------


def test_sectors_replace_the_set_and_audit_before_and_after(secretariat, project):
    services.project_sectors_set(actor=secretariat, project=project, sectors=[("15220", 60), ("41010", "40.00")])
    rows = services.project_sectors_set(
        actor=secretariat, project=project, sectors=[("15190", Decimal("33.33")), ("74020", Decimal("66.67"))]
    )
    assert sorted((r.code, r.percentage) for r in rows) == [("15190", Decimal("33.33")), ("74020", Decimal("66.67"))]
    assert sorted(project.sectors.values_list("code", flat=True)) == ["15190", "74020"]
    record = last_audit("project.sectors_set")
    assert record.changes["sectors"] == [
        [["15220", "60.00"], ["41010", "40.00"]],
        [["15190", "33.33"], ["74020", "66.67"]],
    ]
    assert record.changes["version"] == [2, 3]


@pytest.mark.parametrize(
    ("sectors", "needle"),
    [
        ([("15220", 60), ("41010", 30)], "sum to 90"),
        ([("15220", 60), ("41010", 50)], "sum to 110"),
        ([("15220", "33.333"), ("41010", "66.667")], "more than 2 decimals"),
        ([("15220", 0), ("41010", 100)], "more than 0"),
        ([("15220", -10), ("41010", 110)], "more than 0"),
        ([("15220", 50), ("15220", 50)], "listed twice"),
        ([("99999", 100)], "not a DAC 5-digit"),
        ([("152", 100)], "not a DAC 5-digit"),
        ([("15140", 100)], "Withdrawn DAC codes cannot be used for new data: 15140 Government administration"),
        ([("74010", 50), ("41050", 50)], "74010 Disaster prevention and preparedness; 41050 Flood prevention"),
        ([("15220", "abc")], "not a number"),
        ([("15220", float("nan"))], "not a number"),
        ([("15220", True)], "not a number"),
        ([], "at least one"),
        ([("15220",)], "pair"),
    ],
)
def test_bad_sectors_are_refused_with_a_clear_message_and_nothing_written(secretariat, project, sectors, needle):
    ProjectSector.objects.create(project=project, code="43060", percentage=100)
    with changes_nothing(project) as refused:
        services.project_sectors_set(actor=secretariat, project=project, sectors=sectors)
    assert needle.lower() in refused.value.message.lower()
    assert list(project.sectors.values_list("code", flat=True)) == ["43060"]


def test_a_withdrawn_code_already_on_the_project_may_stay(secretariat, project):
    ProjectSector.objects.create(project=project, code="15140", percentage=100)  # imported from an older file
    services.project_sectors_set(actor=secretariat, project=project, sectors=[("15140", 50), ("15220", 50)])
    assert project.sectors.count() == 2


shares = st.decimals(min_value=Decimal("-20"), max_value=Decimal("120"), places=2, allow_nan=False)


@st.composite
def sector_lists(draw):
    """Random lists; half of them are nudged to sum to exactly 100, so both outcomes are well covered."""
    codes = draw(st.lists(st.sampled_from(ACTIVE), min_size=1, max_size=len(ACTIVE), unique=True))
    values = [draw(shares) for _ in codes]
    if draw(st.booleans()):
        values[-1] = Decimal(100) - sum(values[:-1], Decimal(0))
    return list(zip(codes, values, strict=True))


def _expected_ok(pairs):
    return all(Decimal(0) < p <= 100 for _, p in pairs) and sum((p for _, p in pairs), Decimal(0)) == 100


@settings(max_examples=200, deadline=None)
@given(sector_lists())
def test_check_sectors_accepts_a_list_iff_it_sums_to_100_and_every_share_is_in_range(pairs):
    if _expected_ok(pairs):
        assert check_sectors(pairs) == pairs
    else:
        with pytest.raises(ValidationFailed):
            check_sectors(pairs)


@settings(max_examples=25, deadline=None)
@given(sector_lists())
def test_project_sectors_set_writes_iff_valid_and_nothing_otherwise(pairs):
    with transaction.atomic():
        actor = UserFactory(role=Role.SECRETARIAT)
        project = ProjectFactory(country=CountryFactory())
        before = (AuditRecord.objects.count(), ProjectSector.objects.count())
        if _expected_ok(pairs):
            services.project_sectors_set(actor=actor, project=project, sectors=pairs)
            stored = sorted(project.sectors.values_list("code", "percentage"))
            assert stored == sorted(pairs)
            assert sum(p for _, p in stored) == 100
        else:
            with pytest.raises(ValidationFailed):
                services.project_sectors_set(actor=actor, project=project, sectors=pairs)
            assert (AuditRecord.objects.count(), ProjectSector.objects.count()) == before
            assert Project.objects.get(pk=project.pk).version == 1
        transaction.set_rollback(True)


# --- policy markers -----------------------------------------------------------------------------------------


def test_markers_are_replaced_and_warn_when_the_climate_score_disagrees(secretariat, project):
    services.project_nexus_set(actor=secretariat, project=project, climate=1, peace=0, migration=0)
    warnings = services.project_policy_markers_set(
        actor=secretariat, project=project, markers=[("7", 2), ("06", 1), ("1", 1)]
    )
    assert sorted(project.policy_markers.values_list("code", "significance")) == [("1", 1), ("6", 1), ("7", 2)]
    assert len(warnings) == 1 and "should be 2" in warnings[0]
    assert last_audit("project.policy_markers_set").changes["policy_markers"] == [[], [["1", 1], ["6", 1], ["7", 2]]]
    assert services.project_policy_markers_set(actor=secretariat, project=project, markers=[("7", 1)]) == []
    assert services.project_warnings(project) == []


@pytest.mark.parametrize(
    ("markers", "needle"),
    [
        ([("13", 1)], "not an OECD DAC policy marker"),
        ([("x", 1)], "not an OECD DAC policy marker"),
        ([("7", 5)], "not a policy significance"),
        ([("7", True)], "significance"),
        ([("7", 3)], "only with marker 8"),  # 3 is for desertification
        ([("6", 4)], "only with marker 9"),  # 4 is the RMNCH scale's top
        ([("7", 1), ("07", 2)], "listed twice"),
    ],
)
def test_bad_markers_are_refused_and_nothing_written(secretariat, project, markers, needle):
    PolicyMarker.objects.create(project=project, code="1", significance=1)
    with changes_nothing(project) as refused:
        services.project_policy_markers_set(actor=secretariat, project=project, markers=markers)
    assert needle in refused.value.message


def test_desertification_and_rmnch_keep_their_extended_scales(secretariat, project):
    services.project_policy_markers_set(actor=secretariat, project=project, markers=[("8", 3), ("9", 4)])
    assert project.policy_markers.count() == 2


# --- nexus profile ------------------------------------------------------------------------------------------


def test_nexus_set_records_the_assessor_date_and_method(chad_focal_point, project):
    services.project_nexus_set(
        actor=chad_focal_point,
        project=project,
        climate=2,
        peace=1,
        migration=2,
        climate_justification="Adaptation is the purpose.",
        migration_justification="Targets displaced herders.",
        method="suggested",
        assessed_on=dt.date(2025, 11, 1),
    )
    project.refresh_from_db()
    assert (project.climate_score, project.peace_score, project.migration_score) == (2, 1, 2)
    assert (project.nexus_assessed_by, project.nexus_assessed_on, project.nexus_method) == (
        chad_focal_point,
        dt.date(2025, 11, 1),
        "suggested",
    )
    assert project.is_triple_nexus
    changes = last_audit("project.nexus_set").changes
    assert changes["climate_score"] == [0, 2] and changes["nexus_method"] == ["", "suggested"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"climate": 2}, "climate_justification"),
        ({"peace": 2, "peace_justification": "   "}, "peace_justification"),
        ({"migration": 3}, "migration"),
        ({"climate": -1}, "climate"),
        ({"climate": True}, "climate"),
        ({"climate": "1"}, "climate"),
        ({"method": "guessed"}, "method"),
        ({"assessed_on": dt.date(2999, 1, 1)}, "assessed_on"),
        ({"climate_justification": "x" * 5001}, "climate_justification"),
    ],
)
def test_a_bad_nexus_profile_writes_nothing(secretariat, project, kwargs, field):
    values = {"climate": 0, "peace": 0, "migration": 0, **kwargs}
    with changes_nothing(project, field=field):
        services.project_nexus_set(actor=secretariat, project=project, **values)


# --- humanitarian -------------------------------------------------------------------------------------------


def test_humanitarian_flag_and_scope_are_set_and_cleared(secretariat, project):
    services.project_humanitarian_set(
        actor=secretariat,
        project=project,
        humanitarian=True,
        scope_type="2",
        scope_vocabulary="2-1",
        scope_code="HTCD25",
    )
    project.refresh_from_db()
    assert (project.humanitarian, project.humanitarian_scope_code) == (True, "HTCD25")
    assert last_audit("project.humanitarian_set").changes["humanitarian"] == [None, True]
    services.project_humanitarian_set(actor=secretariat, project=project, humanitarian=None)
    project.refresh_from_db()
    assert (project.humanitarian, project.humanitarian_scope_type) == (None, "")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"humanitarian": False, "scope_type": "2", "scope_vocabulary": "2-1", "scope_code": "HTCD25"}, "humanitarian"),
        ({"humanitarian": True, "scope_type": "2", "scope_vocabulary": "2-1"}, "scope"),
        ({"humanitarian": True, "scope_type": "3", "scope_vocabulary": "2-1", "scope_code": "HTCD25"}, "scope_type"),
        (
            {"humanitarian": True, "scope_type": "2", "scope_vocabulary": "7", "scope_code": "HTCD25"},
            "scope_vocabulary",
        ),
        ({"humanitarian": True, "scope_type": "1", "scope_vocabulary": "2-1", "scope_code": "HTCD25"}, "scope_type"),
        ({"humanitarian": True, "scope_type": "1", "scope_vocabulary": "1-2", "scope_code": "Covid-19"}, "scope_code"),
        (
            {"humanitarian": True, "scope_type": "2", "scope_vocabulary": "2-1", "scope_code": "Tchad 2025"},
            "scope_code",
        ),
        ({"humanitarian": "yes"}, "humanitarian"),
    ],
)
def test_a_bad_humanitarian_scope_writes_nothing(secretariat, project, kwargs, field):
    with changes_nothing(project, field=field):
        services.project_humanitarian_set(actor=secretariat, project=project, **kwargs)


def test_a_glide_number_goes_with_an_emergency(secretariat, project):
    services.project_humanitarian_set(
        actor=secretariat,
        project=project,
        humanitarian=True,
        scope_type="1",
        scope_vocabulary="1-2",
        scope_code="FL-2024-000123-TCD",
    )
    assert Project.objects.get(pk=project.pk).humanitarian_scope_vocabulary == "1-2"
