"""Lost updates: two clients that read the same ETag and write at the same moment. Exactly one write wins, the other
is refused with 412, and the audit trail holds the winning writes only. Real threads, each with its own database
connection, on whichever database the suite runs on (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from bakuhub.accounts.services import api_token_create
from bakuhub.core.models import AuditRecord
from bakuhub.projects.tests.factories import ProjectFactory
from bakuhub.testing.factories import MembershipFactory, MemorandumFactory, OrganisationFactory
from bakuhub.working_groups.tests.factories import ActionItemFactory, MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAIRS = 20


@dataclass
class Target:
    url: str
    obj: Any
    audit_action: str
    body: Callable[[int, int], dict[str, Any]]
    read_url: str = ""  # where the ETag is read, when not at `url`


def _organisation(chad: Any) -> Target:
    org = OrganisationFactory(name="Lake Chad Basin Commission", slug="lcbc")
    return Target(
        "/api/v1/organisations/lcbc", org, "organisation.update", lambda i, w: {"description": f"pair {i} writer {w}"}
    )


def _project(chad: Any) -> Target:
    project = ProjectFactory(country=chad, identifier="XM-DAC-47066-TD-2025-09", titles={"en": "Lake Chad"})
    return Target(
        f"/api/v1/projects/{project.pk}", project, "project.update", lambda i, w: {"titles": {"en": f"T {i}-{w}"}}
    )


def _memorandum(chad: Any) -> Target:
    memo = MemorandumFactory(title="Memorandum with Chad", party_countries=[chad])
    return Target(
        f"/api/v1/memoranda/{memo.pk}", memo, "memorandum.update", lambda i, w: {"purpose": f"pair {i} writer {w}"}
    )


def _working_group(chad: Any) -> Target:
    group = WorkingGroupFactory(country=chad, name="Chad JWG")
    return Target(
        f"/api/v1/working-groups/{group.pk}", group, "workinggroup.update", lambda i, w: {"name": f"Chad JWG {i}-{w}"}
    )


def _meeting(chad: Any) -> Target:
    meeting = MeetingFactory(working_group=WorkingGroupFactory(country=chad), title="First meeting")
    return Target(
        f"/api/v1/working-groups/{meeting.working_group_id}/meetings/{meeting.pk}",
        meeting,
        "meeting.update",
        lambda i, w: {"title": f"Meeting {i}-{w}"},
    )


def _action_item(chad: Any) -> Target:
    action = ActionItemFactory(working_group=WorkingGroupFactory(country=chad), title="Draft the work plan")
    return Target(
        f"/api/v1/working-groups/{action.working_group_id}/actions/{action.pk}",
        action,
        "actionitem.update",
        lambda i, w: {"title": f"Action {i}-{w}"},
    )


def _milestone(chad: Any) -> Target:
    membership = MembershipFactory(country=chad, stage="memorandum_approved")
    return Target(
        "/api/v1/memberships/TCD/milestones/memorandum_approved",
        membership,
        "membership.milestone",
        lambda i, w: {"note": f"Corrected: pair {i} writer {w}"},
        read_url="/api/v1/memberships/TCD",
    )


def _race(clients: list[Client], target: Target, etag: str, pair: int) -> list[int]:
    """Both clients PATCH with the same If-Match, released together; returns the two status codes."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)
    failures: list[BaseException] = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            response = clients[index].patch(
                target.url,
                json.dumps(target.body(pair, index)),
                content_type="application/json",
                HTTP_IF_MATCH=etag,
            )
            statuses[index] = response.status_code
        except BaseException as failure:  # noqa: BLE001 - reported by the main thread
            failures.append(failure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return statuses


@pytest.mark.parametrize(
    "make", [_organisation, _project, _memorandum, _working_group, _meeting, _action_item, _milestone]
)
def test_of_two_simultaneous_writes_with_the_same_etag_exactly_one_wins(make, chad, secretariat):
    target = make(chad)
    _, raw = api_token_create(actor=secretariat, name="race")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    clients = [Client(**auth), Client(**auth)]
    reader = Client(**auth)
    model = type(target.obj)
    audit_before = AuditRecord.objects.filter(action=target.audit_action).count()
    version_before = model.objects.get(pk=target.obj.pk).version
    outcomes = []
    for pair in range(PAIRS):
        read = reader.get(target.read_url or target.url)
        assert read.status_code == 200, read.content
        outcomes.append(sorted(_race(clients, target, read["ETag"], pair)))
    connection.close()  # the main thread's connection saw the rows before the threads wrote; read them afresh
    assert outcomes == [[200, 412]] * PAIRS
    records = AuditRecord.objects.filter(action=target.audit_action, object_id=str(target.obj.pk))
    assert records.count() - audit_before == PAIRS
    assert model.objects.get(pk=target.obj.pk).version == version_before + PAIRS
    bumps = sorted(tuple(r.changes["version"]) for r in records.order_by("id")[audit_before:])
    assert bumps == [(version_before + n, version_before + n + 1) for n in range(PAIRS)]
