"""Locations (country, coordinates, precision, codelists) and the do-no-harm screening."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from bakuhub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bakuhub.projects import services
from bakuhub.projects.models import Location, Screening
from bakuhub.projects.screening_questions import QUESTION_IDS, QUESTIONS
from bakuhub.projects.tests.conftest import changes_nothing, last_audit
from bakuhub.projects.tests.factories import LocationFactory, ProjectFactory, complete_answers
from bakuhub.testing.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

# --- locations ----------------------------------------------------------------------------------------------


def test_precision_is_derived_from_what_is_given(secretariat, project, lac):
    admin1 = services.location_add(actor=secretariat, project=project, admin_unit=lac)
    admin2 = services.location_add(actor=secretariat, project=project, admin_unit=lac, admin2_pcode="td0701")
    point = services.location_add(
        actor=secretariat,
        project=project,
        admin_unit=lac,
        name="Bol",
        latitude="13.4586",
        longitude=14.7147,
        location_class="2",
        exactness="2",
        sensitivity="coarsen",
    )
    assert (admin1.precision, admin2.precision, point.precision) == ("admin1", "admin2", "point")
    assert admin2.admin2_pcode == "TD0701"
    assert (point.latitude, point.longitude) == (Decimal("13.45860"), Decimal("14.71470"))
    record = last_audit("project.location_add")
    assert record.changes["locations"][1]["sensitivity"] == "coarsen"
    assert record.changes["version"] == [3, 4]


def test_a_location_is_removed_with_audit(secretariat, project, lac):
    location = services.location_add(actor=secretariat, project=project, admin_unit=lac, name="Bol")
    services.location_remove(actor=secretariat, project=project, location=location)
    assert not Location.objects.filter(pk=location.pk).exists()
    assert last_audit("project.location_remove").changes["locations"][0]["name"] == "Bol"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"latitude": 13.4}, "longitude"),
        ({"longitude": 14.7}, "latitude"),
        ({"latitude": 91, "longitude": 14.7}, "latitude"),
        ({"latitude": 13.4, "longitude": -180.5}, "longitude"),
        ({"latitude": "north", "longitude": 14.7}, "latitude"),
        ({"latitude": float("inf"), "longitude": 14.7}, "latitude"),
        ({"admin2_pcode": "TD0301"}, "admin2_pcode"),  # another province's district
        ({"admin2_pcode": "TD07"}, "admin2_pcode"),  # the province itself
        ({"admin2_pcode": "TD07 01"}, "admin2_pcode"),
        ({"location_class": "9"}, "location_class"),
        ({"exactness": "3"}, "exactness"),
        ({"sensitivity": "secret"}, "sensitivity"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_a_bad_location_writes_nothing(secretariat, project, lac, kwargs, field):
    with changes_nothing(project, field=field):
        services.location_add(actor=secretariat, project=project, admin_unit=lac, **kwargs)


ADMIN1 = Path(__file__).resolve().parents[2] / "core" / "data" / "reference" / "admin1.geojson"


@pytest.fixture
def lac_outline(lac):
    """Lac with its outline from the reference data (the plain fixture has no geometry)."""
    features = json.loads(ADMIN1.read_text(encoding="utf-8"))["features"]
    lac.geometry = next(f["geometry"] for f in features if f["properties"]["pcode"] == "TD07")
    lac.save(update_fields=["geometry"])
    return lac


def test_it_refuses_a_point_in_italy_on_a_chad_province(secretariat, project, lac_outline):
    with changes_nothing(project, field="latitude") as refused:
        services.location_add(
            actor=secretariat, project=project, admin_unit=lac_outline, latitude="41.9028", longitude="12.4964"
        )
    assert refused.value.message == (
        "The point 41.90280, 12.49640 is not in Lac (TD07), even allowing 0.05 degrees; "
        "check the coordinates or choose the unit the point lies in."
    )


def test_a_point_in_its_province_or_just_across_the_simplified_border_is_accepted(secretariat, project, lac_outline):
    bol = services.location_add(
        actor=secretariat, project=project, admin_unit=lac_outline, name="Bol", latitude=13.4586, longitude=14.7147
    )
    # 0.02 degrees (about 2 km) west of the outline's westernmost point: within the default tolerance
    west, lat = min(tuple(xy) for ring in lac_outline.geometry["coordinates"] for xy in ring)
    near = services.location_add(
        actor=secretariat, project=project, admin_unit=lac_outline, name="Near", latitude=lat, longitude=west - 0.02
    )
    assert bol.precision == near.precision == "point"


def test_the_tolerance_is_a_setting(secretariat, project, lac_outline, settings):
    settings.BAKUHUB_LOCATION_TOLERANCE_DEGREES = 0.001
    west, lat = min(tuple(xy) for ring in lac_outline.geometry["coordinates"] for xy in ring)
    with changes_nothing(project, field="latitude"):
        services.location_add(
            actor=secretariat, project=project, admin_unit=lac_outline, latitude=lat, longitude=west - 0.02
        )


def test_the_admin_unit_must_be_in_the_projects_country(secretariat, project, bafata):
    with changes_nothing(project, field="admin_unit") as refused:
        services.location_add(actor=secretariat, project=project, admin_unit=bafata)
    assert "not in the project's country" in refused.value.message


def test_an_admin2_unit_is_not_an_admin1_location(secretariat, project, chad):
    district = AdminUnitFactory(country=chad, level=2, pcode="TD0701", name="Mamdi")
    with changes_nothing(project, field="admin_unit"):
        services.location_add(actor=secretariat, project=project, admin_unit=district)


def test_the_same_location_twice_is_a_conflict(secretariat, project, lac):
    services.location_add(actor=secretariat, project=project, admin_unit=lac, name="Bol")
    with changes_nothing(project, error=Conflict):
        services.location_add(actor=secretariat, project=project, admin_unit=lac, name="Bol")


def test_another_projects_location_cannot_be_removed(secretariat, project, chad):
    other = LocationFactory(project=ProjectFactory(country=chad))
    with changes_nothing(project, error=NotFound):
        services.location_remove(actor=secretariat, project=project, location=other)


# --- screening ----------------------------------------------------------------------------------------------


def test_the_checklist_has_the_eight_conflict_sensitivity_questions():
    assert QUESTION_IDS == (
        "tensions",
        "targeting",
        "land_resources",
        "displacement",
        "staff_safety",
        "data_protection",
        "power_dynamics",
        "grievance_mechanism",
    )
    assert all(q.text.endswith("?") for q in QUESTIONS)


def test_a_draft_then_a_complete_screening_records_reviewer_and_date(chad_focal_point, project):
    draft = services.screening_save(
        actor=chad_focal_point, project=project, answers={"tensions": "yes", "targeting": "n.a."}, complete=False
    )
    assert (draft.is_complete, draft.reviewer, draft.reviewed_on) == (False, None, None)
    assert draft.answers == {"tensions": {"answer": "yes", "note": ""}, "targeting": {"answer": "n/a", "note": ""}}
    answers = complete_answers()
    answers["tensions"] = {"answer": "yes", "note": "Mixed committees of host and displaced people."}
    done = services.screening_save(actor=chad_focal_point, project=project, answers=answers, complete=True)
    done.refresh_from_db()
    assert (done.is_complete, done.reviewer, done.reviewed_on) == (True, chad_focal_point, timezone.localdate())
    assert Screening.objects.filter(project=project).count() == 1
    changes = last_audit("project.screening_save").changes
    assert changes["screening"][0]["is_complete"] is False and changes["screening"][1]["is_complete"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tensions": None}, "tensions"),  # unanswered
        ({"tensions": {"answer": "yes", "note": ""}}, "tensions"),  # a risk without a note
        ({"grievance_mechanism": {"answer": "no"}}, "grievance_mechanism"),  # no mechanism: a risk too
        ({"targeting": "maybe"}, "targeting"),
        ({"weather": "no"}, "weather"),
        ({"staff_safety": {"answer": "no", "note": "x" * 2001}}, "staff_safety"),
    ],
)
def test_an_incomplete_or_bad_screening_cannot_be_completed(secretariat, project, change, field):
    answers = {**complete_answers(), **change}
    answers = {k: v for k, v in answers.items() if v is not None}
    with changes_nothing(project, field=field):
        services.screening_save(actor=secretariat, project=project, answers=answers, complete=True)


def test_a_draft_may_leave_questions_open_but_not_give_bad_answers(secretariat, project):
    services.screening_save(actor=secretariat, project=project, answers={"tensions": ""}, complete=False)
    with changes_nothing(project, field="tensions"):
        services.screening_save(actor=secretariat, project=project, answers={"tensions": "perhaps"}, complete=False)
    with changes_nothing(project, field="answers"):
        services.screening_save(actor=secretariat, project=project, answers=["tensions"], complete=False)


def test_an_approved_projects_screening_is_not_reopened_as_a_draft(secretariat, chad):
    project = ProjectFactory(country=chad, phase="approved", screened=True)
    with changes_nothing(project, field="complete"):
        services.screening_save(actor=secretariat, project=project, answers={}, complete=False)
    services.screening_save(actor=secretariat, project=project, answers=complete_answers(), complete=True)


def test_a_partner_editor_does_not_screen_its_own_project(iom_editor, project):
    with changes_nothing(project, error=PermissionDenied):
        services.screening_save(actor=iom_editor, project=project, answers=complete_answers(), complete=True)


def test_screening_refusals_are_validation_errors(secretariat, project):
    with pytest.raises(ValidationFailed) as refused:
        services.screening_save(actor=secretariat, project=project, answers={}, complete=True)
    assert set(refused.value.errors) == set(QUESTION_IDS)
    assert not Screening.objects.filter(project=project).exists()
