from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bakuhub.core.errors import DomainError
from bakuhub.core.models import Country
from bakuhub.partners import selectors, services
from bakuhub.partners.lifecycle import Stage, allowed_next
from bakuhub.partners.models import Membership
from bakuhub.partners.permissions import can

from ..forms import TransitionForm
from .errors import attach


def _country(iso3: str) -> Country:
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(_("No country with the code '%(code)s'.") % {"code": iso3[:10]})
    return country


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    membership = selectors.membership_for_country(user=request.user, country=country)
    events = list(selectors.membership_events(membership=membership)) if membership else []
    context = {
        "country": country,
        "membership": membership,
        "events": events,
        "memoranda": selectors.memorandum_list(user=request.user, country=country),
        "hub_events": selectors.hub_events(country=country),
        "can_advance": membership is not None and can(request.user, "advance_membership", membership),
        "audit": selectors.audit_for(user=request.user, obj=membership)[:50] if membership else [],
    }
    return render(request, "portal/country.html", context)


def _allowed(membership: Membership) -> list[Stage]:
    paused = Stage(membership.paused_from) if membership.paused_from else None
    return allowed_next(Stage(membership.stage), paused)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, iso3: str) -> HttpResponse:
    """Record a lifecycle step with evidence. Served whole or, for htmx, as the form fragment."""
    country = _country(iso3)
    membership = get_object_or_404(selectors.membership_list(user=request.user), country=country)
    if not can(request.user, "advance_membership", membership):
        raise PermissionDenied(_("You may not change the membership of %(country)s.") % {"country": country.name})
    form = TransitionForm(request.POST or None, request.FILES or None, allowed=_allowed(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_advance(
                actor=request.user,  # type: ignore[arg-type]
                membership=membership,
                to_stage=data["to_stage"],
                occurred_on=data["occurred_on"],
                date_precision=data["date_precision"],
                source_title=data["source_title"],
                source_url=data["source_url"],
                source_publisher=data["source_publisher"],
                document=data["document"],
                note=data["note"],
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Recorded: %(country)s moved to a new stage.") % {"country": country.name})
            target = reverse("portal:country", kwargs={"iso3": country.iso3})
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
    template = "portal/_transition_form.html" if request.htmx else "portal/transition.html"  # type: ignore[attr-defined]
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"country": country, "membership": membership, "form": form}, status=status)
