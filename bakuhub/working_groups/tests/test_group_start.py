"""A group's start date and status: not after its first meeting or decision, the secretariat's once sourced, and
the `jwg_established` milestone recorded with the group follows the start date."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.partners.models import Membership, MembershipMilestone
from bakuhub.working_groups import services
from bakuhub.working_groups.tests.factories import DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

STARTED = dt.date(2025, 9, 22)


@pytest.fixture
def sourced_group(chad, secretariat):
    return services.working_group_create(
        actor=secretariat, country=chad, name="JWG Hub - Chad", started_on=STARTED, fact_id="BH046",
        source_url="https://www.trend.az/azerbaijan/politics/4095019.html",
    )  # fmt: skip


@pytest.fixture
def unsourced_group(chad, secretariat):
    return services.working_group_create(actor=secretariat, country=chad, name="JWG Hub - Chad", started_on=STARTED)


def jwg_milestone() -> MembershipMilestone:
    return MembershipMilestone.objects.get(membership__country__iso3="TCD", milestone="jwg_established")


def test_it_refuses_a_start_after_the_groups_first_decision(unsourced_group, secretariat):
    DecisionFactory(working_group=unsourced_group, decided_on=dt.date(2025, 10, 15))
    with pytest.raises(ValidationFailed, match="first meeting or decision is dated 2025-10-15") as refused:
        services.working_group_update(actor=secretariat, working_group=unsourced_group, started_on=dt.date(2026, 1, 1))
    assert list(refused.value.errors) == ["started_on"]
    unsourced_group.refresh_from_db()
    assert unsourced_group.started_on == STARTED


def test_it_refuses_a_start_after_the_groups_first_meeting(unsourced_group, secretariat):
    meeting = MeetingFactory(working_group=unsourced_group)
    later = meeting.starts_at.date() + dt.timedelta(days=2)
    with pytest.raises(ValidationFailed, match="first meeting or decision"):
        services.working_group_update(actor=secretariat, working_group=unsourced_group, started_on=later)


def test_a_focal_point_cannot_change_a_sourced_groups_start_or_status(sourced_group, chad_focal_point):
    with pytest.raises(PermissionDenied, match="only the Hub secretariat may change its start date or status"):
        services.working_group_update(
            actor=chad_focal_point, working_group=sourced_group, started_on=dt.date(2025, 9, 1)
        )
    with pytest.raises(PermissionDenied, match="only the Hub secretariat"):
        services.working_group_update(actor=chad_focal_point, working_group=sourced_group, status="dormant")
    services.working_group_update(actor=chad_focal_point, working_group=sourced_group, name="JWG Chad")  # text is fine


def test_the_jwg_milestone_follows_the_groups_start_date_audited(sourced_group, secretariat):
    assert jwg_milestone().reached_on == STARTED
    services.working_group_update(actor=secretariat, working_group=sourced_group, started_on=dt.date(2025, 9, 1))
    assert jwg_milestone().reached_on == dt.date(2025, 9, 1)
    membership = Membership.objects.get(country__iso3="TCD")
    assert (membership.stage, membership.stage_since) == ("jwg_established", dt.date(2025, 9, 1))
    record = AuditRecord.objects.get(action="membershipmilestone.correct")
    assert record.changes["reached_on"] == ["2025-09-22", "2025-09-01"]


def test_the_api_refuses_a_focal_points_patch_of_a_sourced_groups_start(sourced_group, chad_focal_point):
    from bakuhub.conftest import client_for

    response = client_for(chad_focal_point).patch(
        f"/api/v1/working-groups/{sourced_group.pk}",
        data='{"started_on": "2026-01-01"}',
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert "only the Hub secretariat" in response.json()["message"]
    assert jwg_milestone().reached_on == STARTED
