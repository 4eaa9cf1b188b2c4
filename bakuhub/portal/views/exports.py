"""List exports as CSV or XLSX: actions (insiders, login required), decisions and commitments (public, filtered by
what the viewer may see). Filters come from the query string; a bad or unknown one is a 400 that names it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import timezone
from django.views.decorators.http import require_safe

from bakuhub.commitments.models import Commitment
from bakuhub.commitments.selectors import commitment_list
from bakuhub.core.models import Country
from bakuhub.reports.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Header,
    Rows,
    action_rows,
    commitment_rows,
    decision_rows,
    rows_to_csv,
    rows_to_xlsx,
)
from bakuhub.working_groups import selectors as jwg_selectors
from bakuhub.working_groups.models import ActionItem, Decision, WorkingGroup

FORMATS = ("csv", "xlsx")
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


class BadFilter(Exception):
    pass


def _single(query: QueryDict, name: str) -> str:
    values = query.getlist(name)
    if len(values) > 1:
        raise BadFilter(f"'{name}' is given {len(values)} times; give it once.")
    return values[0].strip() if values else ""


def _check_names(query: QueryDict, allowed: tuple[str, ...], kind: str) -> None:
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise BadFilter(f"Unknown filter '{unknown[0]}' for {kind}; use {', '.join(allowed)}.")


def _group(query: QueryDict) -> WorkingGroup | None:
    raw = _single(query, "group")
    if not raw:
        return None
    group = WorkingGroup.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
    if group is None:
        raise BadFilter(f"group '{raw}' is not a Joint Working Group id.")
    return group


def _country(query: QueryDict) -> Country | None:
    raw = _single(query, "country")
    if not raw:
        return None
    country = Country.objects.filter(iso3=raw.upper()).first() if len(raw) == 3 and raw.isalpha() else None
    if country is None:
        raise BadFilter(f"country '{raw}' is not an ISO 3166-1 alpha-3 code we know, e.g. TCD.")
    return country


def _status(query: QueryDict, values: list[str]) -> str | None:
    raw = _single(query, "status")
    if raw and raw not in values:
        raise BadFilter(f"status '{raw}' is not one of {', '.join(values)}.")
    return raw or None


def _overdue(query: QueryDict) -> bool | None:
    raw = _single(query, "overdue").lower()
    if not raw:
        return None
    if raw not in TRUE + FALSE:
        raise BadFilter(f"overdue '{raw}' must be 1 or 0.")
    return raw in TRUE


def _actions(request: HttpRequest) -> tuple[Header, Rows]:
    query = request.GET
    _check_names(query, ("group", "status", "overdue", "country"), "actions")
    group, country = _group(query), _country(query)
    qs = jwg_selectors.action_list(
        user=request.user, group=group, status=_status(query, ActionItem.Status.values), overdue=_overdue(query)
    )
    if country is not None:
        qs = qs.filter(working_group__country=country)
    return action_rows(qs)


def _decisions(request: HttpRequest) -> tuple[Header, Rows]:
    query = request.GET
    _check_names(query, ("group", "status", "country"), "decisions")
    group, country = _group(query), _country(query)
    qs = jwg_selectors.decision_list(group=group, status=_status(query, Decision.Status.values))
    if country is not None:
        qs = qs.filter(working_group__country=country)
    return decision_rows(qs, user=request.user)


def _commitments(request: HttpRequest) -> tuple[Header, Rows]:
    query = request.GET
    _check_names(query, ("status", "country", "kind"), "commitments")
    kind = _single(query, "kind")
    if kind and kind not in Commitment.Kind.values:
        raise BadFilter(f"kind '{kind}' is not one of {', '.join(Commitment.Kind.values)}.")
    qs = commitment_list(
        user=request.user,
        status=_status(query, Commitment.Status.values),
        country=_country(query),
        kind=kind or None,
    )
    return commitment_rows(qs)


def _export(
    request: HttpRequest, kind: str, fmt: str, build: Callable[[HttpRequest], tuple[Header, Rows]]
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(f"No '{fmt}' export; use .csv or .xlsx.")
    try:
        header, rows = build(request)
    except BadFilter as exc:
        return HttpResponseBadRequest(f"Bad filter: {exc}", content_type="text/plain; charset=utf-8")
    if fmt == "csv":
        response = HttpResponse(rows_to_csv(header, rows), content_type=CSV_CONTENT_TYPE)
    else:
        content = rows_to_xlsx(header, rows, sheet_title=kind.capitalize())
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"bakuhub-{kind}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def export_actions(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, "actions", fmt, _actions)


@require_safe
def export_decisions(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, "decisions", fmt, _decisions)


@require_safe
def export_commitments(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, "commitments", fmt, _commitments)
