from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from bakuhub.accounts.models import Role
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import CountryFactory, MemorandumFactory, UserFactory
from bakuhub.working_groups.models import ActionItem, AgendaItem, Decision, Meeting
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

ROLES = ["anonymous", "secretariat", "chad_focal_point", "iom_editor", "gcf_funder"]
INSIDERS = {"secretariat", "chad_focal_point", "gcf_funder"}  # the IOM editor is not in the Chad group here


def _client(request, role: str) -> Client:
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def member_user(db):
    return UserFactory(username="member_user", role=Role.VIEWER)


@pytest.fixture
def group(chad):
    memo = MemorandumFactory(
        title="Memorandum establishing Joint Working Groups",
        party_countries=[chad],
        source_url="https://example.org/mou-source",
        source_title="Hub press release",
        fact_id="BH045",
    )
    memo.establishes_jwg_for.add(chad)
    return WorkingGroupFactory(
        country=chad,
        memorandum=memo,
        name="JWG Hub-Chad",
        terms_of_reference="<p>The group <strong>steers</strong> pilots.</p>",
    )


@pytest.fixture
def owner(group, member_user):
    return MemberFactory(working_group=group, user=member_user, person_name="Owner Person", email="owner@example.org")


@pytest.fixture
def meeting(group, owner):
    """Held on 12 November 2025, 10:00 in N'Djamena (WAT, UTC+1), with minutes, attendance and an agenda."""
    meeting = MeetingFactory(
        working_group=group, title="First meeting", minutes="<p>Secret minutes text</p>", status="held"
    )
    AgendaItemFactory(meeting=meeting, title="Adopt the work plan")
    AttendanceFactory(meeting=meeting, member=owner)
    return meeting


@pytest.fixture
def decision(group, meeting):
    return DecisionFactory(working_group=group, meeting=meeting, text="Adopt the <b>work plan</b>.")


@pytest.fixture
def action(group, owner, meeting, decision):
    return ActionItemFactory(
        working_group=group,
        owner=owner,
        meeting=meeting,
        decision=decision,
        title="Draft the pilot concept note",
        due_on=_today() - dt.timedelta(days=5),
    )


@pytest.fixture
def full(group, owner, meeting, decision, action):
    MemberFactory(working_group=group, role="co_chair", person_name="Co Chair", email="cochair@example.org")
    return group


# --- List and detail --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_list_renders_for_each_role(request, role, full):
    response = _client(request, role).get("/working-groups/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "JWG Hub-Chad" in html and "Chad" in html
    assert "Memorandum establishing Joint Working Groups" in html


def test_the_list_filters_by_status_and_country(full, guinea_bissau):
    WorkingGroupFactory(country=guinea_bissau, name="JWG Hub-Guinea-Bissau", status="forming")
    html = client_for(None).get("/working-groups/?status=forming").content.decode()
    assert "JWG Hub-Guinea-Bissau" in html and "JWG Hub-Chad" not in html
    html = client_for(None).get("/working-groups/?country=tcd").content.decode()
    assert "JWG Hub-Chad" in html and "JWG Hub-Guinea-Bissau" not in html
    html = client_for(None).get("/working-groups/?country=ZZZ").content.decode()
    assert "No Joint Working Groups." in html


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page_renders_for_each_role(request, role, full):
    response = _client(request, role).get(f"/working-groups/{full.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Co Chair" in html and "Owner Person" in html
    assert full.decisions.get().reference in html
    assert "https://example.org/mou-source" in html and "BH045" in html
    insider = role in INSIDERS
    assert ("Draft the pilot concept note" in html) is insider
    assert ("owner@example.org" in html) is insider
    assert ("Open action items" in html) is insider
    manager = role in {"secretariat", "chad_focal_point"}
    assert ("Schedule a meeting" in html) is manager
    assert ("calendar/rotate/" in html) is manager


def test_only_the_terms_of_reference_are_rendered_as_html(full):
    html = client_for(None).get(f"/working-groups/{full.pk}/").content.decode()
    assert "The group <strong>steers</strong> pilots." in html
    assert "Adopt the &lt;b&gt;work plan&lt;/b&gt;." in html


def test_a_group_member_is_an_insider_and_sees_the_overdue_badge(full, member_user):
    html = client_for(member_user).get(f"/working-groups/{full.pk}/").content.decode()
    assert "Draft the pilot concept note" in html
    assert "overdue by 5 days" in html


def test_an_unknown_group_is_a_404(db):
    assert client_for(None).get("/working-groups/999/").status_code == 404


# --- Meeting page -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_meeting_page_renders_for_each_role(request, role, full, meeting):
    response = _client(request, role).get(f"/working-groups/{full.pk}/meetings/{meeting.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adopt the work plan" in html  # the agenda is public
    assert full.decisions.get().reference in html  # so are decisions
    insider = role in INSIDERS
    assert ("Secret minutes text" in html) is insider
    assert ("Draft the pilot concept note" in html) is insider
    assert ("Attendance" in html) is insider
    assert ("minutes.pdf" in html) is insider
    assert "not a real meeting" not in html


def test_anonymous_sees_no_minutes_attendance_or_actions(full, meeting):
    html = client_for(None).get(f"/working-groups/{full.pk}/meetings/{meeting.pk}/").content.decode()
    for secret in ("Secret minutes text", "Draft the pilot concept note", "Owner Person — Present", "Attachments"):
        assert secret not in html


def test_an_example_meeting_carries_the_banner(group):
    example = MeetingFactory(working_group=group, is_example=True)
    html = client_for(None).get(f"/working-groups/{group.pk}/meetings/{example.pk}/").content.decode()
    assert "Example meeting — not a real meeting" in html


def test_a_meeting_of_another_group_is_a_404(group, guinea_bissau):
    other = MeetingFactory(working_group=WorkingGroupFactory(country=guinea_bissau))
    assert client_for(None).get(f"/working-groups/{group.pk}/meetings/{other.pk}/").status_code == 404


# --- Time zones -------------------------------------------------------------------------------------------------


def test_a_meeting_shows_its_own_zone_and_the_viewers(group, meeting):
    html = client_for(None).get(f"/working-groups/{group.pk}/meetings/{meeting.pk}/").content.decode()
    assert "12 November 2025, 10:00 WAT" in html and "Africa/Ndjamena" in html
    assert "Your time: 12 November 2025, 09:00 UTC" in html
    detail = client_for(None).get(f"/working-groups/{group.pk}/").content.decode()
    assert "10:00 WAT" in detail and "09:00 UTC" in detail


def test_the_viewer_picks_a_zone_and_it_is_remembered(group, meeting):
    client = client_for(None)
    response = client.get(f"/working-groups/{group.pk}/?tz=Asia/Baku")
    assert "13:00 +04" in response.content.decode()
    assert response.cookies["tz"].value == "Asia/Baku"
    assert "13:00 +04" in client.get(f"/working-groups/{group.pk}/meetings/{meeting.pk}/").content.decode()


def test_an_unknown_viewer_zone_falls_back_to_utc_and_says_so(group, meeting):
    client = client_for(None)
    client.cookies["tz"] = "Not/AZone"
    html = client.get(f"/working-groups/{group.pk}/?tz=Mars/Olympus").content.decode()
    assert "09:00 UTC" in html
    assert "is not a known time zone; times are shown in UTC" in html


# --- Query counts -----------------------------------------------------------------------------------------------


@pytest.fixture
def busy_group(full, group, owner, member_user):
    """Twelve meetings, decisions, members and actions more, so that N+1 queries would show."""
    for n in range(12):
        member = MemberFactory(working_group=group, user=UserFactory(), person_name="")
        m = MeetingFactory(working_group=group, title=f"Meeting {n}", starts_at=timezone.now() + dt.timedelta(days=n))
        AttendanceFactory(meeting=m, member=member)
        d = DecisionFactory(working_group=group, meeting=m)
        ActionItemFactory(working_group=group, owner=member, meeting=m, decision=d)
    return group


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page_uses_a_bounded_number_of_queries(request, role, busy_group, django_assert_max_num_queries):
    client = _client(request, role)
    with django_assert_max_num_queries(16):
        assert client.get(f"/working-groups/{busy_group.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "chad_focal_point"])
def test_the_meeting_page_uses_a_bounded_number_of_queries(
    request, role, busy_group, meeting, django_assert_max_num_queries
):
    for _ in range(10):
        member = MemberFactory(working_group=busy_group, user=UserFactory(), person_name="")
        AttendanceFactory(meeting=meeting, member=member)
        ActionItemFactory(working_group=busy_group, owner=member, meeting=meeting)
        AgendaItemFactory(meeting=meeting)
    client = _client(request, role)
    # group, meeting + 5 prefetches, actions, session, user, role lookups (+ attendance users for insiders)
    with django_assert_max_num_queries(18):
        assert client.get(f"/working-groups/{busy_group.pk}/meetings/{meeting.pk}/").status_code == 200


# --- My actions and the htmx status form ------------------------------------------------------------------------


def test_my_actions_needs_a_sign_in(db):
    response = client_for(None).get("/actions/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_actions_lists_the_users_open_actions_with_a_status_form(full, action, member_user):
    ActionItemFactory(working_group=full, owner=action.owner, title="Already done", status="done")
    html = client_for(member_user).get("/actions/mine/").content.decode()
    assert "Draft the pilot concept note" in html and "Already done" not in html
    assert f'hx-post="/actions/{action.pk}/status/"' in html
    assert "overdue by 5 days" in html


def test_the_owner_changes_the_status_with_htmx_and_it_is_audited(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "in_progress"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="action-{action.pk}"')
    assert '<option value="in_progress" selected>' in fragment
    action.refresh_from_db()
    assert action.status == "in_progress"
    record = AuditRecord.objects.get(action="actionitem.update", object_id=str(action.pk))
    assert record.actor == member_user
    assert record.changes["status"] == ["open", "in_progress"]


def test_without_htmx_the_status_form_redirects(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "done", "next": "/actions/mine/"}
    )
    assert response.status_code == 302 and response["Location"] == "/actions/mine/"
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == _today()


def test_the_status_form_ignores_a_foreign_next_url(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "done", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/actions/mine/"


@pytest.mark.parametrize("role", ["iom_editor", "other_viewer"])
def test_a_non_owner_gets_403_and_nothing_changes(request, role, full, action, db):
    user = UserFactory(username="other_viewer") if role == "other_viewer" else request.getfixturevalue(role)
    response = client_for(user).post(f"/actions/{action.pk}/status/", {"status": "dropped"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
    assert not AuditRecord.objects.filter(action="actionitem.update").exists()


def test_a_focal_point_manages_any_action_of_their_group(full, action, chad_focal_point):
    response = client_for(chad_focal_point).post(f"/actions/{action.pk}/status/", {"status": "dropped"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "dropped"


def test_an_unknown_status_is_refused_in_the_row(full, action, member_user):
    response = client_for(member_user).post(f"/actions/{action.pk}/status/", {"status": "lost"}, HTTP_HX_REQUEST="true")
    assert "Select a valid choice" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_a_missing_action_is_a_404(db, member_user):
    assert client_for(member_user).post("/actions/999/status/", {"status": "done"}).status_code == 404


# --- Overdue board ----------------------------------------------------------------------------------------------


@pytest.fixture
def overdue_rows(full, guinea_bissau):
    other = WorkingGroupFactory(country=guinea_bissau, name="JWG Hub-Guinea-Bissau")
    for n in range(6):
        ActionItemFactory(working_group=full, title=f"Chad late {n}", due_on=_today() - dt.timedelta(days=n + 1))
        ActionItemFactory(working_group=other, title=f"GNB late {n}", due_on=_today() - dt.timedelta(days=n + 10))
    ActionItemFactory(working_group=other, title="Not late", due_on=_today() + dt.timedelta(days=3))
    ActionItemFactory(working_group=other, title="Late but done", due_on=_today() - dt.timedelta(days=3), status="done")
    return other


def test_the_overdue_board_groups_late_actions_by_group(overdue_rows, gcf_funder):
    html = client_for(gcf_funder).get("/actions/overdue/").content.decode()
    assert "13 overdue action items" in html
    assert html.index("JWG Hub-Chad") < html.index("JWG Hub-Guinea-Bissau")
    assert "GNB late 5" in html and "overdue by 15 days" in html
    assert "Not late" not in html and "Late but done" not in html


def test_a_focal_point_sees_only_their_countrys_board(overdue_rows, chad_focal_point):
    html = client_for(chad_focal_point).get("/actions/overdue/").content.decode()
    assert "Chad late 0" in html and "GNB late 0" not in html


@pytest.mark.parametrize("role", ["secretariat", "gcf_funder", "chad_focal_point"])
def test_the_overdue_board_uses_a_bounded_number_of_queries(request, role, overdue_rows, django_assert_max_num_queries):
    client = _client(request, role)
    with django_assert_max_num_queries(8):
        response = client.get("/actions/overdue/")
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="action-') >= 7


def test_the_overdue_board_is_for_insiders(db, iom_editor):
    assert client_for(iom_editor).get("/actions/overdue/").status_code == 403
    assert client_for(None).get("/actions/overdue/").status_code == 302


# --- Managers' forms --------------------------------------------------------------------------------------------

MEETING = {
    "title": "Second meeting",
    "starts_at": "2026-12-03T10:00",
    "ends_at": "2026-12-03T12:30",
    "timezone": "Africa/Ndjamena",
    "place": "N'Djamena",
    "language": "fr",
    "agenda": "Opening\n\nPilot sites\n",
}


def test_the_meeting_form_defaults_to_the_countrys_zone(group, chad_focal_point):
    html = client_for(chad_focal_point).get(f"/working-groups/{group.pk}/meetings/new/").content.decode()
    assert 'value="Africa/Ndjamena"' in html


def test_a_focal_point_schedules_a_meeting_in_local_time(group, chad_focal_point):
    response = client_for(chad_focal_point).post(f"/working-groups/{group.pk}/meetings/new/", MEETING)
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get(title="Second meeting")
    assert meeting.starts_at == dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    assert meeting.starts_at.astimezone(ZoneInfo("Africa/Ndjamena")).hour == 10
    assert list(meeting.agenda_items.values_list("number", "title")) == [(1, "Opening"), (2, "Pilot sites")]
    assert response["Location"] == f"/working-groups/{group.pk}/meetings/{meeting.pk}/"
    assert AuditRecord.objects.filter(action__startswith="meeting.", object_id=str(meeting.pk)).exists()


def test_the_meeting_form_refuses_an_unknown_time_zone(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "timezone": "Africa/Atlantis"}
    )
    assert response.status_code == 400
    assert "&#x27;Africa/Atlantis&#x27; is not a known time zone" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_meeting_form_refuses_an_end_before_the_start(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "ends_at": "2026-12-03T09:00"}
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_a_too_long_agenda_item_writes_nothing(group, secretariat):
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/meetings/new/", {**MEETING, "agenda": "x" * 301}
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("path", ["meetings/new/", "decisions/new/", "actions/new/"])
def test_only_managers_open_the_forms(path, group, iom_editor, gcf_funder, member_user):
    for user in (iom_editor, gcf_funder, member_user):
        assert client_for(user).get(f"/working-groups/{group.pk}/{path}").status_code == 403
    response = client_for(None).get(f"/working-groups/{group.pk}/{path}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_focal_point_records_a_numbered_decision(group, meeting, decision, chad_focal_point):
    item = meeting.agenda_items.get()
    data = {"text": "Approve the pilot sites.", "decided_on": "2025-11-12", "status": "adopted", "meeting": meeting.pk,
            "agenda_item": item.pk}  # fmt: skip
    response = client_for(chad_focal_point).post(f"/working-groups/{group.pk}/decisions/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert Decision.objects.get(text="Approve the pilot sites.").reference == "TCD-JWG/2025/02"
    assert AuditRecord.objects.filter(object_type="working_groups.decision").exists()


def test_a_decision_in_the_future_is_refused(group, secretariat):
    future = (_today() + dt.timedelta(days=2)).isoformat()
    response = client_for(secretariat).post(
        f"/working-groups/{group.pk}/decisions/new/", {"text": "Later", "decided_on": future, "status": "adopted"}
    )
    assert response.status_code == 400
    assert "A decision cannot be dated in the future." in response.content.decode()


def test_a_manager_assigns_an_action_to_a_member(group, owner, meeting, secretariat):
    data = {"title": "Map the pilot sites", "owner": owner.pk, "due_on": "2026-12-31", "meeting": meeting.pk}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert ActionItem.objects.get(title="Map the pilot sites").owner == owner


def test_the_owner_must_be_a_member_of_the_group(group, guinea_bissau, secretariat):
    outsider = MemberFactory(working_group=WorkingGroupFactory(country=guinea_bissau))
    data = {"title": "Map the pilot sites", "owner": outsider.pk, "due_on": "2026-12-31"}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ActionItem.objects.exists()
    html = client_for(secretariat).get(f"/working-groups/{group.pk}/actions/new/").content.decode()
    assert f'value="{outsider.pk}"' not in html


def test_an_action_due_before_its_meeting_is_refused(group, owner, meeting, secretariat):
    data = {"title": "Too early", "owner": owner.pk, "due_on": "2025-11-01", "meeting": meeting.pk}
    response = client_for(secretariat).post(f"/working-groups/{group.pk}/actions/new/", data)
    assert response.status_code == 400
    assert "is before the meeting that set the action" in response.content.decode()


def test_pages_carry_no_inline_style_or_script(full, meeting, secretariat):
    client = client_for(secretariat)
    for path in (f"/working-groups/{full.pk}/", f"/working-groups/{full.pk}/meetings/{meeting.pk}/", "/actions/mine/"):
        html = client.get(path).content.decode()
        assert not re.search(r"\sstyle=|<script(?![^>]*\bsrc=)", html), path


def test_the_group_page_links_exports_and_calendar_paths(full, secretariat):
    html = client_for(secretariat).get(f"/working-groups/{full.pk}/").content.decode()
    for path in ("/exports/decisions.csv", "/exports/actions.xlsx", f"/working-groups/{full.pk}/calendar/rotate/"):
        assert path in html


def test_a_draft_memorandum_is_hidden_from_the_public(chad):
    memo = MemorandumFactory(title="Draft memorandum", status="draft")
    group = WorkingGroupFactory(country=CountryFactory(iso3="SOM"), memorandum=memo)
    assert "Draft memorandum" not in client_for(None).get(f"/working-groups/{group.pk}/").content.decode()


@pytest.mark.parametrize("role", ["secretariat", "chad_focal_point", "iom_editor", "gcf_funder"])
def test_my_actions_renders_for_each_signed_in_role(request, role, full):
    response = _client(request, role).get("/actions/mine/")
    assert response.status_code == 200
    assert "You have no open actions." in response.content.decode()


def test_a_partner_editor_owns_their_organisations_actions(full, iom, iom_editor):
    org_member = MemberFactory(working_group=full, organisation=iom, person_name="")
    action = ActionItemFactory(working_group=full, owner=org_member, title="IOM mapping")
    assert "IOM mapping" in client_for(iom_editor).get("/actions/mine/").content.decode()
    response = client_for(iom_editor).post(f"/actions/{action.pk}/status/", {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == "done"
