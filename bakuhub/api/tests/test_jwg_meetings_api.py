"""The Joint Working Group endpoints: meetings, agenda items, attendance and attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.api.tests.jwg_helpers import W, rows, send, stored_files
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.core.tests.test_files import PDF, image_bytes
from bakuhub.testing.files import pdf_with_javascript
from bakuhub.working_groups.models import Attendance, Meeting
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


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
        ("minutes.pdf", pdf_with_javascript()),
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


# --- Former gaps in the domain code, fixed: regression tests -----------------------------------------------


def test_a_meeting_patch_cannot_clear_both_place_and_link(tcd, meeting, secretariat):
    response = send(client_for(secretariat), "PATCH", f"{W}/{tcd.pk}/meetings/{meeting.pk}", {"place": ""})
    assert response.status_code == 400
