"""The project portfolio pages: the filtered, paginated list with its CSV/XLSX exports, and the project page (nexus
profile, tagging, a server-rendered map of the locations the viewer may see, money, results, documents, sources).
Thin: reads go through the selectors; the managers' forms are in `project_forms`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bakuhub.commitments.selectors import commitment_list
from bakuhub.core.codelists import codelist
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AdminUnit
from bakuhub.finance.selectors import ProjectFinance, project_finance
from bakuhub.projects import selectors
from bakuhub.projects.models import Project, Screening
from bakuhub.projects.permissions import can
from bakuhub.projects.screening_questions import QUESTIONS
from bakuhub.projects.selectors import PublicLocation
from bakuhub.projects.services import allowed_next_phases, approval_problems, project_warnings
from bakuhub.reports.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, rows_to_csv, rows_to_xlsx
from bakuhub.reports.project_exports import project_rows
from bakuhub.results.models import category_label, dimension_label
from bakuhub.results.selectors import IndicatorView, PeriodView, ResultView, results_for_project

from ..forms_projects import ProjectFilterForm
from ..templatetags.maps import Point, Region
from .errors import attach

PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")
DIMENSIONS = (("climate", gettext_lazy("Climate")), ("peace", gettext_lazy("Peace")),
              ("migration", gettext_lazy("Migration")))  # fmt: skip


# --- codelist names in the current language -------------------------------------------------------------------


def code_name(list_name: str, code: str) -> str:
    """The name of an IATI code in the current language (French when there is one), else the code itself."""
    row = codelist(list_name).get(str(code))
    if row is None:
        return str(code)
    if (get_language() or "en")[:2] == "fr" and row.get("name_fr"):
        return row["name_fr"]
    return row["name"]


@dataclass(frozen=True)
class SectorShare:
    code: str
    name: str
    percentage: Decimal


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    sectors: list[SectorShare]


def sector_shares(project: Project) -> list[SectorShare]:
    return [SectorShare(s.code, code_name("Sector", s.code), s.percentage) for s in project.sectors.all()]


def shown(value: Decimal | str | None) -> str:
    """A results figure as given: a number (grouped, trailing zeros dropped), a suppression mark, or a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        decimals = 0 if value == value.to_integral_value() else 2
        return str(number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True))
    return str(value)


@dataclass(frozen=True)
class ResultRow:
    """One period of one indicator, flattened for the results table; figures already formatted."""

    result: ResultView
    first_of_result: bool
    indicator: IndicatorView | None = None
    period: PeriodView | None = None
    baseline: str = "—"
    target: str = "—"
    actual: str = "—"
    progress: str = "—"
    cells: tuple[str, ...] = ()


def _period_row(result: ResultView, first: bool, indicator: IndicatorView, period: PeriodView | None) -> ResultRow:
    unit = "%" if indicator.measure == "2" else indicator.unit
    baseline = shown(indicator.baseline_value)
    if indicator.baseline_year:
        baseline = f"{baseline} ({indicator.baseline_year})"
    if period is None:
        return ResultRow(result, first, indicator, None, baseline)
    return ResultRow(
        result,
        first,
        indicator,
        period,
        baseline,
        target=f"{shown(period.target_value)} {unit}".strip(),
        actual=shown(period.actual_value),
        progress=f"{shown(period.progress)} %" if period.progress is not None else "—",
        cells=tuple(
            f"{dimension_label(c.dimension)} {category_label(c.category)}: {shown(c.actual_value)}"
            for c in period.disaggregations
        ),
    )


def result_rows(results: list[ResultView]) -> list[ResultRow]:
    """Results → indicators → periods as table rows (a result or indicator without children still gets a row)."""
    rows: list[ResultRow] = []
    for result in results:
        if not result.indicators:
            rows.append(ResultRow(result, True))
        for i, indicator in enumerate(result.indicators):
            periods: tuple[PeriodView | None, ...] = indicator.periods or (None,)
            for j, period in enumerate(periods):
                rows.append(_period_row(result, i == 0 and j == 0, indicator, period))
    return rows


# --- the list and its exports ---------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ProjectFilterForm, Any]:
    """The filter form and the filtered queryset (None when a filter is bad: the form then carries the errors)."""
    form = ProjectFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, selectors.project_list(user=request.user, **form.filters())
    except ValidationFailed as exc:
        attach(form, exc)
        return form, None


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = None
    rows: list[ProjectRow] = []
    if qs is not None:
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [ProjectRow(p, sector_shares(p)) for p in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "export_query": _without_page(request),
    }
    return render(request, "portal/projects/list.html", context, status=200 if qs is not None else 400)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list (every page) as CSV or XLSX; a bad filter is a 400 that names it."""
    if fmt not in FORMATS:
        raise Http404(f"No '{fmt[:10]}' export; use .csv or .xlsx.")
    form, qs = _filtered(request)
    if qs is None:
        problems = "; ".join(f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(f"Bad filter: {problems}", content_type="text/plain; charset=utf-8")
    header, rows = project_rows(qs)
    if fmt == "csv":
        response = HttpResponse(rows_to_csv(header, rows), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse(rows_to_xlsx(header, rows, sheet_title="Projects"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bakuhub-projects-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response


# --- the project page -----------------------------------------------------------------------------------------


def visible_project(request: HttpRequest, pk: int) -> Project:
    """The project with its parts (see `selectors.project_detail`), or 404 when the viewer may not see it."""
    project = selectors.project_detail(user=request.user, pk=pk)
    if project is None:
        raise Http404(_("No project %(pk)s that you can see.") % {"pk": pk})
    return project


def country_regions(country_id: int, worked: set[str]) -> list[Region]:
    """The country's admin-1 units (one query), those whose p-code is in `worked` highlighted."""
    units = AdminUnit.objects.filter(country_id=country_id, level=1).order_by("pcode")
    return [
        Region(pcode, name, geometry, pcode in worked)
        for pcode, name, geometry in units.values_list("pcode", "name", "geometry")
    ]


def map_regions(project: Project, locations: list[PublicLocation]) -> list[Region]:
    """The country's admin-1 units, those where the viewer may see the project work highlighted."""
    return country_regions(project.country_id, {location.admin1_pcode for location in locations})


def map_points(locations: list[PublicLocation]) -> list[Point]:
    """Points only for the locations shown with coordinates (never a hidden or coarsened site in public)."""
    return [
        Point(_location_label(location), location.latitude, location.longitude)
        for location in locations
        if location.latitude is not None and location.longitude is not None
    ]


def _location_label(location: PublicLocation) -> str:
    place = location.name or location.admin2_pcode or location.admin1_name
    return f"{place}, {location.admin1_name} ({location.latitude}, {location.longitude})"


@dataclass(frozen=True)
class Money:
    label: str
    usd: Decimal
    eur: Decimal


def finance_rows(finance: ProjectFinance) -> list[Money]:
    return [
        Money(_("Budget"), finance.budget_usd, finance.budget_eur),
        Money(_("Committed"), finance.committed_usd, finance.committed_eur),
        Money(_("Disbursed"), finance.disbursed_usd, finance.disbursed_eur),
        Money(_("Spent"), finance.spent_usd, finance.spent_eur),
    ]


def _screening(project: Project) -> Screening | None:
    try:
        return project.screening
    except Screening.DoesNotExist:
        return None


def _screening_rows(screening: Screening | None) -> list[tuple[str, str, str]]:
    answers = screening.answers if screening is not None else {}
    rows = []
    for question in QUESTIONS:
        given = answers.get(question.id) or {}
        rows.append((question.text, str(given.get("answer", "")), str(given.get("note", ""))))
    return rows


def _tagging(project: Project) -> dict[str, Any]:
    markers = [
        (m.code, code_name("PolicyMarker", m.code), code_name("PolicySignificance", str(m.significance)))
        for m in project.policy_markers.all()
    ]
    scope = None
    if project.humanitarian_scope_code:
        vocabulary = project.humanitarian_scope_vocabulary
        plan = code_name("HumanitarianPlan", project.humanitarian_scope_code) if vocabulary == "2-1" else ""
        scope = {
            "type": code_name("HumanitarianScopeType", project.humanitarian_scope_type),
            "vocabulary": code_name("HumanitarianScopeVocabulary", vocabulary),
            "code": project.humanitarian_scope_code,
            "plan": "" if plan == project.humanitarian_scope_code else plan,
        }
    nexus = [
        (
            str(label),
            getattr(project, f"{key}_score"),
            Project.Score(getattr(project, f"{key}_score")).label,
            getattr(project, f"{key}_justification"),
        )
        for key, label in DIMENSIONS
    ]
    return {"sectors": sector_shares(project), "markers": markers, "scope": scope, "nexus": nexus}


def _manager_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    can_change = can(request.user, "change_project", project)
    can_screen = can(request.user, "screen_project", project)
    next_phases = allowed_next_phases(project.phase) if can_change else []
    blocked = {}
    if Project.Phase.APPROVED in next_phases:
        if can_screen:
            blocked = approval_problems(project)
        else:
            next_phases = [phase for phase in next_phases if phase != Project.Phase.APPROVED]
    return {
        "can_change": can_change,
        "can_screen": can_screen,
        "next_phases": [(phase, Project.Phase(phase).label) for phase in next_phases],
        "approval_problems": [m for messages in blocked.values() for m in messages],
    }


def _results(request: HttpRequest, project: Project, internal: bool) -> list[ResultView]:
    return results_for_project(user=request.user, project=project, public=not internal)


@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    internal = selectors.sees_internals(request.user, project)
    locations: list[PublicLocation] = project.visible_locations  # type: ignore[attr-defined]
    finance = project_finance(project=project)
    screening = _screening(project) if internal else None
    context: dict[str, Any] = {
        "project": project,
        "internal": internal,
        **_tagging(project),
        "participants": project.participants.all(),
        "locations": locations,
        "map_regions": map_regions(project, locations),
        "map_points": map_points(locations),
        "finance": finance,
        "money": finance_rows(finance),
        "chart_rows": [(row.label, max(row.usd, Decimal(0))) for row in finance_rows(finance)],
        "gap_usd": abs(finance.funding_gap_usd),
        "gap_eur": abs(finance.funding_gap_eur),
        "budgets": project.budgets.order_by("period_start", "id"),
        "transactions": project.transactions.select_related("provider_organisation", "receiver_organisation").order_by(
            "transaction_date", "id"
        ),
        "results": result_rows(_results(request, project, internal)),
        "map_title": _("Provinces where %(title)s works, and its sites") % {"title": project.title},
        "documents": project.documents.all(),
        "decisions": project.decisions.all(),
        "commitments": commitment_list(user=request.user).filter(projects=project),
        "screening": screening,
        "screening_rows": _screening_rows(screening) if internal else [],
        "warnings": project_warnings(project) if internal else [],
        **_manager_context(request, project),
    }
    return render(request, "portal/projects/detail.html", context)
