"""Calendar feeds (secret, rotatable links), their rotation, and meeting minutes as PDF (names under `portal:`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import calendars

urlpatterns: list[URLPattern] = [
    path("calendars/groups/<str:token>.ics", calendars.group_feed, name="calendar_group"),
    path("calendars/people/<str:token>.ics", calendars.person_feed, name="calendar_person"),
    path("working-groups/<int:pk>/calendar/rotate/", calendars.group_calendar_rotate, name="calendar_rotate"),
    path("account/calendar/", calendars.account_calendar, name="account_calendar"),
    path(
        "working-groups/<int:pk>/meetings/<int:meeting_pk>/minutes.pdf",
        calendars.meeting_minutes_pdf,
        name="meeting_minutes_pdf",
    ),
]
