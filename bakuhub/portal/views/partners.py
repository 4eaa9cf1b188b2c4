from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakuhub.core.errors import DomainError
from bakuhub.partners import selectors, services
from bakuhub.partners.permissions import can

from ..forms import VersionUploadForm
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
    context = {
        "memo": memo,
        "can_edit": can(request.user, "change_memorandum", memo),
        "form": VersionUploadForm(),
        "audit": selectors.audit_for(user=request.user, obj=memo)[:50],
    }
    return render(request, "portal/memorandum.html", context)


@login_required
@require_POST
def memorandum_upload(request: HttpRequest, pk: int) -> HttpResponse:
    memo = selectors.memorandum_detail(user=request.user, pk=pk)
    if memo is None:
        raise Http404(_("No memorandum %(pk)s that you can see.") % {"pk": pk})
    if not can(request.user, "change_memorandum", memo):
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
    context = {"memo": memo, "can_edit": True, "form": form, "audit": []}
    return render(request, "portal/memorandum.html", context, status=400)
