"""Action-item pages: 'my actions', the overdue board and the htmx status form. Thin: reads go through the
selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakuhub.core.errors import DomainError
from bakuhub.working_groups import selectors, services
from bakuhub.working_groups.models import ActionItem, WorkingGroup
from bakuhub.working_groups.permissions import can

from ..forms_jwg import ActionStatusForm
from .errors import attach
from .working_groups import ActionRow, _rows, _user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _row_context(row: ActionRow, form: ActionStatusForm | None, next_url: str) -> dict[str, Any]:
    return {"row": row, "statuses": ActionItem.Status.choices, "form": form, "next_url": next_url}


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = _rows(user, selectors.my_actions(user=user).select_related("owner__user"))
    return render(request, "portal/jwg/my_actions.html", {"rows": rows, "statuses": ActionItem.Status.choices})


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    allowed = selectors.insider_group_ids(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(
            _("The overdue board is for the secretariat, funders, focal points and members of a Joint Working Group.")
        )
    by_group: dict[int, tuple[WorkingGroup, list[ActionRow]]] = {}
    for row in _rows(user, selectors.overdue_board(user=user)):
        group = row.action.working_group
        by_group.setdefault(group.pk, (group, []))[1].append(row)
    boards = sorted(by_group.values(), key=lambda item: (item[0].country.name, item[0].name))
    context = {"boards": boards, "total": sum(len(rows) for _, rows in boards), "statuses": ActionItem.Status.choices}
    return render(request, "portal/jwg/overdue.html", context)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal:my_actions")


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an action's status (its owner or a manager). htmx gets the updated row; a plain form a redirect."""
    user = _user(request)
    action = selectors.action_list(user=user).filter(pk=pk).first()
    if action is None and not ActionItem.objects.filter(pk=pk).exists():
        raise Http404(_("No action item %(pk)s.") % {"pk": pk})
    if action is None or not can(user, "update_action_status", action):
        raise PermissionDenied(_("Only the action's owner or the group's managers may change its status."))
    form = ActionStatusForm(request.POST)
    changed = False
    if form.is_valid():
        try:
            action = services.action_item_update(actor=user, action=action, status=form.cleaned_data["status"])
        except DomainError as exc:
            attach(form, exc)
        else:
            changed = True
    if _is_htmx(request):
        row = _rows(user, [action])[0]
        return render(
            request, "portal/jwg/_action_row.html", _row_context(row, None if changed else form, _next_url(request))
        )
    if changed:
        shown = {"title": action.title, "status": action.get_status_display()}
        messages.success(request, _("'%(title)s' is now %(status)s.") % shown)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_next_url(request))
