"""The Joint Working Group managers' forms: schedule a meeting, record a decision, assign an action. Thin: reads go
through the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bakuhub.accounts.models import User
from bakuhub.commitments import selectors as commitment_selectors
from bakuhub.core.errors import DomainError, ValidationFailed
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import WorkingGroup
from bakuhub.working_groups.permissions import can
from bakuhub.working_groups.timezones import zone_for_country

from ..forms_jwg import COMMON_ZONES, ActionForm, DecisionForm, MeetingForm
from .errors import attach
from .working_groups import _group, _user


def _managed_group(request: HttpRequest, pk: int, rule: str) -> tuple[User, WorkingGroup]:
    user = _user(request)
    group = _group(pk)
    if not can(user, rule, group):
        raise PermissionDenied(
            _("Only the secretariat and the focal points of %(country)s manage this group.")
            % {"country": group.country.name}
        )
    return user, group


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_meetings")
    initial = {"timezone": zone_for_country(group.country.iso3), "language": "en"}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meeting = services.meeting_create(
                    actor=user,
                    working_group=group,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    timezone=data["timezone"],
                    place=data["place"],
                    online_url=data["online_url"],
                    language=data["language"],
                    is_example=data["is_example"],
                )
                for title in form.agenda_titles():
                    try:
                        services.agenda_item_add(actor=user, meeting=meeting, title=title)
                    except DomainError as exc:
                        raise ValidationFailed(exc.message, errors={"agenda": [exc.message]}) from exc
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Meeting '%(title)s' scheduled.") % {"title": meeting.title})
            return redirect("portal:meeting", pk=group.pk, meeting_pk=meeting.pk)
    return _form_page(request, "portal/jwg/meeting_form.html", {"group": group, "form": form, "zones": COMMON_ZONES})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_decisions")
    form = DecisionForm(
        request.POST or None,
        group=group,
        meetings=selectors.meeting_list(group=group),
        commitments=commitment_selectors.commitment_list(user=user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                actor=user,
                working_group=group,
                text=data["text"],
                decided_on=data["decided_on"],
                meeting=data["meeting"],
                agenda_item=data["agenda_item"],
                status=data["status"],
                commitments=list(data["commitments"]),
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Decision %(ref)s recorded.") % {"ref": decision.reference})
            return redirect("portal:working_group", pk=group.pk)
    return _form_page(request, "portal/jwg/decision_form.html", {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, group = _managed_group(request, pk, "manage_actions")
    form = ActionForm(
        request.POST or None,
        members=selectors.working_group_members(group=group),
        decisions=selectors.decision_list(group=group),
        meetings=selectors.meeting_list(group=group),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_item_create(
                actor=user,
                working_group=group,
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                decision=data["decision"],
                meeting=data["meeting"],
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(
                request, _("Action '%(title)s' assigned to %(owner)s.") % {"title": action.title, "owner": action.owner}
            )
            return redirect("portal:working_group", pk=group.pk)
    return _form_page(request, "portal/jwg/action_form.html", {"group": group, "form": form})
