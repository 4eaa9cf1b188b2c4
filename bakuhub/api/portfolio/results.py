"""The results framework: results → indicators → periods (targets and actuals, with disaggregation).

The public sees targets, approved actuals with small counts suppressed, and progress; the project's insiders see
everything (submitted and rejected actuals, comments, review). Partners on the project report; the secretariat
approves or rejects submitted actuals.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from bakuhub.core.downloads import download_url
from bakuhub.core.errors import NotFound, PermissionDenied, ValidationFailed
from bakuhub.partners.models import Organisation
from bakuhub.projects import selectors as project_selectors
from bakuhub.projects.models import Project
from bakuhub.results import selectors, services
from bakuhub.results.models import Indicator, IndicatorPeriod, Result
from bakuhub.results.selectors import IndicatorView, PeriodView, ResultView

from ..auth import WRITE_AUTH, actor_of, writer
from ..errors import ErrorOut
from ..etag import respond
from ..types import Id, Limit, Offset
from .common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Viewer,
    page_of,
    project_for,
    required_organisation,
    router,
    visible_projects,
)
from .rendering import number
from .schemas_results import (
    ActualIn,
    IndicatorIn,
    IndicatorOut,
    PeriodIn,
    PeriodOut,
    ResultIn,
    ResultOut,
    ResultPageOut,
    ReviewIn,
)

TAGS = ["results"]
REVIEW_ERRORS = {**WRITE_ERRORS, 409: ErrorOut}


class ResultFilters(Schema):
    project: Id | None = None
    view: Literal["public", "internal"] | None = None
    limit: Limit = 50
    offset: Offset = 0


# --- Rendering ------------------------------------------------------------------------------------------------


def _period(view: PeriodView, *, internal: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": view.id,
        "period_start": view.period_start,
        "period_end": view.period_end,
        "target_value": number(view.target_value),
        "actual_value": number(view.actual_value),
        "status": view.status,
        "progress": number(view.progress),
        "disaggregations": [
            {
                "dimension": c.dimension,
                "category": c.category,
                "target_value": number(c.target_value),
                "actual_value": number(c.actual_value),
            }
            for c in view.disaggregations
        ],
    }
    if internal:
        data.update(
            comment=view.comment,
            has_evidence=bool(view.evidence),
            evidence_url=download_url("file_result_evidence", view.id) if view.evidence else None,
            submitted_at=view.submitted_at,
            reviewed_at=view.reviewed_at,
            review_comment=view.review_comment,
        )
    return data


def _indicator(view: IndicatorView, *, internal: bool) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "measure": view.measure,
        "unit": view.unit,
        "ascending": view.ascending,
        "baseline_year": view.baseline_year,
        "baseline_value": number(view.baseline_value),
        "periods": [_period(p, internal=internal) for p in view.periods],
    }


def _result(view: ResultView, project: Project, slugs: dict[int, str], *, internal: bool) -> dict[str, Any]:
    return {
        "id": view.id,
        "project_id": project.pk,
        "kind": view.kind,
        "kind_name": view.kind_label,
        "title": view.title,
        "description": view.description,
        "reported_by": slugs.get(view.reported_by_id, ""),
        "reported_by_name": view.reported_by,
        "indicators": [_indicator(i, internal=internal) for i in view.indicators],
    }


def _views(actor: Viewer, project: Project, *, internal: bool) -> tuple[list[ResultView], dict[int, str]]:
    views = selectors.results_for_project(user=actor, project=project, public=not internal)
    ids = {v.reported_by_id for v in views}
    slugs = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "slug")) if ids else {}
    return views, slugs


def _internal_tree(actor: Viewer, project: Project) -> list[dict[str, Any]]:
    views, slugs = _views(actor, project, internal=True)
    return [_result(v, project, slugs, internal=True) for v in views]


def _find(tree: list[dict[str, Any]], level: str, pk: int) -> dict[str, Any]:
    """A result, indicator or period of an internal results tree, by id."""
    for result in tree:
        if level == "result" and result["id"] == pk:
            return result
        indicators: list[dict[str, Any]] = result["indicators"]
        for indicator in indicators:
            if level == "indicator" and indicator["id"] == pk:
                return indicator
            periods: list[dict[str, Any]] = indicator["periods"]
            for period in periods:
                if level == "period" and period["id"] == pk:
                    return period
    raise NotFound(f"No {level} {pk}.")


def _answer(request: HttpRequest, actor: Viewer, project: Project, level: str, pk: int, *, status: int) -> HttpResponse:
    schema: Any = {"result": ResultOut, "indicator": IndicatorOut, "period": PeriodOut}[level]
    data = _find(_internal_tree(actor, project), level, pk)
    return respond(request, schema.model_validate(data).model_dump(mode="json"), status=status)


# --- Lookups --------------------------------------------------------------------------------------------------


def _visible_ids(actor: Viewer) -> Any:
    return visible_projects(actor).order_by().values("pk")


def _result_row(actor: Viewer, pk: int) -> Result:
    row = Result.objects.select_related("project").filter(pk=pk, project__in=_visible_ids(actor)).first()
    if row is None:
        raise NotFound(f"No result {pk} that you can see.")
    return row


def _indicator_row(actor: Viewer, pk: int) -> Indicator:
    qs = Indicator.objects.select_related("result__project")
    row = qs.filter(pk=pk, result__project__in=_visible_ids(actor)).first()
    if row is None:
        raise NotFound(f"No indicator {pk} that you can see.")
    return row


def _period_row(actor: Viewer, pk: int) -> IndicatorPeriod:
    qs = IndicatorPeriod.objects.select_related("indicator__result__project")
    row = qs.filter(pk=pk, indicator__result__project__in=_visible_ids(actor)).first()
    if row is None:
        raise NotFound(f"No reporting period {pk} that you can see.")
    return row


# --- Endpoints ------------------------------------------------------------------------------------------------


@router.get("/results", response={200: ResultPageOut, **READ_ERRORS, 403: ErrorOut}, tags=TAGS)
def result_list(request: HttpRequest, filters: Query[ResultFilters]) -> HttpResponse:
    """The results tree of one project (`project` is required). The public view shows targets and approved actuals
    with small counts suppressed; the project's insiders get the internal view (everything) unless they ask for
    `view=public`."""
    actor = actor_of(request)
    if filters.project is None:
        msg = "Give the project whose results you want, e.g. ?project=12."
        raise ValidationFailed(msg, errors={"project": [msg]})
    project = project_for(actor, filters.project)
    insider = project_selectors.sees_internals(actor, project)
    if filters.view == "internal" and not insider:
        if not actor.is_authenticated:
            raise AuthenticationError()
        raise PermissionDenied(f"You may not see the internal results of project {project.identifier}.")
    internal = insider if filters.view is None else filters.view == "internal"
    views, slugs = _views(actor, project, internal=internal)
    render = lambda v: _result(v, project, slugs, internal=internal)  # noqa: E731
    page = page_of(views, limit=filters.limit, offset=filters.offset, render=render)
    page.update(project_id=project.pk, view="internal" if internal else "public")
    return respond(request, ResultPageOut.model_validate(page).model_dump(mode="json"))


@router.post("/projects/{pk}/results", auth=WRITE_AUTH, response={201: ResultOut, **WRITE_ERRORS}, tags=TAGS)
def result_create(request: HttpRequest, pk: Id, payload: ResultIn) -> HttpResponse:
    """Add a result (1 output, 2 outcome, 3 impact) reported by the lead or a participating organisation (the
    secretariat, the country's focal points and editors of the project's organisations)."""
    actor = writer(request)
    project = project_for(actor, pk)
    reported_by = required_organisation(payload.reported_by, "reported_by")
    result = services.result_create(
        actor=actor,
        project=project,
        kind=payload.kind,
        title=payload.title,
        reported_by=reported_by,
        description=payload.description,
    )
    return _answer(request, actor, project, "result", result.pk, status=201)


@router.post("/results/{pk}/indicators", auth=WRITE_AUTH, response={201: IndicatorOut, **WRITE_ERRORS}, tags=TAGS)
def indicator_create(request: HttpRequest, pk: Id, payload: IndicatorIn) -> HttpResponse:
    """Add an indicator (1 unit count or 2 percentage) with an optional dated baseline."""
    actor = writer(request)
    result = _result_row(actor, pk)
    indicator = services.indicator_create(actor=actor, result=result, **payload.model_dump())
    return _answer(request, actor, result.project, "indicator", indicator.pk, status=201)


@router.post("/indicators/{pk}/periods", auth=WRITE_AUTH, response={201: PeriodOut, **WRITE_ERRORS}, tags=TAGS)
def period_create(request: HttpRequest, pk: Id, payload: PeriodIn) -> HttpResponse:
    """Add a reporting period with its target, inside the project's dates and overlapping no other period."""
    actor = writer(request)
    indicator = _indicator_row(actor, pk)
    period = services.period_create(actor=actor, indicator=indicator, **payload.model_dump())
    return _answer(request, actor, indicator.result.project, "period", period.pk, status=201)


_ACTUAL_FIELDS = {"actual_value", "comment", "disaggregations"}
_CELL_SCHEMA = {
    "type": "object",
    "required": ["dimension", "category", "value"],
    "properties": {"dimension": {"type": "string"}, "category": {"type": "string"}, "value": {"type": "string"}},
}
_ACTUAL_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["actual_value"],
                "properties": {
                    "actual_value": {"type": "string", "description": "A number (string or number)"},
                    "comment": {"type": "string"},
                    "disaggregations": {"type": "array", "items": _CELL_SCHEMA},
                },
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["actual_value"],
                "properties": {
                    "actual_value": {"type": "string"},
                    "comment": {"type": "string"},
                    "disaggregations": {"type": "string", "description": "The JSON array of the JSON body"},
                    "evidence": {"type": "string", "format": "binary", "description": "PDF, DOCX or ODT"},
                },
            }
        },
    },
}


def _actual_input(request: HttpRequest) -> tuple[ActualIn, UploadedFile[Any] | None]:
    """The body of an actual: JSON, or multipart with an `evidence` file (`disaggregations` as a JSON string)."""
    evidence = None
    if request.content_type == "multipart/form-data":
        source = "form"
        unknown = sorted((set(request.POST) - _ACTUAL_FIELDS) | (set(request.FILES) - {"evidence"}))
        raw: Any = {key: request.POST[key] for key in _ACTUAL_FIELDS & set(request.POST)}
        if "disaggregations" in raw:
            try:
                raw["disaggregations"] = json.loads(raw["disaggregations"])
            except ValueError:
                msg = "disaggregations must be a JSON array of {dimension, category, value}."
                raise ValidationFailed(msg, errors={"disaggregations": [msg]}) from None
        evidence = request.FILES.get("evidence")
        if unknown:
            msg = f"Unknown field(s): {', '.join(unknown)}."
            raise ValidationFailed(msg, errors={key: ["Unknown field."] for key in unknown})
    elif request.content_type in ("application/json", ""):
        source = "body"
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError:
            raise HttpError(400, "Cannot parse request body") from None
    else:
        msg = "Send the actual as application/json, or as multipart/form-data with an evidence file."
        raise ValidationFailed(msg, errors={"__all__": [msg]})
    try:
        payload = ActualIn.model_validate(raw)
    except ValidationError as exc:
        errors = [{"loc": (source, "payload", *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        raise NinjaValidationError(errors) from None
    return payload, evidence


@router.post(
    "/periods/{pk}/actual",
    auth=WRITE_AUTH,
    response={200: PeriodOut, **REVIEW_ERRORS},
    tags=TAGS,
    openapi_extra={"requestBody": _ACTUAL_BODY},
)
def actual_submit(request: HttpRequest, pk: Id) -> HttpResponse:
    """Submit (or, after a rejection, resubmit) a period's actual for review, once the period has started and only
    inside the project's dates: JSON, or multipart with an `evidence` file (PDF, DOCX or ODT)."""
    actor = writer(request)
    period = _period_row(actor, pk)
    payload, evidence = _actual_input(request)
    cells = [(c.dimension, c.category, c.value) for c in payload.disaggregations]
    services.actual_submit(
        actor=actor,
        period=period,
        actual_value=payload.actual_value,
        comment=payload.comment,
        disaggregations=cells,
        evidence=evidence,
    )
    return _answer(request, actor, period.indicator.result.project, "period", pk, status=200)


@router.post("/periods/{pk}/review", auth=WRITE_AUTH, response={200: PeriodOut, **REVIEW_ERRORS}, tags=TAGS)
def actual_review(request: HttpRequest, pk: Id, payload: ReviewIn) -> HttpResponse:
    """Approve or reject a submitted actual (the secretariat; a rejection needs its reason, which the partner
    sees; nobody reviews their own submission)."""
    actor = writer(request)
    period = _period_row(actor, pk)
    services.actual_review(actor=actor, period=period, approve=payload.decision == "approve", comment=payload.comment)
    return _answer(request, actor, period.indicator.result.project, "period", pk, status=200)
