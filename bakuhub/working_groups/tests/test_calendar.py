"""iCalendar feeds: the group feed (public capability link) and the person feed, their tokens and rotation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from bakuhub.conftest import client_for
from bakuhub.core.errors import NotFound
from bakuhub.working_groups import calendar, services
from bakuhub.working_groups.models import ActionItem, Meeting, PersonalCalendar
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

NDJAMENA_10H = dt.datetime(2025, 11, 12, 9, 0, tzinfo=dt.UTC)  # 10:00 in N'Djamena (UTC+1, no DST)


@pytest.fixture
def chad_group(chad):
    return WorkingGroupFactory(country=chad, name="Joint Working Group Hub - Chad")


@pytest.fixture
def gnb_group(guinea_bissau):
    return WorkingGroupFactory(country=guinea_bissau, name="Joint Working Group Hub - Guinea-Bissau")


@pytest.fixture
def chad_meeting(chad_group):
    meeting = MeetingFactory(
        working_group=chad_group,
        title="Second JWG meeting",
        place="Ministry of Environment, N'Djamena",
        online_url="https://meet.example.org/secret-room",
        minutes="<p>Confidential minutes text</p>",
        sequence=3,
    )
    AgendaItemFactory(meeting=meeting, title="Adoption of the work plan")
    return meeting


def _events(body: bytes) -> list:
    cal = Calendar.from_ical(body)
    return list(cal.walk("VEVENT"))


def _by_uid(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in _events(body)}


def _get_group_feed(group, client=None):
    client = client or client_for(None)
    return client.get(reverse("portal:calendar_group", kwargs={"token": calendar.group_feed_token(group)}))


def test_group_feed_parses_and_holds_the_meeting_in_its_zone(chad_group, chad_meeting):
    response = _get_group_feed(chad_group)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="TCD-JWG.ics"'
    assert response["Cache-Control"] == "private, max-age=300"
    cal = Calendar.from_ical(response.content)
    assert str(cal["PRODID"]) == "-//Baku Hub//bakuhub//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Joint Working Group Hub - Chad"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Africa/Ndjamena"]
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{chad_meeting.pk}@bakuhub"
    assert event["DTSTART"].params["TZID"] == "Africa/Ndjamena"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(dt.UTC) == NDJAMENA_10H
    assert event.decoded("DTEND").astimezone(dt.UTC) == NDJAMENA_10H + dt.timedelta(hours=2)
    assert str(event["SUMMARY"]) == "Second JWG meeting"
    assert str(event["LOCATION"]) == "Ministry of Environment, N'Djamena"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(f"/working-groups/{chad_group.pk}/meetings/{chad_meeting.pk}/")
    assert "DTSTAMP" in event
    # The group feed is public to link holders: no minutes, no agenda, no online link.
    assert b"Confidential minutes" not in response.content
    assert b"secret-room" not in response.content
    assert b"work plan" not in response.content


def test_group_feed_function_needs_no_request_and_insider_variant_adds_agenda(chad_group, chad_meeting):
    public = calendar.group_calendar_ics(chad_group)
    insider = calendar.group_calendar_ics(chad_group, insider=True)

    assert b"work plan" not in public
    (event,) = _events(insider)
    assert "1. Adoption of the work plan" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/secret-room" in str(event["DESCRIPTION"])
    assert b"Confidential minutes" not in insider


def test_online_only_meeting_shows_online_without_the_link_in_the_group_feed(chad_group):
    MeetingFactory(working_group=chad_group, place="", online_url="https://meet.example.org/r")

    (event,) = _events(calendar.group_calendar_ics(chad_group))

    assert str(event["LOCATION"]) == "Online"


def test_empty_group_feed_is_still_a_calendar_with_its_home_zone(chad_group):
    cal = Calendar.from_ical(calendar.group_calendar_ics(chad_group))

    assert cal.walk("VEVENT") == []
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Africa/Ndjamena"]


def test_cancelled_meeting_is_status_cancelled(chad_group):
    MeetingFactory(working_group=chad_group, status=Meeting.Status.CANCELLED)

    (event,) = _events(calendar.group_calendar_ics(chad_group))

    assert str(event["STATUS"]) == "CANCELLED"


def test_example_meeting_is_labelled(chad_group):
    MeetingFactory(working_group=chad_group, title="Kick-off", is_example=True)

    (event,) = _events(calendar.group_calendar_ics(chad_group))

    assert str(event["SUMMARY"]) == "[EXAMPLE] Kick-off"


def test_rotated_group_link_404s_and_the_new_one_works(chad_group, chad_meeting, secretariat):
    old_token = calendar.group_feed_token(chad_group)

    services.calendar_rotate(actor=secretariat, working_group=chad_group)

    old = client_for(None).get(reverse("portal:calendar_group", kwargs={"token": old_token}))
    assert old.status_code == 404
    assert old["Content-Type"] == "text/plain; charset=utf-8"
    assert old.content.decode() == calendar.REVOKED
    chad_group.refresh_from_db()
    new = _get_group_feed(chad_group)
    assert new.status_code == 200
    assert len(_events(new.content)) == 1


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda g: calendar.group_feed_token(g)[:-2] + "xx", id="tampered-signature"),
        pytest.param(lambda g: signing.dumps({"g": g.pk, "v": 1}, salt="another.salt"), id="wrong-salt"),
        pytest.param(lambda g: signing.dumps({"g": g.pk, "v": 2}, salt=calendar.SALT), id="future-version"),
        pytest.param(lambda g: signing.dumps({"g": g.pk + 999, "v": 1}, salt=calendar.SALT), id="no-such-group"),
        pytest.param(lambda g: signing.dumps({"g": str(g.pk), "v": 1}, salt=calendar.SALT), id="wrong-types"),
        pytest.param(lambda g: signing.dumps([g.pk, 1], salt=calendar.SALT), id="not-a-mapping"),
        pytest.param(lambda g: "not-a-token", id="garbage"),
    ],
)
def test_forged_group_token_404s(chad_group, make_token):
    token = make_token(chad_group)

    with pytest.raises(NotFound):
        calendar.group_from_token(token)
    response = client_for(None).get(reverse("portal:calendar_group", kwargs={"token": token}))
    assert response.status_code == 404
    assert b"revoked or is not valid" in response.content


def test_a_person_token_is_not_a_group_token(chad_group, chad_focal_point):
    token = calendar.person_feed_token(chad_focal_point)

    assert client_for(None).get(reverse("portal:calendar_group", kwargs={"token": token})).status_code == 404


def test_person_feed_holds_the_meetings_of_groups_they_see_and_their_open_actions(
    chad_group, gnb_group, chad_meeting, chad_focal_point
):
    gnb_meeting = MeetingFactory(working_group=gnb_group, title="Bissau meeting")
    me = MemberFactory(working_group=chad_group, user=chad_focal_point, person_name="")
    mine = ActionItemFactory(working_group=chad_group, owner=me, title="Send the work plan")
    ActionItemFactory(working_group=chad_group, owner=me, title="Finished", status=ActionItem.Status.DONE)
    someone_elses = ActionItemFactory(working_group=chad_group, title="Someone else's")

    response = client_for(None).get(
        reverse("portal:calendar_person", kwargs={"token": calendar.person_feed_token(chad_focal_point)})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    events = _by_uid(response.content)
    assert set(events) == {f"meeting-{chad_meeting.pk}@bakuhub", f"action-{mine.pk}@bakuhub"}
    assert f"meeting-{gnb_meeting.pk}@bakuhub" not in events
    assert f"action-{someone_elses.pk}@bakuhub" not in events
    meeting = events[f"meeting-{chad_meeting.pk}@bakuhub"]
    assert "1. Adoption of the work plan" in str(meeting["DESCRIPTION"])
    assert b"Confidential minutes" not in response.content
    action = events[f"action-{mine.pk}@bakuhub"]
    assert action.decoded("DTSTART") == mine.due_on
    assert action["DTSTART"].params["VALUE"] == "DATE"
    assert "Send the work plan" in str(action["SUMMARY"])


def test_person_feed_of_the_secretariat_holds_every_group(chad_meeting, gnb_group, secretariat):
    gnb_meeting = MeetingFactory(working_group=gnb_group)

    events = _by_uid(calendar.person_calendar_ics(secretariat))

    assert set(events) == {f"meeting-{chad_meeting.pk}@bakuhub", f"meeting-{gnb_meeting.pk}@bakuhub"}
    zones = {str(tz["TZID"]) for tz in Calendar.from_ical(calendar.person_calendar_ics(secretariat)).walk("VTIMEZONE")}
    assert zones == {"Africa/Ndjamena", "Africa/Bissau"}


def test_person_feed_of_an_outsider_is_empty_but_valid(chad_meeting, iom_editor):
    cal = Calendar.from_ical(calendar.person_calendar_ics(iom_editor))

    assert cal.walk("VEVENT") == []


def test_reading_a_person_token_writes_nothing(chad_focal_point):
    token = signing.dumps({"u": chad_focal_point.pk, "v": 1}, salt=calendar.SALT)

    assert calendar.user_from_token(token) == chad_focal_point
    assert not PersonalCalendar.objects.filter(user=chad_focal_point).exists()


def test_giving_out_a_person_link_pins_it_so_the_first_rotation_revokes_it(chad_focal_point):
    token = calendar.person_feed_token(chad_focal_point)
    assert PersonalCalendar.objects.get(user=chad_focal_point).version == 1
    assert calendar.user_from_token(token) == chad_focal_point

    services.personal_calendar_rotate(actor=chad_focal_point)

    with pytest.raises(NotFound):
        calendar.user_from_token(token)
    assert calendar.user_from_token(calendar.person_feed_token(chad_focal_point)) == chad_focal_point


def test_person_token_of_a_deactivated_user_404s(chad_focal_point):
    token = calendar.person_feed_token(chad_focal_point)
    chad_focal_point.is_active = False
    chad_focal_point.save()

    response = client_for(None).get(reverse("portal:calendar_person", kwargs={"token": token}))

    assert response.status_code == 404


def test_account_calendar_page_shows_the_link_and_post_rotates_it(chad_focal_point):
    client = client_for(chad_focal_point)

    page = client.get(reverse("portal:account_calendar"))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    old_token = calendar.person_feed_token(chad_focal_point)
    old_path = reverse("portal:calendar_person", kwargs={"token": old_token})
    assert f"http://testserver{old_path}" in page.content.decode()

    rotated = client.post(reverse("portal:account_calendar"))
    assert rotated.status_code == 302
    assert rotated["Location"] == reverse("portal:account_calendar")
    assert client.get(old_path).status_code == 404
    new_token = calendar.person_feed_token(chad_focal_point)
    assert new_token != old_token
    assert client.get(reverse("portal:calendar_person", kwargs={"token": new_token})).status_code == 200


def test_account_calendar_needs_sign_in():
    response = client_for(None).get(reverse("portal:account_calendar"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_rotate_view_lets_a_manager_rotate_and_returns_to_a_same_site_page(chad_group, chad_focal_point):
    old_token = calendar.group_feed_token(chad_group)
    back = reverse("portal:working_group", args=[chad_group.pk])

    response = client_for(chad_focal_point).post(
        reverse("portal:calendar_rotate", args=[chad_group.pk]), {"next": back}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    chad_group.refresh_from_db()
    assert chad_group.calendar_version == 2
    with pytest.raises(NotFound):
        calendar.group_from_token(old_token)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_rotate_view_never_redirects_off_site(chad_group, secretariat, target):
    response = client_for(secretariat).post(reverse("portal:calendar_rotate", args=[chad_group.pk]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_rotate_view_refuses_non_managers_and_get(chad_group, iom_editor, gcf_funder, secretariat):
    url = reverse("portal:calendar_rotate", args=[chad_group.pk])

    assert client_for(iom_editor).post(url).status_code == 403
    assert client_for(gcf_funder).post(url).status_code == 403
    assert client_for(secretariat).get(url).status_code == 405
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    chad_group.refresh_from_db()
    assert chad_group.calendar_version == 1


def _store_year_one(meeting: Meeting) -> None:
    """A meeting dated 0001-01-01 as an old import or a direct database write left it (the services refuse it)."""
    start = dt.datetime(1, 1, 1, 9, 0, tzinfo=dt.UTC)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))


def test_a_meeting_dated_in_year_one_is_skipped_and_the_group_feed_still_parses(chad_group, chad_meeting, caplog):
    broken = MeetingFactory(working_group=chad_group, title="Typed in year 1")
    _store_year_one(broken)

    response = _get_group_feed(chad_group)

    assert response.status_code == 200
    assert set(_by_uid(response.content)) == {f"meeting-{chad_meeting.pk}@bakuhub"}
    assert f"Meeting {broken.pk}" in caplog.text


def test_a_meeting_dated_in_year_one_does_not_break_a_members_person_feed(chad_group, chad_meeting, chad_focal_point):
    me = MemberFactory(working_group=chad_group, user=chad_focal_point, person_name="")
    broken = MeetingFactory(working_group=chad_group, title="Typed in year 1")
    _store_year_one(broken)
    action = ActionItemFactory(working_group=chad_group, owner=me, title="Far future")
    ActionItem.objects.filter(pk=action.pk).update(due_on=dt.date(9999, 12, 31))

    events = _by_uid(calendar.person_calendar_ics(chad_focal_point))

    assert set(events) == {f"meeting-{chad_meeting.pk}@bakuhub"}
