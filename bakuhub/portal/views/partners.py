from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakuhub.core.errors import DomainError
from bakuhub.partners import selectors, services
from bakuhub.partners.models import Memorandum
from bakuhub.partners.permissions import can

from ..forms import SignatoryForm, VersionUploadForm
from .errors import attach


def organisation_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    organisations = selectors.organisation_list(search=search or None)
    return render(request, "portal/organisations.html", {"organisations": organisations, "q": search})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_list(), slug=slug)
    context = {
        "organisation": organisation,
        "contacts": selectors.organisation_contacts(user=request.user, organisation=organisation),
        "memoranda": selectors.memorandum_list(user=request.user).filter(party_organisations=organisation),
        "events": organisation.hub_events.order_by("occurred_on"),
        "can_edit": can(request.user, "change_organisation", organisation),
        "audit": selectors.audit_for(user=request.user, obj=organisation)[:50],
    }
    return render(request, "portal/organisation.html", context)


def memorandum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    memo = selectors.memorandum_detail(user=request.user, pk=pk)
    if memo is None:
        raise Http404(_("No memorandum %(pk)s that you can see.") % {"pk": pk})
    return render(request, "portal/memorandum.html", _memo_context(request, memo))


def _memo_context(request: HttpRequest, memo: Memorandum, **forms: Any) -> dict[str, Any]:
    return {
        "memo": memo,
        "can_edit": can(request.user, "change_memorandum_text", memo),
        "can_sign": can(request.user, "change_memorandum_text", memo),
        "form": forms.get("form") or VersionUploadForm(),
        "signatory_form": forms.get("signatory_form") or SignatoryForm(),
        "audit": selectors.audit_for(user=request.user, obj=memo)[:50],
    }


def _signable(request: HttpRequest, pk: int) -> Memorandum:
    memo = selectors.memorandum_detail(user=request.user, pk=pk)
    if memo is None:
        raise Http404(_("No memorandum %(pk)s that you can see.") % {"pk": pk})
    if not can(request.user, "change_memorandum_text", memo):
        raise PermissionDenied(
            _("Only the Hub secretariat may change these signatories; a party may change them only on its own draft.")
        )
    return memo


@login_required
@require_POST
def signatory_add(request: HttpRequest, pk: int) -> HttpResponse:
    memo = _signable(request, pk)
    form = SignatoryForm(request.POST)
    if form.is_valid():
        try:
            services.memorandum_signatory_add(
                actor=request.user,  # type: ignore[arg-type]
                memorandum=memo,
                **form.cleaned_data,
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Signatory added."))
            return redirect("portal:memorandum", pk=memo.pk)
    return render(request, "portal/memorandum.html", _memo_context(request, memo, signatory_form=form), status=400)


@login_required
@require_POST
def signatory_remove(request: HttpRequest, pk: int, signatory_id: int) -> HttpResponse:
    memo = _signable(request, pk)
    signatory = get_object_or_404(memo.signatories.all(), pk=signatory_id)
    services.memorandum_signatory_remove(actor=request.user, signatory=signatory)  # type: ignore[arg-type]
    messages.success(request, _("Signatory removed."))
    return redirect("portal:memorandum", pk=memo.pk)


@login_required
@require_POST
def memorandum_upload(request: HttpRequest, pk: int) -> HttpResponse:
    memo = selectors.memorandum_detail(user=request.user, pk=pk)
    if memo is None:
        raise Http404(_("No memorandum %(pk)s that you can see.") % {"pk": pk})
    if not can(request.user, "change_memorandum_text", memo):
        raise PermissionDenied(_("You may not edit this memorandum."))
    form = VersionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.memorandum_version_add(
                actor=request.user,  # type: ignore[arg-type]
                memorandum=memo,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Version %(n)s stored.") % {"n": version.number})
            return redirect("portal:memorandum", pk=memo.pk)
    return render(request, "portal/memorandum.html", _memo_context(request, memo, form=form), status=400)
