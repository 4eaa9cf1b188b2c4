from __future__ import annotations

import json

import pytest

from bakuhub.accounts.services import api_token_create
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord

pytestmark = pytest.mark.django_db

TRANSITION = {
    "to_stage": "pilot_underway",
    "occurred_on": "2025-11-12",
    "source_title": "Signed memorandum",
    "source_url": "https://example.org/mou",
}


def post_json(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_it_lists_memberships_with_country_and_stage(chad_membership, guinea_bissau_membership):
    response = client_for(None).get("/api/v1/memberships")
    assert response.status_code == 200
    rows = {item["country_iso3"]: item["stage"] for item in response.json()["items"]}
    assert rows == {"TCD": "memorandum_approved", "GNB": "memorandum_approved"}
    assert response["ETag"]


def test_it_answers_304_when_nothing_changed(chad_membership):
    client = client_for(None)
    etag = client.get("/api/v1/memberships/TCD")["ETag"]
    assert client.get("/api/v1/memberships/TCD", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_focal_point_advances_their_country(chad_membership, chad_focal_point):
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/TCD/transitions", TRANSITION)
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "pilot_underway"
    assert AuditRecord.objects.filter(action="membership.milestone", object_id=str(chad_membership.pk)).exists()


def test_it_rejects_a_foreign_country_focal_point(guinea_bissau_membership, chad_focal_point):
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/GNB/transitions", TRANSITION)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    guinea_bissau_membership.refresh_from_db()
    assert guinea_bissau_membership.stage == "memorandum_approved"


def test_it_records_a_milestone_out_of_order_through_the_old_transitions(chad_membership, secretariat):
    data = {**TRANSITION, "to_stage": "implementing"}
    response = post_json(client_for(secretariat), "/api/v1/memberships/TCD/transitions", data)
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "implementing"
    assert [m["milestone"] for m in response.json()["milestones"]] == ["memorandum_approved", "implementing"]


def test_it_refuses_a_state_change_that_is_not_open_listing_those_that_are(chad_membership, secretariat):
    data = {**TRANSITION, "to_stage": "interested"}
    response = post_json(client_for(secretariat), "/api/v1/memberships/TCD/transitions", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "stage_transition_not_allowed"
    assert "paused, withdrawn" in body["message"]


def test_it_refuses_a_stale_if_match(chad_membership, secretariat):
    client = client_for(secretariat)
    response = post_json(client, "/api/v1/memberships/TCD/transitions", TRANSITION, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"


def test_it_accepts_a_fresh_if_match(chad_membership, secretariat):
    client = client_for(secretariat)
    etag = client.get("/api/v1/memberships/TCD")["ETag"]
    response = post_json(client, "/api/v1/memberships/TCD/transitions", TRANSITION, HTTP_IF_MATCH=etag)
    assert response.status_code == 201


def test_it_rejects_malformed_json(chad_membership, secretariat):
    response = client_for(secretariat).post(
        "/api/v1/memberships/TCD/transitions", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_it_names_an_unknown_country_code(secretariat):
    response = client_for(secretariat).get("/api/v1/memberships/ZZZ")
    assert response.status_code == 404
    assert "ZZZ" in response.json()["message"]


def test_it_refuses_anonymous_writes(chad_membership):
    response = post_json(client_for(None), "/api/v1/memberships/TCD/transitions", TRANSITION)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_bearer_token_authenticates_writes(chad_membership, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="laptop")
    response = post_json(
        client_for(None), "/api/v1/memberships/TCD/transitions", TRANSITION, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201


def test_a_bad_token_is_refused_even_on_reads(chad_membership):
    response = client_for(None).get("/api/v1/memberships", HTTP_AUTHORIZATION="Bearer bkh_nope")
    assert response.status_code == 401


def test_it_refuses_an_overlong_publisher_before_writing(chad_membership, secretariat):
    data = {**TRANSITION, "source_publisher": "x" * 201}
    response = post_json(client_for(secretariat), "/api/v1/memberships/TCD/transitions", data)
    assert response.status_code == 400
    assert response.json()["errors"] == {"source_publisher": ["At most 200 characters (got 201)."]}
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "memorandum_approved"


def test_a_session_write_without_a_csrf_token_is_refused(chad_membership, secretariat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = post_json(client, "/api/v1/memberships/TCD/transitions", TRANSITION)
    assert response.status_code in (401, 403)
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "memorandum_approved"


def test_a_session_write_with_a_csrf_token_is_accepted(chad_membership, secretariat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = post_json(client, "/api/v1/memberships/TCD/transitions", TRANSITION, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


MILESTONE = {
    "milestone": "pilot_underway",
    "reached_on": "2025-06-01",
    "date_precision": "month",
    "source_title": "Trend report",
    "source_url": "https://example.org/pilot",
    "fact_id": "BH026",
}


def test_a_focal_point_records_a_milestone_with_its_evidence(chad_membership, chad_focal_point):
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/TCD/milestones", MILESTONE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "pilot_underway" and body["stage_since"] == "2025-06-01"
    pilot = next(m for m in body["milestones"] if m["milestone"] == "pilot_underway")
    assert (pilot["date_precision"], pilot["fact_id"], pilot["is_inferred"]) == ("month", "BH026", False)
    assert pilot["before"] == []  # the factory's memorandum was approved on 2025-01-10, before the pilot
    assert AuditRecord.objects.filter(action="membershipmilestone.create").exists()


def test_it_refuses_a_milestone_from_another_countrys_focal_point(guinea_bissau_membership, chad_focal_point):
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/GNB/milestones", MILESTONE)
    assert response.status_code == 403
    assert not guinea_bissau_membership.milestones.filter(milestone="pilot_underway").exists()


def test_it_refuses_a_milestone_recorded_twice_and_corrects_it_instead(chad_membership, secretariat):
    client = client_for(secretariat)
    assert post_json(client, "/api/v1/memberships/TCD/milestones", MILESTONE).status_code == 201
    again = post_json(client, "/api/v1/memberships/TCD/milestones", MILESTONE)
    assert again.status_code == 409 and "correct it instead" in again.json()["message"]
    fixed = client.patch(
        "/api/v1/memberships/TCD/milestones/pilot_underway",
        data=json.dumps({"reached_on": "2025-06-19", "date_precision": "day", "inferred_from": "BH045"}),
        content_type="application/json",
    )
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["stage_since"] == "2025-06-19" and fixed.json()["inferred_from"] == "BH045"
    assert AuditRecord.objects.filter(action="membershipmilestone.correct").exists()


def test_it_shows_no_update_since_only_for_stages_that_expect_a_next_step(secretariat):
    from bakuhub.testing.factories import MembershipFactory

    waiting = MembershipFactory(stage="memorandum_signed", stage_since="2020-03-01")
    done = MembershipFactory(stage="implementing", stage_since="2020-03-01")
    rows = {i["country_iso3"]: i for i in client_for(secretariat).get("/api/v1/memberships").json()["items"]}
    assert rows[waiting.country.iso3]["no_update_since"] == "2020-03-01"
    assert rows[done.country.iso3]["no_update_since"] is None and not rows[done.country.iso3]["is_stalled"]
    listed = client_for(secretariat).get("/api/v1/memberships?no_update_since_days=30").json()["items"]
    assert [i["country_iso3"] for i in listed] == [waiting.country.iso3]


def test_a_focal_point_cannot_record_a_signed_memorandum_that_is_not_on_record(chad_membership, chad_focal_point):
    data = {**MILESTONE, "milestone": "memorandum_signed"}
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/TCD/milestones", data)
    assert response.status_code == 400, response.content
    assert "Chad has no signed memorandum on record" in response.json()["message"]
    response = post_json(
        client_for(chad_focal_point),
        "/api/v1/memberships/TCD/transitions",
        {**TRANSITION, "to_stage": "memorandum_signed"},
    )
    assert response.status_code == 400, response.content
    assert not chad_membership.milestones.filter(milestone="memorandum_signed").exists()


def test_a_milestone_dated_in_the_future_names_reached_on(chad_membership, chad_focal_point):
    data = {**MILESTONE, "reached_on": "2999-01-01"}
    response = post_json(client_for(chad_focal_point), "/api/v1/memberships/TCD/milestones", data)
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["reached_on"]
