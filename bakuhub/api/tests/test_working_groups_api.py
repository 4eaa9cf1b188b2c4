"""The Joint Working Group endpoints: groups, members, meetings, decisions, action items and the calendar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from bakuhub.accounts.services import api_token_create
from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.core.tests.test_files import PDF, image_bytes
from bakuhub.testing.factories import CountryFactory, MemorandumFactory, UserFactory
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
    WorkingGroupMember,
)
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

W = "/api/v1/working-groups"
TODAY = timezone.localdate()


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def rows():
    """Everything a JWG write could leave behind, to prove a refused write left nothing."""
    models = (
        WorkingGroup,
        WorkingGroupMember,
        Meeting,
        AgendaItem,
        Attendance,
        MeetingAttachment,
        Decision,
        ActionItem,
    )
    return {m.__name__: m.objects.count() for m in models} | {"audit": AuditRecord.objects.count()}


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def memo(chad, guinea_bissau):
    memo = MemorandumFactory(title="Memorandum of 24 September 2025", party_countries=[chad, guinea_bissau])
    memo.establishes_jwg_for.set([chad, guinea_bissau])
    return memo


@pytest.fixture
def tcd(chad, memo):
    return WorkingGroupFactory(country=chad, name="Chad JWG", memorandum=memo)


@pytest.fixture
def gnb(guinea_bissau):
    return WorkingGroupFactory(country=guinea_bissau, name="Guinea-Bissau JWG", status="forming")


@pytest.fixture
def chair(tcd):
    return MemberFactory(working_group=tcd, person_name="Amina Mahamat", email="amina@example.org", role="co_chair")


@pytest.fixture
def iom_member(tcd, iom):
    return MemberFactory(working_group=tcd, organisation=iom, person_name="", email="jwg@iom.int")


@pytest.fixture
def outsider(gnb):
    return MemberFactory(working_group=gnb, person_name="Braima Camara", email="braima@example.org")


@pytest.fixture
def meeting(tcd):
    """10:00 in N'Djamena (UTC+1) on 12 November 2025."""
    return MeetingFactory(working_group=tcd, title="First meeting")


# --- Groups ---------------------------------------------------------------------------------------------------


def test_it_lists_groups_with_their_counts_and_co_chairs(tcd, gnb, chair, meeting, memo):
    DecisionFactory(working_group=tcd)
    response = client_for(None).get(W)
    assert response.status_code == 200
    assert response["ETag"]
    items = {item["code"]: item for item in response.json()["items"]}
    assert set(items) == {"TCD-JWG", "GNB-JWG"}
    chad = items["TCD-JWG"]
    assert chad["country_iso3"] == "TCD"
    assert chad["name"] == "Chad JWG"
    assert chad["status"] == "active"
    assert chad["started_on"] == "2025-09-24"
    assert chad["memorandum_id"] == memo.pk
    assert (chad["meeting_count"], chad["decision_count"]) == (1, 1)
    assert [c["name"] for c in chad["co_chairs"]] == ["Amina Mahamat"]
    assert chad["co_chairs"][0]["email"] is None
    assert (items["GNB-JWG"]["meeting_count"], items["GNB-JWG"]["co_chairs"]) == (0, [])


def test_it_filters_groups_by_country_and_status(tcd, gnb):
    client = client_for(None)
    assert [g["code"] for g in client.get(f"{W}?country=gnb").json()["items"]] == ["GNB-JWG"]
    assert [g["code"] for g in client.get(f"{W}?status=active").json()["items"]] == ["TCD-JWG"]
    assert client.get(f"{W}?country=TCD&status=forming").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("country=ZZZ", 404, None),
        ("country=T1", 400, "iso3"),
        ("status=asleep", 400, "status"),
        ("limit=0", 400, "limit"),
    ],
)
def test_it_refuses_bad_list_filters(tcd, query, status, field):
    response = client_for(None).get(f"{W}?{query}")
    assert response.status_code == status
    if field:
        assert field in response.json()["errors"]


def test_it_answers_304_when_the_group_did_not_change(tcd):
    client = client_for(None)
    etag = client.get(f"{W}/{tcd.pk}")["ETag"]
    assert client.get(f"{W}/{tcd.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_detail_lists_members_with_e_mails_for_insiders_only(tcd, chair, iom_member, chad_focal_point):
    public = client_for(None).get(f"{W}/{tcd.pk}").json()
    assert [m["email"] for m in public["members"]] == [None, None]
    assert [m["name"] for m in public["members"]] == ["Amina Mahamat", "International Organization for Migration (IOM)"]
    inside = client_for(chad_focal_point).get(f"{W}/{tcd.pk}").json()
    assert {m["email"] for m in inside["members"]} == {"amina@example.org", "jwg@iom.int"}
    assert {m["organisation"] for m in inside["members"]} == {None, "iom"}
    assert inside["viewer_is_insider"] is True
    assert public["viewer_is_insider"] is False


def test_an_unknown_group_is_404(db):
    response = client_for(None).get(f"{W}/999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_secretariat_sets_up_a_group_with_an_audit_row(secretariat, guinea_bissau, memo):
    data = {
        "country_iso3": "GNB",
        "name": "Joint Working Group Hub - Guinea-Bissau",
        "memorandum_id": memo.pk,
        "terms_of_reference": "<p>Meets <strong>quarterly</strong>.</p>",
        "started_on": "2025-09-24",
        "source_title": "Memorandum",
        "source_url": "https://example.org/mou",
    }
    response = send(client_for(secretariat), "POST", W, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["country_iso3"], body["memorandum_id"]) == ("GNB-JWG", "GNB", memo.pk)
    assert body["terms_of_reference"] == "<p>Meets <strong>quarterly</strong>.</p>"
    assert AuditRecord.objects.filter(action="workinggroup.create", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"country_iso3": "ZZZ", "name": "Nowhere JWG"}, "country_iso3"),
        ({"country_iso3": "GNB", "name": "GNB JWG", "memorandum_id": 9999}, "memorandum_id"),
        ({"country_iso3": "GNB", "name": "GNB JWG", "terms_of_reference": "<script>x</script>"}, "terms_of_reference"),
        ({"country_iso3": "GNB", "name": "GNB JWG", "started_precision": "week"}, "started_precision"),
        ({"country_iso3": "GNB", "name": "GNB JWG", "colour": "red"}, "colour"),
    ],
    ids=["unknown-country", "unknown-memorandum", "script", "precision", "extra-field"],
)
def test_it_refuses_a_bad_group_and_writes_nothing(secretariat, guinea_bissau, data, field):
    before = rows()
    response = send(client_for(secretariat), "POST", W, data)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before


def test_it_refuses_malformed_json_and_writes_nothing(secretariat, tcd):
    before = rows()
    response = client_for(secretariat).post(W, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert rows() == before


def test_a_manager_patches_a_group_with_a_fresh_if_match(tcd, chad_focal_point):
    client = client_for(chad_focal_point)
    etag = client.get(f"{W}/{tcd.pk}")["ETag"]
    response = send(client, "PATCH", f"{W}/{tcd.pk}", {"status": "dormant", "started_on": None}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["started_on"]) == ("dormant", None)
    assert response["ETag"] != etag
    assert AuditRecord.objects.filter(action="workinggroup.update", object_id=str(tcd.pk)).exists()


def test_a_stale_if_match_on_a_group_writes_nothing(tcd, chad_focal_point):
    before = rows()
    response = send(client_for(chad_focal_point), "PATCH", f"{W}/{tcd.pk}", {"name": "X"}, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert rows() == before
    tcd.refresh_from_db()
    assert tcd.name == "Chad JWG"


def test_a_group_name_cannot_be_nulled(tcd, secretariat):
    response = send(client_for(secretariat), "PATCH", f"{W}/{tcd.pk}", {"name": None})
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["May not be null."]}


def test_a_manager_adds_members_by_username_and_organisation(tcd, chad_focal_point, gcf):
    person = UserFactory(username="moussa", email="moussa@example.org", first_name="Moussa", last_name="Ali")
    client = client_for(chad_focal_point)
    response = send(client, "POST", f"{W}/{tcd.pk}/members", {"username": "moussa", "role": "secretary"})
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0, "name": "Moussa Ali", "person_name": "", "role": "secretary", "organisation": None,
        "is_platform_user": True, "email": "moussa@example.org",
    }  # fmt: skip
    org = send(client, "POST", f"{W}/{tcd.pk}/members", {"organisation": "gcf"})
    assert org.status_code == 201
    assert org.json()["organisation"] == "gcf"
    assert WorkingGroupMember.objects.filter(working_group=tcd, user=person).exists()
    assert AuditRecord.objects.filter(action="workinggroupmember.create").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "nobody"}, "username"),
        ({"organisation": "nope"}, "organisation"),
        ({"person_name": "X", "email": "not-an-address"}, "email"),
        ({}, "person_name"),
        ({"person_name": "X", "role": "king"}, "role"),
    ],
)
def test_it_refuses_a_bad_member_and_writes_nothing(tcd, secretariat, data, field):
    before = rows()
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/members", data)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before


def test_a_non_manager_cannot_probe_usernames(tcd, iom_editor, secretariat):
    response = send(client_for(iom_editor), "POST", f"{W}/{tcd.pk}/members", {"username": "nobody"})
    assert response.status_code == 403


# --- Meetings -------------------------------------------------------------------------------------------------


def test_the_meeting_list_shows_utc_and_local_times(tcd, meeting):
    item = client_for(None).get(f"{W}/{tcd.pk}/meetings?tz=Asia/Baku").json()["items"][0]
    assert item["title"] == "First meeting"
    assert item["starts_at"] == "2025-11-12T09:00:00Z"
    assert item["timezone"] == "Africa/Ndjamena"
    assert item["local_start"] == "2025-11-12T10:00:00+01:00"
    assert item["viewer_start"] == "2025-11-12T13:00:00+04:00"
    assert item["place"] == "Ministry of Environment"
    assert item["is_example"] is False
    assert "minutes" not in item


def test_it_refuses_an_unknown_viewer_zone(tcd, meeting):
    response = client_for(None).get(f"{W}/{tcd.pk}/meetings?tz=Mars/Olympus")
    assert response.status_code == 400
    assert "tz" in response.json()["errors"]


def test_insiders_see_the_meeting_internals(tcd, meeting, chair, iom_member, gcf_funder):
    item = AgendaItemFactory(meeting=meeting, title="Work plan")
    AttendanceFactory(meeting=meeting, member=chair, status="present")
    decision = DecisionFactory(working_group=tcd, meeting=meeting, agenda_item=item)
    ActionItemFactory(working_group=tcd, owner=iom_member, meeting=meeting, title="Concept note")
    Meeting.objects.filter(pk=meeting.pk).update(minutes="<p>Adopted.</p>")
    inside = client_for(gcf_funder).get(f"{W}/{tcd.pk}/meetings/{meeting.pk}").json()
    assert inside["minutes"] == "<p>Adopted.</p>"
    assert [a["title"] for a in inside["agenda_items"]] == ["Work plan"]
    assert inside["attendance"] == [{"member_id": chair.pk, "member": "Amina Mahamat", "status": "present"}]
    assert [a["title"] for a in inside["actions"]] == ["Concept note"]
    assert inside["decisions"] == [{"id": decision.pk, "reference": decision.reference, "status": "adopted"}]
    public = client_for(None).get(f"{W}/{tcd.pk}/meetings/{meeting.pk}").json()
    assert public["decisions"] == inside["decisions"]
    assert (public["minutes"], public["agenda_items"], public["attendance"], public["actions"]) == (None,) * 4


def test_a_naive_start_is_local_time_in_the_meeting_zone(tcd, chad_focal_point):
    data = {"title": "Second meeting", "starts_at": "2025-12-03T10:00:00", "online_url": "https://meet.example.org/x"}
    response = send(client_for(chad_focal_point), "POST", f"{W}/{tcd.pk}/meetings", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["timezone"] == "Africa/Ndjamena"  # the country's zone by default
    assert body["starts_at"] == "2025-12-03T09:00:00Z"
    assert body["ends_at"] == "2025-12-03T11:00:00Z"
    assert body["local_start"] == "2025-12-03T10:00:00+01:00"
    assert body["agenda_items"] == []
    assert AuditRecord.objects.filter(action="meeting.create", object_id=str(body["id"])).exists()


def test_an_aware_start_keeps_its_instant(tcd, secretariat):
    data = {"title": "Online", "starts_at": "2025-12-03T10:00:00+04:00", "timezone": "Asia/Baku", "place": "Baku"}
    body = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/meetings", data).json()
    assert (body["starts_at"], body["local_start"]) == ("2025-12-03T06:00:00Z", "2025-12-03T10:00:00+04:00")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"timezone": "Africa/Atlantis"}, "timezone"),
        ({"ends_at": "2025-12-03T09:00:00"}, "ends_at"),
        ({"place": ""}, "place"),
        ({"minutes": "<p onclick='x()'>Hi</p>"}, "minutes"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"language": "xx"}, "language"),
    ],
    ids=["zone", "ends-before-start", "no-place", "script-minutes", "bad-datetime", "language"],
)
def test_it_refuses_a_bad_meeting_and_writes_nothing(tcd, secretariat, data, field):
    before = rows()
    body = {"title": "Second meeting", "starts_at": "2025-12-03T10:00:00", "place": "Ministry", **data}
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/meetings", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before


def test_a_meeting_patch_needs_a_fresh_if_match_and_bumps_the_sequence(tcd, meeting, chad_focal_point):
    client = client_for(chad_focal_point)
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}"
    before = rows()
    stale = send(client, "PATCH", url, {"title": "Renamed"}, HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    assert rows() == before
    etag = client.get(url)["ETag"]
    data = {"starts_at": "2025-11-12T15:00:00", "ends_at": "2025-11-12T17:00:00"}
    response = send(client, "PATCH", url, data, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["starts_at"], body["ends_at"], body["sequence"]) == ("2025-11-12T14:00:00Z", "2025-11-12T16:00:00Z", 1)
    assert AuditRecord.objects.filter(action="meeting.update", object_id=str(meeting.pk)).count() == 1


def test_moving_only_the_start_keeps_the_meeting_length(tcd, meeting, chad_focal_point):
    length = meeting.ends_at - meeting.starts_at
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}"
    response = send(client_for(chad_focal_point), "PATCH", url, {"starts_at": "2025-11-12T15:00:00"})
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.ends_at - meeting.starts_at == length


def test_a_meeting_patch_refuses_an_end_before_the_start(tcd, meeting, chad_focal_point):
    before = rows()
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}"
    data = {"starts_at": "2025-11-12T15:00:00", "ends_at": "2025-11-12T14:00:00"}
    response = send(client_for(chad_focal_point), "PATCH", url, data)
    assert response.status_code == 400
    assert "ends_at" in response.json()["errors"]
    assert rows() == before


def test_a_meeting_of_another_group_is_404(tcd, gnb, chad_focal_point):
    other = MeetingFactory(working_group=gnb)
    response = send(client_for(chad_focal_point), "PATCH", f"{W}/{tcd.pk}/meetings/{other.pk}", {"title": "X"})
    assert response.status_code == 404


def test_agenda_items_are_numbered_and_audited(tcd, meeting, chad_focal_point):
    client = client_for(chad_focal_point)
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}/agenda-items"
    first = send(client, "POST", url, {"title": "Opening"})
    second = send(client, "POST", url, {"title": "Work plan", "description": "Draft v2"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert [first.json()["number"], second.json()["number"]] == [1, 2]
    assert AuditRecord.objects.filter(action="agendaitem.create").count() == 2


def test_attendance_is_set_then_updated_with_audit(tcd, meeting, chair, chad_focal_point):
    client = client_for(chad_focal_point)
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}/attendance/{chair.pk}"
    assert send(client, "PUT", url, {}).json() == {
        "member_id": chair.pk,
        "member": "Amina Mahamat",
        "status": "present",
    }
    assert send(client, "PUT", url, {"status": "apologies"}).json()["status"] == "apologies"
    assert Attendance.objects.get(meeting=meeting, member=chair).status == "apologies"
    assert AuditRecord.objects.filter(action="attendance.create").count() == 1
    assert AuditRecord.objects.filter(action="attendance.update").count() == 1


def test_attendance_of_a_member_of_another_group_is_refused(tcd, meeting, outsider, chad_focal_point):
    before = rows()
    url = f"{W}/{tcd.pk}/meetings/{meeting.pk}/attendance/{outsider.pk}"
    response = send(client_for(chad_focal_point), "PUT", url, {"status": "present"})
    assert response.status_code == 400
    assert "member" in response.json()["errors"]
    assert rows() == before
    unknown = f"{W}/{tcd.pk}/meetings/{meeting.pk}/attendance/999"
    assert send(client_for(chad_focal_point), "PUT", unknown, {}).status_code == 404


def test_an_attachment_is_stored_and_listed_for_insiders(settings, tcd, meeting, chad_focal_point):
    client = client_for(chad_focal_point)
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    response = client.post(f"{W}/{tcd.pk}/meetings/{meeting.pk}/attachments", {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["original_name"], body["mime_type"], body["size_bytes"]) == (
        "minutes.pdf",
        "application/pdf",
        len(PDF),
    )
    detail = client.get(f"{W}/{tcd.pk}/meetings/{meeting.pk}").json()
    assert [a["id"] for a in detail["attachments"]] == [body["id"]]
    assert AuditRecord.objects.filter(action="meetingattachment.create").exists()
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", image_bytes()),
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),
        ("minutes.pdf", PDF.replace(b"<<>>", b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", 1)),
        ("minutes.pdf", b""),
    ],
    ids=["png", "html", "pdf-with-javascript", "empty"],
)
def test_a_wrong_attachment_is_refused_and_nothing_is_kept(settings, tcd, meeting, secretariat, name, content):
    before = rows()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(secretariat).post(f"{W}/{tcd.pk}/meetings/{meeting.pk}/attachments", {"file": upload})
    assert response.status_code == 400, response.content
    assert "file" in response.json()["errors"]
    assert rows() == before
    assert stored_files(settings) == []


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


# --- The calendar ---------------------------------------------------------------------------------------------


def test_the_calendar_is_a_valid_icalendar_feed_for_insiders(tcd, meeting, chad_focal_point):
    client = client_for(chad_focal_point)
    response = client.get(f"{W}/{tcd.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["First meeting"]
    assert events[0].decoded("dtstart").astimezone(dt.UTC) == dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)
    assert client.get(f"{W}/{tcd.pk}/calendar.ics", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_calendar_accepts_a_personal_token(tcd, meeting, gcf_funder):
    _, raw = api_token_create(actor=gcf_funder, name="calendar")
    response = client_for(None).get(f"{W}/{tcd.pk}/calendar.ics", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content
    assert client_for(None).get(f"{W}/{tcd.pk}/calendar.ics", HTTP_AUTHORIZATION="Bearer bkh_nope").status_code == 401


# --- Query counts ---------------------------------------------------------------------------------------------


@pytest.fixture
def busy(chad, iom):
    """Twelve groups, each with two co-chairs, two meetings, two decisions and two actions."""
    groups = []
    for n in range(12):
        country = chad if n == 0 else CountryFactory()
        group = WorkingGroupFactory(country=country)
        chairs = [MemberFactory(working_group=group, role="co_chair") for _ in range(2)]
        MemberFactory(working_group=group, organisation=iom, person_name="", email="")
        commitment = Commitment.objects.create(
            committer_country=country, kind="policy", title=f"C{n}", announced_on=dt.date(2025, 9, 24)
        )
        for _ in range(2):
            meeting = MeetingFactory(working_group=group)
            DecisionFactory(working_group=group, meeting=meeting).commitments.set([commitment])
            ActionItemFactory(working_group=group, owner=chairs[0], due_on=TODAY - dt.timedelta(days=1))
        groups.append(group)
    first = groups[0]
    for _ in range(10):
        meeting = MeetingFactory(working_group=first)
        DecisionFactory(working_group=first, meeting=meeting)
        user_member = MemberFactory(working_group=first, user=UserFactory(), person_name="")
        ActionItemFactory(working_group=first, owner=user_member, due_on=TODAY - dt.timedelta(days=1))
    return groups


@pytest.mark.parametrize(
    "path",
    [W, "{g}/meetings", "{g}/decisions", "{g}/actions", "{g}/actions?overdue=true", f"{W}/actions/overdue", "{g}"],
)
def test_list_endpoints_stay_within_a_fixed_number_of_queries(busy, secretariat, django_assert_max_num_queries, path):
    client = client_for(secretariat)
    url = path.format(g=f"{W}/{busy[0].pk}")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    if "items" in body:
        assert len(body["items"]) >= 10


def test_my_actions_stay_within_a_fixed_number_of_queries(busy, iom_editor, django_assert_max_num_queries):
    group = busy[0]
    iom_member = group.members.get(organisation__slug="iom")
    for _ in range(12):
        ActionItemFactory(working_group=group, owner=iom_member)
    client = client_for(iom_editor)
    client.get(f"{W}/actions/mine")
    with django_assert_max_num_queries(8):
        response = client.get(f"{W}/actions/mine")
    assert response.json()["count"] == 12


# --- Former gaps in the domain code, fixed: regression tests -----------------------------------------------


def test_a_meeting_patch_cannot_clear_both_place_and_link(tcd, meeting, secretariat):
    response = send(client_for(secretariat), "PATCH", f"{W}/{tcd.pk}/meetings/{meeting.pk}", {"place": ""})
    assert response.status_code == 400


def test_the_service_refuses_an_unknown_start_precision(guinea_bissau):
    from bakuhub.core.errors import ValidationFailed
    from bakuhub.working_groups import services

    with pytest.raises(ValidationFailed):
        services.working_group_create(actor=None, country=guinea_bissau, name="GNB JWG", started_precision="week")


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
