"""Who may do what on the Joint Working Group and commitment endpoints: one explicit table, one test per cell.

The world every cell runs in:

* The Chad JWG (`{tcd}`, TCD-JWG). Members: a person (`{tcd_person}`) and the organisation iom (`{tcd_iom}`), so
  iom_editor is an insider of this group (but not a manager). chad_focal_point manages it (focal point of TCD).
* The Guinea-Bissau JWG (`{gnb}`, GNB-JWG). Member: a person (`{gnb_person}`). Nobody in the fixtures is its focal
  point, so chad_focal_point and iom_editor are outsiders there.
* Each group has a meeting (`{tcd_meeting}`, `{gnb_meeting}`) and a decision (`{tcd_decision}`, `{gnb_decision}`).
* Actions: `{tcd_iom_action}` (owned by iom), `{tcd_person_action}` (owned by the Chad person),
  `{gnb_action}` (owned by the Guinea-Bissau person).
* Commitments: `{c_tcd}` (public, by Chad), `{c_iom}` (public, by iom), `{c_gnb}` (NOT public, by Guinea-Bissau).
* Niger (NER) exists, without a group.

The secretariat and funders are insiders of every group; only the secretariat and the country's focal points manage
a group. A funder reads internals but writes nothing; an action's owner may change its status, nothing else.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bakuhub.commitments.models import Commitment, CommitmentEvent
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import CountryFactory
from bakuhub.testing.files import pdf_bytes
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup, WorkingGroupMember
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("secretariat", "chad_focal_point", "iom_editor", "gcf_funder", "anonymous")

PDF = pdf_bytes()
LATER = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
SOURCE = {"source_title": "Press release", "source_url": "https://example.org/press"}

# Bodies: a dict is sent as JSON; "file" is a multipart upload of a small PDF; `{name}` in a string value is
# replaced by the id of that object of the world (and sent as a number).
BODIES = {
    "group_ner": {"country_iso3": "NER", "name": "Joint Working Group Hub - Niger"},
    "group_patch": {"terms_of_reference": "<p>Updated terms.</p>"},
    "member": {"person_name": "New Member", "email": "new@example.org", "role": "observer"},
    "meeting": {"title": "Second meeting", "starts_at": "2025-12-03T10:00:00", "place": "Ministry"},
    "meeting_patch": {"title": "Renamed meeting"},
    "agenda_item": {"title": "Adoption of the work plan"},
    "attendance": {"status": "apologies"},
    "decision": {"text": "The group adopts its work plan.", "decided_on": "2025-11-12"},
    "decision_patch": {"status": "implemented"},
    "action_tcd": {"title": "Draft the concept note", "owner_id": "{tcd_person}", "due_on": LATER},
    "action_gnb": {"title": "Draft the concept note", "owner_id": "{gnb_person}", "due_on": LATER},
    "action_status": {"status": "in_progress"},
    "action_due": {"due_on": LATER},
    "commitment_tcd": {"committer_country_iso3": "TCD", "kind": "policy", "title": "A policy", "announced_on":
                       "2025-09-24", **SOURCE},
    "commitment_gnb": {"committer_country_iso3": "GNB", "kind": "policy", "title": "A policy", "announced_on":
                       "2025-09-24", **SOURCE},
    "commitment_iom": {"committer_organisation": "iom", "kind": "money", "title": "A grant", "amount": "250000",
                       "currency": "USD", "announced_on": "2025-09-24", **SOURCE},
    "transition": {"to_status": "formalised", "occurred_on": "2025-10-01", "agreement_reference": "AGR-1",
                   **SOURCE},
}  # fmt: skip

S, C, I, F, A = ROLES  # noqa: E741 — column order of the table below
W = "/api/v1/working-groups"

# fmt: off
#    method   path                                                         body              secr chad iom  fund anon
MATRIX = [
    # Groups: public reads; the secretariat sets groups up; managers edit them and their members.
    ("GET",   W,                                                           None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "?country=GNB",                                          None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{tcd}",                                                None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{gnb}",                                                None,             (200, 200, 200, 200, 200)),
    ("POST",  W,                                                           "group_ner",      (201, 403, 403, 403, 401)),
    ("PATCH", W + "/{tcd}",                                                "group_patch",    (200, 200, 403, 403, 401)),
    ("PATCH", W + "/{gnb}",                                                "group_patch",    (200, 403, 403, 403, 401)),
    ("POST",  W + "/{tcd}/members",                                        "member",         (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/members",                                        "member",         (201, 403, 403, 403, 401)),
    # The group calendar: insiders only, signed in or with a token.
    ("GET",   W + "/{tcd}/calendar.ics",                                   None,             (200, 200, 200, 200, 401)),
    ("GET",   W + "/{gnb}/calendar.ics",                                   None,             (200, 403, 403, 200, 401)),
    # Meetings: public reads (internals are checked below); managers write.
    ("GET",   W + "/{tcd}/meetings",                                       None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{gnb}/meetings",                                       None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{tcd}/meetings/{tcd_meeting}",                         None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{gnb}/meetings/{gnb_meeting}",                         None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{tcd}/meetings/{gnb_meeting}",                         None,             (404, 404, 404, 404, 404)),
    ("POST",  W + "/{tcd}/meetings",                                       "meeting",        (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/meetings",                                       "meeting",        (201, 403, 403, 403, 401)),
    ("PATCH", W + "/{tcd}/meetings/{tcd_meeting}",                         "meeting_patch",  (200, 200, 403, 403, 401)),
    ("PATCH", W + "/{gnb}/meetings/{gnb_meeting}",                         "meeting_patch",  (200, 403, 403, 403, 401)),
    ("POST",  W + "/{tcd}/meetings/{tcd_meeting}/agenda-items",            "agenda_item",    (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/meetings/{gnb_meeting}/agenda-items",            "agenda_item",    (201, 403, 403, 403, 401)),
    ("PUT",   W + "/{tcd}/meetings/{tcd_meeting}/attendance/{tcd_person}", "attendance",     (200, 200, 403, 403, 401)),
    ("PUT",   W + "/{gnb}/meetings/{gnb_meeting}/attendance/{gnb_person}", "attendance",     (200, 403, 403, 403, 401)),
    ("POST",  W + "/{tcd}/meetings/{tcd_meeting}/attachments",             "file",           (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/meetings/{gnb_meeting}/attachments",             "file",           (201, 403, 403, 403, 401)),
    # Decisions: public reads; managers record and change them.
    ("GET",   W + "/{tcd}/decisions",                                      None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{gnb}/decisions",                                      None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{tcd}/decisions/{tcd_decision}",                       None,             (200, 200, 200, 200, 200)),
    ("GET",   W + "/{gnb}/decisions/{gnb_decision}",                       None,             (200, 200, 200, 200, 200)),
    ("POST",  W + "/{tcd}/decisions",                                      "decision",       (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/decisions",                                      "decision",       (201, 403, 403, 403, 401)),
    ("PATCH", W + "/{tcd}/decisions/{tcd_decision}",                       "decision_patch", (200, 200, 403, 403, 401)),
    ("PATCH", W + "/{gnb}/decisions/{gnb_decision}",                       "decision_patch", (200, 403, 403, 403, 401)),
    # Actions: insiders read (anonymous 401, outsiders 403); managers assign; owners change the status only.
    ("GET",   W + "/{tcd}/actions",                                        None,             (200, 200, 200, 200, 401)),
    ("GET",   W + "/{gnb}/actions",                                        None,             (200, 403, 403, 200, 401)),
    ("GET",   W + "/{tcd}/actions/{tcd_iom_action}",                       None,             (200, 200, 200, 200, 401)),
    ("GET",   W + "/{gnb}/actions/{gnb_action}",                           None,             (200, 403, 403, 200, 401)),
    ("POST",  W + "/{tcd}/actions",                                        "action_tcd",     (201, 201, 403, 403, 401)),
    ("POST",  W + "/{gnb}/actions",                                        "action_gnb",     (201, 403, 403, 403, 401)),
    ("PATCH", W + "/{tcd}/actions/{tcd_iom_action}",                       "action_status",  (200, 200, 200, 403, 401)),
    ("PATCH", W + "/{tcd}/actions/{tcd_iom_action}",                       "action_due",     (200, 200, 403, 403, 401)),
    ("PATCH", W + "/{tcd}/actions/{tcd_person_action}",                    "action_status",  (200, 200, 403, 403, 401)),
    ("PATCH", W + "/{gnb}/actions/{gnb_action}",                           "action_status",  (200, 403, 403, 403, 401)),
    ("GET",   W + "/actions/mine",                                         None,             (200, 200, 200, 200, 401)),
    ("GET",   W + "/actions/overdue",                                      None,             (200, 200, 200, 200, 401)),
    # Commitments: public ones for all; a non-public one for the secretariat, funders and its own parties.
    ("GET",   "/api/v1/commitments",                                       None,             (200, 200, 200, 200, 200)),
    ("GET",   "/api/v1/commitments/totals",                                None,             (200, 200, 200, 200, 200)),
    ("GET",   "/api/v1/commitments/{c_tcd}",                               None,             (200, 200, 200, 200, 200)),
    ("GET",   "/api/v1/commitments/{c_gnb}",                               None,             (200, 404, 404, 200, 404)),
    ("POST",  "/api/v1/commitments",                                       "commitment_tcd", (201, 201, 403, 403, 401)),
    ("POST",  "/api/v1/commitments",                                       "commitment_gnb", (201, 403, 403, 403, 401)),
    ("POST",  "/api/v1/commitments",                                       "commitment_iom", (201, 403, 201, 403, 401)),
    ("POST",  "/api/v1/commitments/{c_tcd}/transitions",                   "transition",     (201, 201, 403, 403, 401)),
    ("POST",  "/api/v1/commitments/{c_iom}/transitions",                   "transition",     (201, 403, 201, 403, 401)),
    ("POST",  "/api/v1/commitments/{c_gnb}/transitions",                   "transition",     (201, 404, 404, 403, 401)),
    ("PATCH", "/api/v1/commitments/{c_tcd}",                               "transition",     (405, 405, 405, 405, 405)),
]
# fmt: on

CELLS = [
    pytest.param(method, path, body, role, statuses[i], id=f"{method} {path} {body or ''} as {role}")
    for method, path, body, statuses in MATRIX
    for i, role in enumerate(ROLES)
]


def make_commitment(**fields):
    commitment = Commitment.objects.create(announced_on=dt.date(2025, 9, 24), **SOURCE, **fields)
    CommitmentEvent.objects.create(commitment=commitment, to_status="announced", occurred_on=dt.date(2025, 9, 24))
    return commitment


@pytest.fixture
def world(chad, guinea_bissau, iom, gcf, secretariat, chad_focal_point, iom_editor, gcf_funder):
    CountryFactory(iso3="NER", iso2="NE", numeric="562", name_en="Niger")
    tcd = WorkingGroupFactory(country=chad, name="Chad JWG")
    gnb = WorkingGroupFactory(country=guinea_bissau, name="Guinea-Bissau JWG")
    tcd_person = MemberFactory(working_group=tcd, person_name="Amina Mahamat", role="co_chair")
    tcd_iom = MemberFactory(working_group=tcd, organisation=iom, person_name="", email="jwg@iom.int")
    gnb_person = MemberFactory(working_group=gnb, person_name="Braima Camara")
    return {
        "tcd": tcd.pk,
        "gnb": gnb.pk,
        "tcd_person": tcd_person.pk,
        "tcd_iom": tcd_iom.pk,
        "gnb_person": gnb_person.pk,
        "tcd_meeting": MeetingFactory(working_group=tcd).pk,
        "gnb_meeting": MeetingFactory(working_group=gnb).pk,
        "tcd_decision": DecisionFactory(working_group=tcd).pk,
        "gnb_decision": DecisionFactory(working_group=gnb).pk,
        "tcd_iom_action": ActionItemFactory(working_group=tcd, owner=tcd_iom).pk,
        "tcd_person_action": ActionItemFactory(working_group=tcd, owner=tcd_person).pk,
        "gnb_action": ActionItemFactory(working_group=gnb, owner=gnb_person).pk,
        "c_tcd": make_commitment(committer_country=chad, kind="policy", title="Chad policy").pk,
        "c_iom": make_commitment(committer_organisation=iom, kind="in_kind", title="IOM support").pk,
        "c_gnb": make_commitment(committer_country=guinea_bissau, kind="policy", title="GNB plan", is_public=False).pk,
    }


def body_for(name, world):
    def fill(value):
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return world[value[1:-1]]
        return value

    return {k: fill(v) for k, v in BODIES[name].items()}


def call(client, method, path, body, world):
    if body is None:
        return client.generic(method, path)
    if body == "file":
        return client.post(path, {"file": SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")})
    return client.generic(method, path, json.dumps(body_for(body, world)), content_type="application/json")


def client_as(request, role):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CELLS)
def test_it_applies_the_permission_matrix(request, world, method, path, body, role, expected):
    audits = AuditRecord.objects.count()
    response = call(client_as(request, role), method, path.format(**world), body, world)
    assert response.status_code == expected, response.content[:500]
    if expected >= 400 and expected != 405:
        assert set(response.json()) == {"code", "message", "errors"}
    if method != "GET":
        # Every accepted write leaves an audit trail; every refused one leaves none.
        assert (AuditRecord.objects.count() > audits) == (expected < 400)


# What each role sees of the Chad meeting, the group's members and the Guinea-Bissau group.
INSIDER_OF = {
    "secretariat": {"tcd", "gnb"},
    "chad_focal_point": {"tcd"},
    "iom_editor": {"tcd"},
    "gcf_funder": {"tcd", "gnb"},
    "anonymous": set(),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("group", ["tcd", "gnb"])
def test_it_shows_meeting_internals_only_to_insiders(request, world, role, group):
    client = client_as(request, role)
    body = client.get(f"{W}/{world[group]}/meetings/{world[group + '_meeting']}").json()
    internal = ("minutes", "agenda_items", "attendance", "attachments", "actions")
    if group in INSIDER_OF[role]:
        assert all(body[key] is not None for key in internal)
    else:
        assert all(body[key] is None for key in internal)
        assert body["title"] and body["local_start"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("group", ["tcd", "gnb"])
def test_it_shows_people_to_insiders_and_e_mail_addresses_to_the_secretariat_only(request, world, role, group):
    body = client_as(request, role).get(f"{W}/{world[group]}").json()
    emails = {m["email"] for m in body["members"]}
    assert body["viewer_is_insider"] == (group in INSIDER_OF[role])
    assert emails == ({"jwg@iom.int", "member-mahamat@example.org"} if role == "secretariat" and group == "tcd"
                      else {"member-camara@example.org"} if role == "secretariat" else {None} if body["members"]
                      else set())  # fmt: skip
    people = {m["person_name"] for m in body["members"]} - {""}
    assert bool(people) == (group in INSIDER_OF[role])


VISIBLE_COMMITMENTS = {
    "secretariat": {"Chad policy", "IOM support", "GNB plan"},
    "chad_focal_point": {"Chad policy", "IOM support"},
    "iom_editor": {"Chad policy", "IOM support"},
    "gcf_funder": {"Chad policy", "IOM support", "GNB plan"},
    "anonymous": {"Chad policy", "IOM support"},
}


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_the_commitments_a_role_may_see(request, world, role):
    client = client_as(request, role)
    assert {c["title"] for c in client.get("/api/v1/commitments").json()["items"]} == VISIBLE_COMMITMENTS[role]
    totals = client.get("/api/v1/commitments/totals").json()
    assert totals["overall"]["counts"]["announced"] == len(VISIBLE_COMMITMENTS[role])


VISIBLE_BOARD = {
    "secretariat": {"tcd_iom_action", "tcd_person_action", "gnb_action"},
    "chad_focal_point": {"tcd_iom_action", "tcd_person_action"},
    "iom_editor": {"tcd_iom_action", "tcd_person_action"},
    "gcf_funder": {"tcd_iom_action", "tcd_person_action", "gnb_action"},
}
MINE = {"secretariat": set(), "chad_focal_point": set(), "iom_editor": {"tcd_iom_action"}, "gcf_funder": set()}


@pytest.mark.parametrize("role", ROLES[:-1])
def test_the_boards_show_each_role_its_own_rows(request, world, role):
    ActionItem.objects.update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_as(request, role)
    names = {v: k for k, v in world.items() if k.endswith("action")}
    overdue = {names[a["id"]] for a in client.get(f"{W}/actions/overdue").json()["items"]}
    mine = {names[a["id"]] for a in client.get(f"{W}/actions/mine").json()["items"]}
    assert overdue == VISIBLE_BOARD[role]
    assert mine == MINE[role]


def test_a_refused_owner_due_date_change_leaves_the_action_as_it_was(world, iom_editor):
    action = ActionItem.objects.get(pk=world["tcd_iom_action"])
    response = call(client_for(iom_editor), "PATCH", f"{W}/{world['tcd']}/actions/{action.pk}", "action_due", world)
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=action.pk).due_on == action.due_on


def test_a_cross_country_focal_point_changes_nothing_in_the_other_group(world, chad_focal_point):
    client = client_for(chad_focal_point)
    gnb = world["gnb"]
    before = (Meeting.objects.count(), Decision.objects.count(), WorkingGroupMember.objects.count())
    for method, path, body in [
        ("POST", f"{W}/{gnb}/meetings", "meeting"),
        ("POST", f"{W}/{gnb}/decisions", "decision"),
        ("POST", f"{W}/{gnb}/members", "member"),
        ("PATCH", f"{W}/{gnb}", "group_patch"),
    ]:
        assert call(client, method, path, body, world).status_code == 403
    assert (Meeting.objects.count(), Decision.objects.count(), WorkingGroupMember.objects.count()) == before
    assert WorkingGroup.objects.get(pk=gnb).terms_of_reference == ""
