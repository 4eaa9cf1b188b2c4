"""Who may do what through the API: one explicit table, one test per (endpoint, role) cell.

The world every cell runs in:

* TCD (Chad) has a membership that is NOT public, at `memorandum_approved`; chad_focal_point is its focal point.
* GNB (Guinea-Bissau) has a public membership at `memorandum_approved`; nobody in the fixtures is its focal point.
* NER (Niger) has no membership yet.
* Organisations: iom (edited by iom_editor) and gcf (the funder's organisation, which has no editor).
* Memoranda: "public" (approved; parties TCD and iom), "other" (approved; parties GNB and gcf)
  and "draft" (a draft; party TCD).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.accounts.services import api_token_create
from bakuhub.conftest import client_for
from bakuhub.testing.factories import CountryFactory, MembershipFactory, MemorandumFactory
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

ROLES = ("secretariat", "chad_focal_point", "iom_editor", "gcf_funder", "anonymous")

PDF = pdf_bytes()
TRANSITION = {
    "to_stage": "pilot_underway",
    "occurred_on": "2025-11-12",
    "source_title": "Signed memorandum",
    "source_url": "https://example.org/mou",
}
MILESTONE = {
    "milestone": "pilot_underway",
    "reached_on": "2025-09-01",
    "source_title": "Trend report",
    "source_url": "https://example.org/jwg",
}
NEW_MEMBERSHIP = {
    "stage": "interested",
    "occurred_on": "2025-03-01",
    "source_title": "Letter of interest",
    "source_url": "https://example.org/letter",
}

# (method, path, body) — `{public}`, `{other}` and `{draft}` are the memorandum ids of the world above.
# Bodies: "json:<name>" is sent as JSON; "file" is a multipart upload of a small PDF.
BODIES = {
    "organisation": {"name": "Norwegian Refugee Council", "org_type": "21"},
    "org_patch": {"description": "Updated description."},
    "membership_ner": {**NEW_MEMBERSHIP, "country_iso3": "NER"},
    "membership_tcd": {**NEW_MEMBERSHIP, "country_iso3": "TCD"},
    "transition": TRANSITION,
    "milestone": {**MILESTONE},
    "milestone_fix": {"note": "Corrected."},
    "memorandum": {"title": "A new memorandum"},
    "memo_patch": {"purpose": "Updated purpose."},
}

S, C, I, F, A = ROLES  # noqa: E741 — column order of the table below

# fmt: off
#  method   path                                  body                  secretariat chad  iom  funder anonymous
MATRIX = [
    # Countries: open reads, no writes at all.
    ("GET",   "/api/v1/countries",                  None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/countries/TCD",              None,                 (200,       200,  200, 200,   200)),
    ("POST",  "/api/v1/countries",                  "organisation",       (405,       405,  405, 405,   405)),
    ("PATCH", "/api/v1/countries/TCD",              "org_patch",          (405,       405,  405, 405,   405)),
    # Organisations: open reads; the secretariat creates; an editor edits only their own organisation.
    ("GET",   "/api/v1/organisations",              None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/organisations/iom",          None,                 (200,       200,  200, 200,   200)),
    ("POST",  "/api/v1/organisations",              "organisation",       (201,       403,  403, 403,   401)),
    ("PATCH", "/api/v1/organisations/iom",          "org_patch",          (200,       403,  200, 403,   401)),
    ("PATCH", "/api/v1/organisations/gcf",          "org_patch",          (200,       403,  403, 403,   401)),
    # Memberships: the private TCD one is hidden (404) from the public and from partner editors.
    ("GET",   "/api/v1/memberships",                None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/memberships/TCD",            None,                 (200,       200,  404, 200,   404)),
    ("GET",   "/api/v1/memberships/GNB",            None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/memberships/TCD/events",     None,                 (200,       200,  404, 200,   404)),
    ("GET",   "/api/v1/memberships/GNB/events",     None,                 (200,       200,  200, 200,   200)),
    ("POST",  "/api/v1/memberships",                "membership_ner",     (201,       403,  403, 403,   401)),
    # TCD already has one: permitted callers learn that (409), the others are refused first (403).
    ("POST",  "/api/v1/memberships",                "membership_tcd",     (409,       409,  403, 403,   401)),
    ("PATCH", "/api/v1/memberships/TCD",            "org_patch",          (405,       405,  405, 405,   405)),
    ("POST",  "/api/v1/memberships/TCD/transitions", "transition",        (201,       201,  404, 403,   401)),
    ("POST",  "/api/v1/memberships/GNB/transitions", "transition",        (201,       403,  403, 403,   401)),
    ("POST",  "/api/v1/memberships/TCD/milestones", "milestone",          (201,       201,  404, 403,   401)),
    ("POST",  "/api/v1/memberships/GNB/milestones", "milestone",          (201,       403,  403, 403,   401)),
    ("PATCH", "/api/v1/memberships/TCD/milestones/memorandum_approved", "milestone_fix", (200, 200, 404, 403, 401)),
    ("PATCH", "/api/v1/memberships/GNB/milestones/memorandum_approved", "milestone_fix", (200, 403, 403, 403, 401)),
    # Memoranda: drafts are seen by the secretariat, funders and the draft's parties only.
    ("GET",   "/api/v1/memoranda",                  None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/memoranda/{public}",         None,                 (200,       200,  200, 200,   200)),
    ("GET",   "/api/v1/memoranda/{draft}",          None,                 (200,       200,  404, 200,   404)),
    ("POST",  "/api/v1/memoranda",                  "memorandum",         (201,       403,  403, 403,   401)),
    # A party edits only the text of its own draft; a published memorandum is the secretariat's.
    ("PATCH", "/api/v1/memoranda/{public}",         "memo_patch",         (200,       403,  403, 403,   401)),
    ("PATCH", "/api/v1/memoranda/{other}",          "memo_patch",         (200,       403,  403, 403,   401)),
    ("PATCH", "/api/v1/memoranda/{draft}",          "memo_patch",         (200,       200,  404, 403,   401)),
    # A new document version rewrites the memorandum: the same rule as its text.
    ("POST",  "/api/v1/memoranda/{public}/versions", "file",              (201,       403,  403, 403,   401)),
    ("POST",  "/api/v1/memoranda/{other}/versions", "file",               (201,       403,  403, 403,   401)),
    ("POST",  "/api/v1/memoranda/{draft}/versions", "file",               (201,       201,  404, 403,   401)),
]
# fmt: on

CELLS = [
    pytest.param(method, path, body, role, statuses[i], id=f"{method} {path} as {role}")
    for method, path, body, statuses in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def world(chad, guinea_bissau, iom, gcf, secretariat, chad_focal_point, iom_editor, gcf_funder):
    MembershipFactory(country=chad, stage="memorandum_approved", is_public=False)
    MembershipFactory(country=guinea_bissau, stage="memorandum_approved", is_public=True)
    CountryFactory(iso3="NER", iso2="NE", numeric="562", name_en="Niger")
    public = MemorandumFactory(title="Public memorandum", party_countries=[chad])
    public.party_organisations.set([iom])
    other = MemorandumFactory(title="Other memorandum", party_countries=[guinea_bissau])
    other.party_organisations.set([gcf])
    draft = MemorandumFactory(title="Draft memorandum", status="draft", approved_on=None, party_countries=[chad])
    return {"public": public.pk, "other": other.pk, "draft": draft.pk}


def call(client, method, path, body):
    if body is None:
        return client.generic(method, path)
    if body == "file":
        return client.post(path, {"file": SimpleUploadedFile("memorandum.pdf", PDF, content_type="application/pdf")})
    return client.generic(method, path, json.dumps(BODIES[body]), content_type="application/json")


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CELLS)
def test_it_applies_the_permission_matrix(request, world, method, path, body, role, expected):
    user = request.getfixturevalue(role)
    client = client_for(None if role == "anonymous" else user)
    response = call(client, method, path.format(**world), body)
    assert response.status_code == expected, response.content[:500]
    if expected >= 400 and expected != 405:
        assert set(response.json()) == {"code", "message", "errors"}


# Which rows each role sees in the lists (the matrix above shows the lists answer 200 for everyone).
VISIBLE_MEMBERSHIPS = {
    "secretariat": {"TCD", "GNB"},
    "chad_focal_point": {"TCD", "GNB"},
    "iom_editor": {"GNB"},
    "gcf_funder": {"TCD", "GNB"},
    "anonymous": {"GNB"},
}
VISIBLE_MEMORANDA = {
    "secretariat": {"Public memorandum", "Other memorandum", "Draft memorandum"},
    "chad_focal_point": {"Public memorandum", "Other memorandum", "Draft memorandum"},
    "iom_editor": {"Public memorandum", "Other memorandum"},
    "gcf_funder": {"Public memorandum", "Other memorandum", "Draft memorandum"},
    "anonymous": {"Public memorandum", "Other memorandum"},
}


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_the_memberships_a_role_may_see(request, world, role):
    user = request.getfixturevalue(role)
    response = client_for(None if role == "anonymous" else user).get("/api/v1/memberships")
    body = response.json()
    assert {item["country_iso3"] for item in body["items"]} == VISIBLE_MEMBERSHIPS[role]
    assert body["count"] == len(VISIBLE_MEMBERSHIPS[role])


@pytest.mark.parametrize("role", ROLES)
def test_it_embeds_the_private_membership_only_for_those_who_may_see_it(request, world, role):
    user = request.getfixturevalue(role)
    response = client_for(None if role == "anonymous" else user).get("/api/v1/countries/TCD")
    membership = response.json()["membership"]
    if "TCD" in VISIBLE_MEMBERSHIPS[role]:
        assert membership["stage"] == "memorandum_approved"
    else:
        assert membership is None


@pytest.mark.parametrize("role", ROLES)
def test_it_counts_members_by_what_the_role_may_see(request, world, role):
    user = request.getfixturevalue(role)
    response = client_for(None if role == "anonymous" else user).get("/api/v1/countries?member=true")
    assert {item["iso3"] for item in response.json()["items"]} == VISIBLE_MEMBERSHIPS[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_the_memoranda_a_role_may_see(request, world, role):
    user = request.getfixturevalue(role)
    response = client_for(None if role == "anonymous" else user).get("/api/v1/memoranda")
    assert {item["title"] for item in response.json()["items"]} == VISIBLE_MEMORANDA[role]


def test_it_leaves_a_refused_transition_without_effect(world, gcf_funder, guinea_bissau):
    response = call(client_for(gcf_funder), "POST", "/api/v1/memberships/GNB/transitions", "transition")
    assert response.status_code == 403
    assert guinea_bissau.membership.milestones.count() == 1
    assert not guinea_bissau.membership.events.exists()
    guinea_bissau.membership.refresh_from_db()
    assert guinea_bissau.membership.stage == "memorandum_approved"


def test_it_leaves_a_refused_organisation_patch_without_effect(world, iom_editor, gcf):
    response = call(client_for(iom_editor), "PATCH", "/api/v1/organisations/gcf", "org_patch")
    assert response.status_code == 403
    gcf.refresh_from_db()
    assert gcf.description == ""


def test_a_deactivated_secretariat_session_is_anonymous(world, secretariat):
    client = client_for(secretariat)
    secretariat.is_active = False
    secretariat.save()
    assert client.get("/api/v1/memberships/TCD").status_code == 404
    assert call(client, "POST", "/api/v1/memoranda", "memorandum").status_code == 401


def test_a_token_carries_the_same_permissions_as_the_session(world, chad_focal_point):
    _, raw = api_token_create(actor=chad_focal_point, name="script")
    client = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/memberships/TCD", **auth).status_code == 200
    data = json.dumps(TRANSITION)
    gnb = client.post("/api/v1/memberships/GNB/transitions", data, content_type="application/json", **auth)
    assert gnb.status_code == 403
    tcd = client.post("/api/v1/memberships/TCD/transitions", data, content_type="application/json", **auth)
    assert tcd.status_code == 201
    assert tcd.json()["stage"] == "pilot_underway"
    assert dt.date.fromisoformat(tcd.json()["stage_since"]) == dt.date(2025, 11, 12)
