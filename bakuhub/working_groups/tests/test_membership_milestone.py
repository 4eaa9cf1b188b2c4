"""A Joint Working Group and the membership pipeline never contradict each other: setting up a group records the
country's `jwg_established` milestone in the same transaction, dated by the group and citing its source."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.core.errors import ValidationFailed
from bakuhub.partners.models import Membership, MembershipMilestone
from bakuhub.working_groups import services

pytestmark = pytest.mark.django_db

SOURCE = {"source_title": "Trend report", "source_url": "https://example.org/jwg", "fact_id": "BH046"}


def test_setting_up_a_group_records_the_milestone_of_its_country(chad_membership, secretariat):
    group = services.working_group_create(
        actor=secretariat, country=chad_membership.country, name="Chad JWG", started_on=dt.date(2025, 9, 1),
        started_precision="month", **SOURCE,
    )  # fmt: skip
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.stage_since) == ("jwg_established", dt.date(2025, 9, 1))
    milestone = chad_membership.milestones.get(milestone="jwg_established")
    assert (milestone.date_precision, milestone.fact_id, milestone.source_url) == (
        "month",
        "BH046",
        "https://example.org/jwg",
    )
    assert milestone.actor == secretariat and group.code in milestone.note


def test_a_group_for_a_country_without_membership_creates_one_at_the_milestone(guinea_bissau):
    services.working_group_create(actor=None, country=guinea_bissau, name="GNB JWG", started_on=dt.date(2025, 9, 22))
    membership = Membership.objects.get(country=guinea_bissau)
    assert (membership.stage, membership.stage_since) == ("jwg_established", dt.date(2025, 9, 22))


def test_a_milestone_already_recorded_is_kept(chad_membership):
    services.working_group_create(
        actor=None, country=chad_membership.country, name="Chad JWG", started_on=dt.date(2025, 9, 1),
        source_title="Earlier source", source_url="https://example.org/earlier",
    )  # fmt: skip
    services.working_group_create(
        actor=None, country=chad_membership.country, name="Chad JWG 2", code="TCD-JWG-B", **SOURCE
    )  # fmt: skip
    assert MembershipMilestone.objects.get(milestone="jwg_established").source_title == "Earlier source"


def test_a_refused_group_records_no_milestone(chad_membership):
    with pytest.raises(ValidationFailed):
        services.working_group_create(actor=None, country=chad_membership.country, name="Chad JWG", code="BAD")
    assert not chad_membership.milestones.filter(milestone="jwg_established").exists()
