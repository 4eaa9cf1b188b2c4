from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bakuhub.core.errors import DomainError
from bakuhub.core.models import Country
from bakuhub.finance.selectors import finance_totals
from bakuhub.partners import selectors, services
from bakuhub.partners.lifecycle import MILESTONES, Stage, allowed_next
from bakuhub.partners.models import Membership
from bakuhub.partners.permissions import can
from bakuhub.projects import selectors as project_selectors
from bakuhub.projects.models import Location, Project

from ..forms import TransitionForm
from .errors import attach
from .projects import country_regions


def _country(iso3: str) -> Country:
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(_("No country with the code '%(code)s'.") % {"code": iso3[:10]})
    return country


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    country = _country(iso3)
    membership = selectors.membership_for_country(user=request.user, country=country)
    timeline = selectors.membership_timeline(membership=membership) if membership else []
    context = {
        "country": country,
        "membership": membership,
        "timeline": timeline,
        "shown_milestone": next(
            (e.milestone for e in timeline if e.milestone and membership and e.milestone.milestone == membership.stage),
            None,
        ),
        "memoranda": selectors.memorandum_list(user=request.user, country=country),
        "hub_events": selectors.hub_events(country=country),
        "can_advance": membership is not None and can(request.user, "advance_membership", membership),
        "audit": selectors.audit_for(user=request.user, obj=membership)[:50] if membership else [],
        **_portfolio(request, country),
    }
    return render(request, "portal/country.html", context)


COUNTRY_PAGE_PROJECTS = 25


@dataclass(frozen=True)
class CountryProject:
    project: Project
    provinces: list[str]


def _portfolio(request: HttpRequest, country: Country) -> dict[str, Any]:
    """The country's projects the viewer may see (the first ones; the list page has them all), the provinces they
    work in, their sources and their money. Hidden sites are never shown here, whoever looks (the project page shows
    them to insiders); a coarsened site is its province, which is what the public may see of it.

    A fixed number of queries whatever the number of projects: two counts, and when there are projects the list,
    its locations, the provinces worked in, the country's provinces (for the map, when there are any) and two money
    sums.
    """
    portfolio = project_selectors.country_portfolio(user=request.user, country=country)
    if not portfolio.total:
        return {"portfolio": portfolio}
    shown = Location.objects.exclude(sensitivity=Location.Sensitivity.HIDDEN).select_related("admin_unit")
    listed = portfolio.projects.prefetch_related(None).prefetch_related(
        Prefetch("locations", queryset=shown.order_by("admin_unit__name", "id"), to_attr="shown_locations")
    )[:COUNTRY_PAGE_PROJECTS]
    rows = [CountryProject(p, list(dict.fromkeys(loc.admin_unit.name for loc in p.shown_locations))) for p in listed]
    worked = set(
        shown.filter(project__in=portfolio.projects.order_by().values("pk"))
        .order_by()
        .values_list("admin_unit__pcode", flat=True)
        .distinct()
    )
    totals = finance_totals(user=request.user, by="country", country=country)
    return {
        "portfolio": portfolio,
        "portfolio_rows": rows,
        "portfolio_phases": [
            (phase, label, portfolio.by_phase[phase])
            for phase, label in Project.Phase.choices
            if portfolio.by_phase[phase]
        ],
        "portfolio_regions": country_regions(country.pk, worked) if worked else [],
        "portfolio_map_title": _("Provinces of %(country)s where the projects work") % {"country": country.name},
        "money": totals[0] if totals else None,
    }


def _allowed(membership: Membership) -> list[Stage]:
    paused = Stage(membership.paused_from) if membership.paused_from else None
    return allowed_next(Stage(membership.stage), paused)


def _open_milestones(membership: Membership) -> list[Stage]:
    recorded = set(membership.milestones.values_list("milestone", flat=True))
    return [stage for stage in MILESTONES if stage not in recorded]


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, iso3: str) -> HttpResponse:
    """Record a lifecycle step with evidence. Served whole or, for htmx, as the form fragment."""
    country = _country(iso3)
    membership = get_object_or_404(selectors.membership_list(user=request.user), country=country)
    if not can(request.user, "advance_membership", membership):
        raise PermissionDenied(_("You may not change the membership of %(country)s.") % {"country": country.name})
    form = TransitionForm(
        request.POST or None,
        request.FILES or None,
        milestones=_open_milestones(membership),
        allowed=_allowed(membership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = {
            "date_precision": data["date_precision"],
            "source_title": data["source_title"],
            "source_url": data["source_url"],
            "source_publisher": data["source_publisher"],
            "document": data["document"],
            "note": data["note"],
        }
        try:
            if data["to_stage"] in MILESTONES:
                services.membership_milestone_record(
                    actor=request.user,  # type: ignore[arg-type]
                    membership=membership,
                    milestone=data["to_stage"],
                    reached_on=data["occurred_on"],
                    inferred_from=data["inferred_from"],
                    **evidence,
                )
            else:
                services.membership_advance(
                    actor=request.user,  # type: ignore[arg-type]
                    membership=membership,
                    to_stage=data["to_stage"],
                    occurred_on=data["occurred_on"],
                    **evidence,
                )
        except DomainError as exc:
            attach(form, exc, aliases={"reached_on": "occurred_on", "milestone": "to_stage"})
        else:
            messages.success(request, _("Recorded: a step for %(country)s.") % {"country": country.name})
            target = reverse("portal:country", kwargs={"iso3": country.iso3})
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
    template = "portal/_transition_form.html" if request.htmx else "portal/transition.html"  # type: ignore[attr-defined]
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"country": country, "membership": membership, "form": form}, status=status)
