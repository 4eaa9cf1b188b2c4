"""The Joint Working Group endpoints: decisions, action items and the cross-group action boards."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.api.tests.jwg_helpers import TODAY, W, rows, send
from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.working_groups.models import ActionItem
from bakuhub.working_groups.tests.factories import ActionItemFactory, AgendaItemFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


# --- Decisions ------------------------------------------------------------------------------------------------


def test_the_server_numbers_decisions_per_group_and_year(tcd, meeting, chad_focal_point, chad):
    item = AgendaItemFactory(meeting=meeting)
    commitment = Commitment.objects.create(
        committer_country=chad, kind="policy", title="Policy", announced_on=dt.date(2025, 9, 24)
    )
    client = client_for(chad_focal_point)
    url = f"{W}/{tcd.pk}/decisions"
    first = send(client, "POST", url, {"text": "Adopt the plan.", "decided_on": "2025-11-12", "meeting_id": meeting.pk})
    second = send(
        client,
        "POST",
        url,
        {"text": "Link.", "decided_on": "2025-11-12", "agenda_item_id": item.pk, "commitment_ids": [commitment.pk]},
    )
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert [first.json()["reference"], second.json()["reference"]] == ["TCD-JWG/2025/01", "TCD-JWG/2025/02"]
    assert second.json()["meeting_id"] == meeting.pk  # implied by the agenda item
    assert second.json()["agenda_item_id"] == item.pk
    assert second.json()["commitment_ids"] == [commitment.pk]
    assert AuditRecord.objects.filter(action="decision.create").count() == 2


def test_a_decision_without_a_date_takes_the_day_of_its_meeting(tcd, meeting, chad_focal_point):
    response = send(
        client_for(chad_focal_point), "POST", f"{W}/{tcd.pk}/decisions", {"text": "Adopt.", "meeting_id": meeting.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["decided_on"] == "2025-11-12"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"decided_on": (TODAY + dt.timedelta(days=2)).isoformat()}, "decided_on"),
        ({"status": "vetoed"}, "status"),
        ({"text": "   "}, "text"),
        ({"commitment_ids": [9999]}, "commitment_ids"),
        ({"meeting_id": 9999}, "meeting_id"),
        ({"agenda_item_id": 9999}, "agenda_item_id"),
    ],
)
def test_it_refuses_a_bad_decision_and_writes_nothing(tcd, secretariat, extra, field):
    before = rows()
    data = {"text": "Adopt.", "decided_on": "2025-11-12", **extra}
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/decisions", data)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before


def test_a_decision_cannot_name_a_meeting_of_another_group(tcd, gnb, secretariat):
    before = rows()
    other = MeetingFactory(working_group=gnb)
    data = {"text": "Adopt.", "decided_on": "2025-11-12", "meeting_id": other.pk}
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/decisions", data)
    assert response.status_code == 400
    assert "meeting" in response.json()["errors"]
    assert rows() | {"Meeting": before["Meeting"]} == before


def test_a_decision_is_superseded_by_another_one(tcd, chad_focal_point):
    old, new = DecisionFactory(working_group=tcd), DecisionFactory(working_group=tcd)
    client = client_for(chad_focal_point)
    url = f"{W}/{tcd.pk}/decisions/{old.pk}"
    missing = send(client, "PATCH", url, {"status": "superseded"})
    assert missing.status_code == 400
    assert "superseded_by" in missing.json()["errors"]
    etag = client.get(url)["ETag"]
    assert send(client, "PATCH", url, {"status": "implemented"}, HTTP_IF_MATCH='"stale"').status_code == 412
    response = send(client, "PATCH", url, {"status": "superseded", "superseded_by": new.pk}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["superseded_by_id"]) == ("superseded", new.pk)
    assert AuditRecord.objects.filter(action="decision.update", object_id=str(old.pk)).count() == 1
    listed = client_for(None).get(f"{W}/{tcd.pk}/decisions?status=superseded").json()["items"]
    assert [d["id"] for d in listed] == [old.pk]


def test_the_public_sees_only_the_commitments_it_may_see_on_a_decision(tcd, chad, chad_focal_point):
    private = Commitment.objects.create(
        committer_country=chad, kind="policy", title="Private", announced_on=dt.date(2025, 9, 24), is_public=False
    )
    public = Commitment.objects.create(
        committer_country=chad, kind="policy", title="Public", announced_on=dt.date(2025, 9, 24)
    )
    decision = DecisionFactory(working_group=tcd)
    decision.commitments.set([private, public])
    url = f"{W}/{tcd.pk}/decisions/{decision.pk}"
    assert client_for(None).get(url).json()["commitment_ids"] == [public.pk]
    assert client_for(chad_focal_point).get(url).json()["commitment_ids"] == sorted([private.pk, public.pk])


# --- Action items ---------------------------------------------------------------------------------------------


def test_a_manager_assigns_an_action_with_an_audit_row(tcd, meeting, chair, chad_focal_point):
    data = {"title": "Draft the concept note", "owner_id": chair.pk, "due_on": "2025-12-01", "meeting_id": meeting.pk}
    response = send(client_for(chad_focal_point), "POST", f"{W}/{tcd.pk}/actions", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["status"], body["working_group_code"]) == ("Amina Mahamat", "open", "TCD-JWG")
    assert body["is_overdue"] is (dt.date(2025, 12, 1) < TODAY)
    assert AuditRecord.objects.filter(action="actionitem.create", object_id=str(body["id"])).exists()


def test_a_due_date_before_the_meeting_is_refused_and_nothing_written(tcd, meeting, chair, chad_focal_point):
    before = rows()
    data = {"title": "Too early", "owner_id": chair.pk, "due_on": "2025-11-11", "meeting_id": meeting.pk}
    response = send(client_for(chad_focal_point), "POST", f"{W}/{tcd.pk}/actions", data)
    assert response.status_code == 400
    assert "before the meeting" in response.json()["errors"]["due_on"][0]
    assert rows() == before


def test_an_owner_outside_the_group_is_refused_and_nothing_written(tcd, outsider, chad_focal_point):
    before = rows()
    data = {"title": "Not theirs", "owner_id": outsider.pk, "due_on": "2025-12-01"}
    response = send(client_for(chad_focal_point), "POST", f"{W}/{tcd.pk}/actions", data)
    assert response.status_code == 400
    assert "not a member of Chad JWG" in response.json()["errors"]["owner"][0]
    assert rows() == before


def test_a_patch_cannot_move_an_action_to_an_outside_owner(tcd, chair, outsider, chad_focal_point):
    action = ActionItemFactory(working_group=tcd, owner=chair)
    before = rows()
    url = f"{W}/{tcd.pk}/actions/{action.pk}"
    response = send(client_for(chad_focal_point), "PATCH", url, {"owner_id": outsider.pk})
    assert response.status_code == 400
    assert rows() == before
    assert ActionItem.objects.get(pk=action.pk).owner == chair


def test_actions_are_filtered_by_owner_status_and_overdue(tcd, chair, iom_member, gcf_funder):
    late = ActionItemFactory(working_group=tcd, owner=chair, due_on=TODAY - dt.timedelta(days=3), title="Late")
    ActionItemFactory(working_group=tcd, owner=chair, due_on=TODAY - dt.timedelta(days=3), status="done", title="Done")
    ActionItemFactory(working_group=tcd, owner=iom_member, title="Later")
    client = client_for(gcf_funder)

    def titles(query):
        response = client.get(f"{W}/{tcd.pk}/actions?{query}")
        assert response.status_code == 200, response.content
        return [a["title"] for a in response.json()["items"]]

    assert titles("") == ["Late", "Done", "Later"]
    assert titles(f"owner={chair.pk}") == ["Late", "Done"]
    assert titles("status=done") == ["Done"]
    assert titles("overdue=true") == ["Late"]
    assert titles("overdue=false") == ["Done", "Later"]
    assert titles(f"owner={iom_member.pk}&overdue=true") == []
    assert client.get(f"{W}/{tcd.pk}/actions/{late.pk}").json()["is_overdue"] is True
    assert client.get(f"{W}/{tcd.pk}/actions?status=late").status_code == 400
    assert client.get(f"{W}/{tcd.pk}/actions?owner=999999").status_code == 400


def test_the_owner_marks_their_action_done(tcd, iom_member, iom_editor):
    action = ActionItemFactory(working_group=tcd, owner=iom_member)
    client = client_for(iom_editor)
    url = f"{W}/{tcd.pk}/actions/{action.pk}"
    etag = client.get(url)["ETag"]
    response = send(client, "PATCH", url, {"status": "done"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["completed_on"]) == ("done", TODAY.isoformat())
    assert AuditRecord.objects.filter(action="actionitem.update", object_id=str(action.pk)).count() == 1
    assert client.get(f"{W}/actions/mine").json()["count"] == 0


def test_a_stale_if_match_on_an_action_writes_nothing(tcd, iom_member, iom_editor):
    action = ActionItemFactory(working_group=tcd, owner=iom_member)
    before = rows()
    url = f"{W}/{tcd.pk}/actions/{action.pk}"
    response = send(client_for(iom_editor), "PATCH", url, {"status": "done"}, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert rows() == before
    assert ActionItem.objects.get(pk=action.pk).status == "open"


def test_a_malformed_action_patch_writes_nothing(tcd, iom_member, secretariat):
    action = ActionItemFactory(working_group=tcd, owner=iom_member)
    before = rows()
    url = f"{W}/{tcd.pk}/actions/{action.pk}"
    response = client_for(secretariat).patch(url, data='{"status": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    bad = send(client_for(secretariat), "PATCH", url, {"due_on": "2025-13-45"})
    assert bad.status_code == 400
    assert "due_on" in bad.json()["errors"]
    assert rows() == before


def test_the_boards_come_before_the_group_routes(tcd, chair, iom_member, iom_editor, secretariat):
    ActionItemFactory(working_group=tcd, owner=iom_member, due_on=TODAY - dt.timedelta(days=1), title="Mine, late")
    ActionItemFactory(working_group=tcd, owner=chair, due_on=TODAY - dt.timedelta(days=2), title="Chair's, late")
    mine = client_for(iom_editor).get(f"{W}/actions/mine")
    assert mine.status_code == 200
    assert [a["title"] for a in mine.json()["items"]] == ["Mine, late"]
    board = client_for(secretariat).get(f"{W}/actions/overdue").json()["items"]
    assert [a["title"] for a in board] == ["Chair's, late", "Mine, late"]
    assert {a["country_iso3"] for a in board} == {"TCD"}


# --- Former gaps in the domain code, fixed: regression tests -----------------------------------------------


def test_resending_done_keeps_the_completion_date(tcd, iom_member, iom_editor):
    done_on = TODAY - dt.timedelta(days=5)
    action = ActionItemFactory(working_group=tcd, owner=iom_member, status="done", completed_on=done_on)
    response = send(client_for(iom_editor), "PATCH", f"{W}/{tcd.pk}/actions/{action.pk}", {"status": "done"})
    assert response.status_code == 200
    assert response.json()["completed_on"] == done_on.isoformat()
    assert not AuditRecord.objects.filter(action="actionitem.update").exists()


def test_a_new_decision_cannot_be_superseded_by_nothing(tcd, secretariat):
    data = {"text": "Adopt.", "decided_on": "2025-11-12", "status": "superseded"}
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/decisions", data)
    assert response.status_code == 400
