"""The secretariat's desks: the exchange-rates table (upload a CSV, see the latest rate of each currency) and the
results approval queue (approve or reject submitted actuals). Both are for the secretariat only. Thin: writes go
through `finance.services.rates_import` and `results.services.actual_review`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bakuhub.accounts.models import User
from bakuhub.core.errors import DomainError
from bakuhub.finance.models import ExchangeRate
from bakuhub.finance.services import rates_import
from bakuhub.projects.permissions import can
from bakuhub.results.models import IndicatorPeriod
from bakuhub.results.selectors import pending_actuals
from bakuhub.results.services import actual_review

from ..forms_projects import RatesUploadForm, ReviewForm
from .errors import attach


def _user(request: HttpRequest, rule: str, message: str) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can(user, rule):
        raise PermissionDenied(message)
    return user


# --- exchange rates -------------------------------------------------------------------------------------------


def latest_rates() -> QuerySet[ExchangeRate]:
    """The latest stored rate of every currency (one query)."""
    newest = ExchangeRate.objects.filter(currency=OuterRef("currency")).order_by("-on_date").values("on_date")[:1]
    return ExchangeRate.objects.filter(on_date=Subquery(newest)).order_by("currency")


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest) -> HttpResponse:
    """Upload the rates CSV: every row is checked first, then all are stored, or none (errors name their lines)."""
    user = _user(request, "import_rates", _("Only the Hub secretariat imports exchange rates."))
    form = RatesUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = rates_import(actor=user, file=upload, source=form.cleaned_data["source"] or upload.name)
            except DomainError as exc:
                attach(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Imported: %(summary)s") % {"summary": result.summary()})
                return redirect("portal:rates")
    return render(request, "portal/projects/rates.html", {"form": form, "rates": latest_rates()}, status=status)


# --- the results approval queue -------------------------------------------------------------------------------


def _queue(request: HttpRequest, user: User, forms: dict[int, ReviewForm], status: int = 200) -> HttpResponse:
    periods = pending_actuals(user=user).prefetch_related("disaggregations")
    rows = [(period, forms.get(period.pk) or ReviewForm()) for period in periods]
    return render(request, "portal/projects/pending.html", {"rows": rows}, status=status)


@login_required
@require_http_methods(["GET"])
def pending(request: HttpRequest) -> HttpResponse:
    user = _user(request, "approve_results", _("Only the Hub secretariat reviews submitted results."))
    return _queue(request, user, {})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, or reject with a reason the partner sees. A problem re-renders the queue with it on that row."""
    user = _user(request, "approve_results", _("Only the Hub secretariat reviews submitted results."))
    period: IndicatorPeriod | None = pending_actuals(user=user).filter(pk=pk).first()
    if period is None:
        raise Http404(_("No submitted actual %(pk)s waits for review.") % {"pk": pk})
    form = ReviewForm(request.POST)
    status = 400
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            actual_review(actor=user, period=period, approve=approve, comment=form.cleaned_data["comment"])
        except DomainError as exc:
            attach(form, exc)
            status = exc.status
        else:
            done: Any = _("Approved.") if approve else _("Rejected; the partner sees the reason.")
            messages.success(request, f"{period.indicator.title}, {period.period_start} to {period.period_end}: {done}")
            return redirect("portal:pending_results")
    return _queue(request, user, {period.pk: form}, status)
