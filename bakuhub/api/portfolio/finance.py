"""Money: budgets and transactions of the projects you may see, in their own currency and in USD and EUR at their
value date (converted with the secretariat's rates table; a missing rate is refused, never fetched)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from bakuhub.core.errors import NotFound, ValidationFailed
from bakuhub.finance import services
from bakuhub.finance.models import Budget, Transaction

from ..auth import WRITE_AUTH, actor_of, writer
from ..common import country_by_iso3, paginate
from ..etag import respond
from ..schemas import PageOut
from ..types import Id, Limit, Offset
from .common import READ_ERRORS, WRITE_ERRORS, Viewer, choice, organisation_for, project_for, router, visible_projects
from .rendering import render_budget, render_transaction
from .schemas import BudgetIn, BudgetOut, TransactionIn, TransactionOut

M = TypeVar("M", Budget, Transaction)


class MoneyFilters(Schema):
    project: Id | None = None
    country: str | None = None
    kind: str | None = None
    year: int | None = None
    limit: Limit = 50
    offset: Offset = 0


def _year(year: int | None) -> int | None:
    if year is not None and not 1900 <= year <= 2200:
        msg = f"'{year}' is not a year."
        raise ValidationFailed(msg, errors={"year": [msg]})
    return year


def _scoped(actor: Viewer, qs: QuerySet[M], filters: MoneyFilters) -> QuerySet[M]:
    """Rows of the projects `actor` may see, narrowed by the project and country filters."""
    projects = visible_projects(actor)
    if filters.project is not None:
        projects = projects.filter(pk=project_for(actor, filters.project).pk)
    if filters.country:
        projects = projects.filter(country=country_by_iso3(filters.country))
    return qs.filter(project__in=projects.order_by().values("pk")).select_related("project__country")


def _budget(actor: Viewer, pk: int) -> Budget:
    budget = _scoped(actor, Budget.objects.all(), MoneyFilters()).filter(pk=pk).first()
    if budget is None:
        raise NotFound(f"No budget {pk} that you can see.")
    return budget


def _transaction(actor: Viewer, pk: int) -> Transaction:
    row = _scoped(actor, Transaction.objects.all(), MoneyFilters()).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"No transaction {pk} that you can see.")
    return row


@router.get("/budgets", response={200: PageOut[BudgetOut], **READ_ERRORS}, tags=["finance"])
def budget_list(request: HttpRequest, filters: Query[MoneyFilters]) -> HttpResponse:
    """Budgets of the projects you may see, by period. Filters: `project` (id), `country` (ISO3), `kind` (1 original,
    2 revised), `year` (the year the period starts)."""
    qs = _scoped(actor_of(request), Budget.objects.all(), filters)
    if choice(filters.kind, Budget.Kind, "kind"):
        qs = qs.filter(kind=filters.kind)
    if _year(filters.year) is not None:
        qs = qs.filter(period_start__year=filters.year)
    qs = qs.order_by("project__identifier", "period_start", "id")
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render_budget))


@router.get("/transactions", response={200: PageOut[TransactionOut], **READ_ERRORS}, tags=["finance"])
def transaction_list(request: HttpRequest, filters: Query[MoneyFilters]) -> HttpResponse:
    """Transactions of the projects you may see. Filters: `project` (id), `country` (ISO3), `kind` (1 incoming
    funds, 2 outgoing commitment, 3 disbursement, 4 expenditure, 11 incoming commitment), `year`."""
    qs = _scoped(actor_of(request), Transaction.objects.all(), filters)
    if choice(filters.kind, Transaction.Kind, "kind"):
        qs = qs.filter(kind=filters.kind)
    if _year(filters.year) is not None:
        qs = qs.filter(transaction_date__year=filters.year)
    qs = qs.select_related("provider_organisation", "receiver_organisation").order_by(
        "project__identifier", "transaction_date", "id"
    )
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=render_transaction))


@router.post("/projects/{pk}/budgets", auth=WRITE_AUTH, response={201: BudgetOut, **WRITE_ERRORS}, tags=["finance"])
def budget_create(request: HttpRequest, pk: Id, payload: BudgetIn) -> HttpResponse:
    """Add a budget for one period of at most a year inside the project's planned dates (those who may edit the
    project). Its value is converted at `value_date` (default: the period start)."""
    actor = writer(request)
    project = project_for(actor, pk)
    budget = services.budget_create(actor=actor, project=project, **payload.model_dump())
    return respond(request, render_budget(_budget(actor, budget.pk)), status=201)


@router.post(
    "/projects/{pk}/transactions", auth=WRITE_AUTH, response={201: TransactionOut, **WRITE_ERRORS}, tags=["finance"]
)
def transaction_create(request: HttpRequest, pk: Id, payload: TransactionIn) -> HttpResponse:
    """Record money promised, received, paid or spent, converted at `value_date` (default: the transaction date).
    Only commitments may be negative (de-commitments)."""
    actor = writer(request)
    project = project_for(actor, pk)
    data = payload.model_dump()
    row = services.transaction_create(
        actor=actor,
        project=project,
        provider_organisation=organisation_for(data.pop("provider_organisation"), "provider_organisation"),
        receiver_organisation=organisation_for(data.pop("receiver_organisation"), "receiver_organisation"),
        **data,
    )
    return respond(request, render_transaction(_transaction(actor, row.pk)), status=201)


@router.delete("/budgets/{pk}", auth=WRITE_AUTH, response={204: None, **WRITE_ERRORS}, tags=["finance"])
def budget_delete(request: HttpRequest, pk: Id) -> HttpResponse:
    actor = writer(request)
    services.budget_delete(actor=actor, budget=_budget(actor, pk))
    return HttpResponse(status=204)


@router.delete("/transactions/{pk}", auth=WRITE_AUTH, response={204: None, **WRITE_ERRORS}, tags=["finance"])
def transaction_delete(request: HttpRequest, pk: Id) -> HttpResponse:
    actor = writer(request)
    services.transaction_delete(actor=actor, transaction=_transaction(actor, pk))
    return HttpResponse(status=204)
