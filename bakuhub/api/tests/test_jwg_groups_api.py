"""The Joint Working Group endpoints: groups and their members."""

from __future__ import annotations

import pytest

from bakuhub.accounts.models import Role
from bakuhub.api.tests.jwg_helpers import W, rows, send
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import UserFactory
from bakuhub.working_groups.models import WorkingGroupMember
from bakuhub.working_groups.tests.factories import DecisionFactory, MemberFactory

pytestmark = pytest.mark.django_db


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
    assert chad["co_chairs"] == []  # a role, and a person: for insiders only
    assert (items["GNB-JWG"]["meeting_count"], items["GNB-JWG"]["co_chairs"]) == (0, [])


def test_insiders_see_the_co_chairs_in_the_list_and_only_the_secretariat_their_e_mail(
    tcd, chair, secretariat, chad_focal_point
):
    for user, email in ((secretariat, "amina@example.org"), (chad_focal_point, None)):
        items = {item["code"]: item for item in client_for(user).get(W).json()["items"]}
        co_chairs = items["TCD-JWG"]["co_chairs"]
        assert [(c["name"], c["role"], c["email"]) for c in co_chairs] == [("Amina Mahamat", "co_chair", email)]


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


def test_the_public_sees_member_organisations_not_people_nor_roles(tcd, chair, iom_member, iom):
    MemberFactory(working_group=tcd, organisation=iom, person_name="Ali Hassan", email="ali@iom.int")
    public = client_for(None).get(f"{W}/{tcd.pk}").json()
    assert public["viewer_is_insider"] is False
    assert public["members"] == [
        {"id": iom_member.pk, "name": "International Organization for Migration (IOM)", "person_name": "",
         "role": None, "organisation": "iom", "is_platform_user": False, "email": None},
    ]  # fmt: skip
    assert "Amina" not in str(public) and "Ali Hassan" not in str(public)


def test_insiders_see_people_and_roles_and_only_the_secretariat_e_mails(
    tcd, chair, iom_member, chad_focal_point, secretariat
):
    inside = client_for(chad_focal_point).get(f"{W}/{tcd.pk}").json()
    assert inside["viewer_is_insider"] is True
    assert {(m["person_name"], m["role"]) for m in inside["members"]} == {("Amina Mahamat", "co_chair"), ("", "member")}
    assert {m["email"] for m in inside["members"]} == {None}
    assert {m["organisation"] for m in inside["members"]} == {None, "iom"}
    full = client_for(secretariat).get(f"{W}/{tcd.pk}").json()
    assert {m["email"] for m in full["members"]} == {"amina@example.org", "jwg@iom.int"}


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


def test_a_manager_adds_members_by_username_and_organisation(tcd, chad, chad_focal_point, gcf):
    person = UserFactory(
        username="moussa", email="moussa@example.org", first_name="Moussa", last_name="Ali",
        role=Role.FOCAL_POINT, countries=[chad],
    )  # fmt: skip
    client = client_for(chad_focal_point)
    response = send(client, "POST", f"{W}/{tcd.pk}/members", {"username": "moussa", "role": "secretary"})
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0, "name": "Moussa Ali", "person_name": "Moussa Ali", "role": "secretary", "organisation": None,
        "is_platform_user": True, "email": None,
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


# --- Former gaps in the domain code, fixed: regression tests -----------------------------------------------


def test_the_service_refuses_an_unknown_start_precision(guinea_bissau):
    from bakuhub.core.errors import ValidationFailed
    from bakuhub.working_groups import services

    with pytest.raises(ValidationFailed):
        services.working_group_create(actor=None, country=guinea_bissau, name="GNB JWG", started_precision="week")


def test_the_secretariat_adding_a_user_by_username_sees_their_e_mail(tcd, secretariat):
    UserFactory(username="moussa", email="moussa@example.org")
    response = send(client_for(secretariat), "POST", f"{W}/{tcd.pk}/members", {"username": "moussa"})
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "moussa@example.org"


def test_a_focal_point_cannot_probe_usernames_nor_read_e_mails(tcd, chad_focal_point, guinea_bissau):
    UserFactory(username="stranger", email="stranger@example.org")
    UserFactory(username="gnb_focal", email="gnb@example.org", role=Role.FOCAL_POINT, countries=[guinea_bissau])
    client = client_for(chad_focal_point)
    answers = [send(client, "POST", f"{W}/{tcd.pk}/members", {"username": name}) for name in ("stranger", "gnb_focal")]
    nobody = send(client, "POST", f"{W}/{tcd.pk}/members", {"username": "nobody-at-all"})
    assert {r.status_code for r in [*answers, nobody]} == {400}
    messages = {r.json()["message"].replace(name, "?") for r, name in zip(
        [*answers, nobody], ["stranger", "gnb_focal", "nobody-at-all"], strict=True)}  # fmt: skip
    assert messages == {"No platform user '?' that you may add to this group."}
    assert "@" not in "".join(r.content.decode() for r in [*answers, nobody])
    assert not WorkingGroupMember.objects.filter(working_group=tcd).exists()
