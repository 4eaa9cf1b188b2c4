"""Calendar feeds (capability links), their rotation, and the minutes of a meeting as PDF. Thin: the work is done by
bakuhub.working_groups.calendar, bakuhub.reports.minutes and the services."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bakuhub.accounts.models import User
from bakuhub.core.errors import DomainError, NotFound
from bakuhub.reports.minutes import UnknownLanguage, language_of, minutes_pdf, requested_language
from bakuhub.working_groups import calendar, selectors, services
from bakuhub.working_groups.models import Meeting, WorkingGroup

_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_FILENAME_UNSAFE.sub("-", filename)}"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _revoked(exc: NotFound) -> HttpResponse:
    response = HttpResponseNotFound(exc.message, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def group_feed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        group = calendar.group_from_token(token)
    except NotFound as exc:
        return _revoked(exc)
    return _ics(calendar.group_calendar_ics(group), f"{group.code}.ics")


@require_safe
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = calendar.user_from_token(token)
    except NotFound as exc:
        return _revoked(exc)
    return _ics(calendar.person_calendar_ics(user), "baku-hub-my-calendar.ics")


def _safe_next(request: HttpRequest) -> str:
    """A same-site path from `next`, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return "/"


@login_required
@require_POST
def group_calendar_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, pk=pk)
    try:
        services.calendar_rotate(actor=_user(request), working_group=group)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The calendar link of %(group)s was renewed; the old link no longer works. New link: %(url)s")
            % {"group": group.name, "url": request.build_absolute_uri(calendar.group_feed_path(group))},
        )
    return HttpResponseRedirect(_safe_next(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_calendar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        services.personal_calendar_rotate(actor=user)
        messages.success(request, _("Your calendar link was renewed; the old link no longer works."))
        return redirect("portal:account_calendar")
    context = {"feed_url": request.build_absolute_uri(calendar.person_feed_path(user))}
    response = render(request, "portal/account_calendar.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def meeting_minutes_pdf(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("working_group__country"), pk=meeting_pk, working_group_id=pk
    )
    if not selectors.sees_internals(request.user, meeting.working_group):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(_("Only members of this Joint Working Group may read its minutes."))
    language = get_language() or "en"
    if request.GET.get("lang"):
        try:
            language = requested_language(request.GET["lang"])
        except UnknownLanguage as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    language = language_of(language)
    body = minutes_pdf(meeting, language=language)
    filename = f"minutes-{meeting.working_group.code}-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}-{language}.pdf"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Language"] = language
    response["Content-Disposition"] = f'inline; filename="{_FILENAME_UNSAFE.sub("-", filename)}"'
    response["Cache-Control"] = "private, no-store"
    return response
