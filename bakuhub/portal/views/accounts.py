from __future__ import annotations

import csv
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bakuhub.accounts import lockout
from bakuhub.accounts import selectors as account_selectors
from bakuhub.accounts import services as account_services
from bakuhub.accounts.addresses import client_address
from bakuhub.accounts.models import ApiToken, User
from bakuhub.accounts.permissions import is_secretariat
from bakuhub.core.errors import DomainError
from bakuhub.core.exports import spreadsheet_safe
from bakuhub.core.models import AuditRecord

from ..forms import TokenForm
from .errors import attach


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation; a new password also ends the account's sign-in lockout."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        lockout.clear_after_password_reset(form.user)
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The answer to a sign-in while the username or the address is locked out (portal and admin): 429, saying
    when to try again."""
    username = (credentials or {}).get("username") or request.POST.get("username") or None
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    until = lockout.retry_at(username=username, address=address)
    message = _("Too many failed sign-ins. Try again after %(time)s UTC.") % {"time": lockout.minute_label(until)}
    response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(math.ceil((until - timezone.now()).total_seconds()), 1))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and create one; the new token is shown on this response only."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = account_services.api_token_create(
                actor=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            form = TokenForm()
    context = {"tokens": account_selectors.api_token_list(user=user), "form": form, "new_token": new_token}
    response = render(request, "portal/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    account_services.api_token_revoke(actor=_user(request), token=token)
    messages.success(request, _("Token '%(name)s' revoked.") % {"name": token.name})
    return redirect("portal:tokens")


@login_required
def audit_csv(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    """The audit trail of one object as CSV (secretariat only), with spreadsheet formulas neutralised."""
    if not is_secretariat(request.user):
        raise PermissionDenied(_("Only the Hub secretariat can read the audit trail."))
    records = AuditRecord.objects.filter(object_type=label[:100], object_id=pk[:64]).order_by("created_at", "id")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{label.replace(".", "-")}-{pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "created_at",
            "request_id",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object",
            "field",
            "before",
            "after",
        ]
    )
    for r in records:
        rows = r.changes.items() or [("", [None, None])]
        for field, (before, after) in rows:
            writer.writerow(
                [
                    spreadsheet_safe(v)
                    for v in (
                        r.created_at.isoformat(),
                        r.request_id,
                        r.actor_label,
                        r.action,
                        r.object_type,
                        r.object_id,
                        r.object_repr,
                        field,
                        "" if before is None else before,
                        "" if after is None else after,
                    )
                ]
            )
    return response
