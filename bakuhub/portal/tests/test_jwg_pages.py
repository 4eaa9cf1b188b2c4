"""Joint Working Group list, group and meeting pages: who sees what, time zones, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from bakuhub.conftest import client_for
from bakuhub.portal.tests.jwg_helpers import INSIDERS, ROLES, _client
from bakuhub.testing.factories import CountryFactory, MemorandumFactory, UserFactory
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
    assert full.decisions.get().reference in html
    assert "https://example.org/mou-source" in html and "BH045" in html
    insider = role in INSIDERS
    assert ("Co Chair" in html and "Owner Person" in html) is insider  # the public sees organisations, not people
    assert ("Draft the pilot concept note" in html) is insider
    assert ("owner@example.org" in html) is (role == "secretariat")  # e-mail addresses: the secretariat only
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


def test_minutes_written_around_the_services_are_still_cleaned_on_display(meeting, secretariat):
    from bakuhub.working_groups.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(minutes='<p>ok</p><script>alert(1)</script><img src=x onerror="x()">')
    html = client_for(secretariat).get(f"/working-groups/{meeting.working_group_id}/meetings/{meeting.pk}/").content
    assert b"<script>alert" not in html and b"onerror" not in html and b"<p>ok</p>" in html
