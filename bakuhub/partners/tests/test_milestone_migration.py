"""The data migration turns the steps of the former state machine into milestones and keeps the rest as history."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from bakuhub.partners.models import Membership, MembershipEvent, MembershipMilestone

pytestmark = pytest.mark.django_db

migration = importlib.import_module("bakuhub.partners.migrations.0006_membership_milestones")


def test_existing_steps_become_milestones_and_the_shown_stage_is_unchanged(chad):
    membership = Membership.objects.create(
        country=chad, stage="paused", paused_from="memorandum_approved", stage_since=dt.date(2025, 10, 1)
    )
    steps = [
        ("", "interested", dt.date(2025, 1, 1)),
        ("interested", "intention_announced", dt.date(2025, 3, 1)),
        ("intention_announced", "memorandum_approved", dt.date(2025, 9, 1)),
        ("memorandum_approved", "paused", dt.date(2025, 10, 1)),
    ]
    for from_stage, to_stage, day in steps:
        MembershipEvent.objects.create(
            membership=membership, from_stage=from_stage, to_stage=to_stage, occurred_on=day,
            source_title=f"Evidence for {to_stage}", source_url="https://example.org/e", fact_id="BH044",
        )  # fmt: skip

    migration.events_to_milestones(apps, None)

    milestones = MembershipMilestone.objects.filter(membership=membership).order_by("reached_on")
    assert [(m.milestone, m.reached_on, m.source_title, m.fact_id) for m in milestones] == [
        ("intention_announced", dt.date(2025, 3, 1), "Evidence for intention_announced", "BH044"),
        ("memorandum_approved", dt.date(2025, 9, 1), "Evidence for memorandum_approved", "BH044"),
    ]
    history = MembershipEvent.objects.filter(membership=membership).values_list("to_stage", flat=True)
    assert list(history) == ["interested", "paused"]
    membership.refresh_from_db()
    assert (membership.stage, membership.paused_from, membership.last_update_on) == (
        "paused",
        "memorandum_approved",
        dt.date(2025, 10, 1),
    )
