"""Budgets and transactions: the lists (amounts as strings, in their currency and in USD and EUR), the filters, the
writes with their audit records, and the bad input of the issue (unknown currency, no rate for the date) refused
with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget, Transaction
from bakuhub.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

BUDGET = {"period_start": "2026-01-01", "period_end": "2026-12-31", "amount": "600000", "currency": "XOF"}
DISBURSEMENT = {
    "kind": "3",
    "transaction_date": "2025-03-15",
    "amount": "1200.50",
    "currency": "eur",
    "receiver_organisation": "iom",
    "description": "First tranche",
}


def send(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def budget(project, start, amount, currency="USD", kind="1"):
    return Budget.objects.create(
        project=project, period_start=start, period_end=start.replace(month=12, day=31), kind=kind, amount=amount,
        currency=currency, value_date=start, amount_usd=amount, amount_eur=amount * Decimal("0.8"),
    )  # fmt: skip


def transaction(project, day, amount, kind="3", **fields):
    return Transaction.objects.create(
        project=project, kind=kind, transaction_date=day, amount=amount, currency="USD", value_date=day,
        amount_usd=amount, amount_eur=amount * Decimal("0.8"), **fields,
    )  # fmt: skip


@pytest.fixture
def books(chad_project, guinea_bissau, undp, gcf):
    hidden = ProjectFactory(country=guinea_bissau, lead_organisation=undp, identifier="XM-DAC-41114-GW-9",
                            is_public=False)  # fmt: skip
    return {
        "b2025": budget(chad_project, dt.date(2025, 1, 1), Decimal("100000")),
        "b2026": budget(chad_project, dt.date(2026, 1, 1), Decimal("150000"), kind="2"),
        "hidden": budget(hidden, dt.date(2025, 1, 1), Decimal("999")),
        "t_in": transaction(chad_project, dt.date(2025, 2, 1), Decimal("50000"), kind="1", provider_organisation=gcf),
        "t_out": transaction(chad_project, dt.date(2024, 6, 1), Decimal("7000.25")),
        "t_hidden": transaction(hidden, dt.date(2025, 2, 1), Decimal("1")),
    }


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_it_lists_budgets_with_amounts_as_strings(books, chad_project):
    response = client_for(None).get("/api/v1/budgets")
    assert response["ETag"]
    items = response.json()["items"]
    assert [i["id"] for i in items] == [books["b2025"].pk, books["b2026"].pk]
    assert items[0] == {
        "id": books["b2025"].pk, "project_id": chad_project.pk, "project_identifier": chad_project.identifier,
        "country_iso3": "TCD", "period_start": "2025-01-01", "period_end": "2025-12-31", "status": "1", "kind": "1",
        "amount": "100000.00", "currency": "USD", "value_date": "2025-01-01", "amount_usd": "100000.00",
        "amount_eur": "80000.00",
    }  # fmt: skip


def test_it_lists_transactions_with_their_organisations(books, chad_project):
    items = client_for(None).get("/api/v1/transactions").json()["items"]
    assert [i["id"] for i in items] == [books["t_out"].pk, books["t_in"].pk]
    assert items[1] | {"id": 0} == {
        "id": 0, "project_id": chad_project.pk, "project_identifier": chad_project.identifier, "country_iso3": "TCD",
        "kind": "1", "kind_name": "Incoming funds", "transaction_date": "2025-02-01", "amount": "50000.00",
        "currency": "USD", "value_date": "2025-02-01", "amount_usd": "50000.00", "amount_eur": "40000.00",
        "provider_organisation": "gcf", "provider_name": "", "receiver_organisation": None, "receiver_name": "",
        "description": "",
    }  # fmt: skip


def test_the_secretariat_also_sees_the_money_of_projects_that_are_not_public(books, secretariat):
    client = client_for(secretariat)
    assert books["hidden"].pk in listed(client, "/api/v1/budgets")
    assert books["t_hidden"].pk in listed(client, "/api/v1/transactions")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/budgets?kind=2", ["b2026"]),
        ("/api/v1/budgets?year=2025", ["b2025"]),
        ("/api/v1/budgets?country=TCD&year=2026", ["b2026"]),
        ("/api/v1/budgets?country=GNB", []),
        ("/api/v1/transactions?kind=1", ["t_in"]),
        ("/api/v1/transactions?year=2024", ["t_out"]),
        ("/api/v1/transactions?country=tcd&kind=3", ["t_out"]),
    ],
)
def test_it_filters_the_money(books, url, expected):
    assert listed(client_for(None), url) == [books[name].pk for name in expected]


def test_it_filters_by_project(books, chad_project, secretariat):
    assert listed(client_for(None), f"/api/v1/budgets?project={chad_project.pk}") == [
        books["b2025"].pk, books["b2026"].pk,
    ]  # fmt: skip
    hidden = books["hidden"].project_id
    assert client_for(None).get(f"/api/v1/budgets?project={hidden}").status_code == 404
    assert listed(client_for(secretariat), f"/api/v1/transactions?project={hidden}") == [books["t_hidden"].pk]


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/budgets?kind=3", 400, "kind"),
        ("/api/v1/transactions?kind=12", 400, "kind"),
        ("/api/v1/transactions?year=20", 400, "year"),
        ("/api/v1/budgets?country=XXX", 404, None),
        ("/api/v1/budgets?project=abc", 400, "project"),
    ],
)
def test_it_refuses_bad_filters(books, url, status, field):
    response = client_for(None).get(url)
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["errors"]


def test_an_editor_adds_a_budget_converted_at_the_period_start(chad_project, exchange_rates, iom_editor):
    response = send(client_for(iom_editor), "POST", f"/api/v1/projects/{chad_project.pk}/budgets", BUDGET)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["currency"], body["amount_usd"], body["amount_eur"]) == (
        "600000.00", "XOF", "1000.00", "800.00",
    )  # fmt: skip
    assert AuditRecord.objects.get().action == "budget.create"


def test_an_editor_records_a_transaction_converted_at_its_date(chad_project, exchange_rates, iom_editor):
    response = send(client_for(iom_editor), "POST", f"/api/v1/projects/{chad_project.pk}/transactions", DISBURSEMENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["amount"], body["currency"], body["amount_usd"], body["amount_eur"]) == (
        "3", "1200.50", "EUR", "1500.62", "1200.50",  # 1500.625, rounded half-even
    )  # fmt: skip
    assert (body["receiver_organisation"], body["description"]) == ("iom", "First tranche")
    assert AuditRecord.objects.get().action == "transaction.create"


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("transactions", {"currency": "XYZ"}, "currency"),
        ("transactions", {"currency": "GBP"}, "value_date"),
        ("transactions", {"transaction_date": "2023-03-15"}, "value_date"),
        ("transactions", {"kind": "3", "amount": "-5"}, "amount"),
        ("transactions", {"amount": "12.345"}, "amount"),
        ("transactions", {"amount": "lots"}, "amount"),
        ("transactions", {"kind": "7"}, "kind"),
        ("transactions", {"transaction_date": "2099-01-01"}, "transaction_date"),
        ("transactions", {"provider_organisation": "nobody"}, "provider_organisation"),
        ("budgets", {"currency": "ABC"}, "currency"),
        ("budgets", {"currency": "GBP"}, "value_date"),
        ("budgets", {"period_start": "2023-01-01", "period_end": "2023-12-31"}, "period_end"),
        ("budgets", {"period_end": "2027-06-30"}, "period_end"),
        ("budgets", {"status": "3"}, "status"),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else value,
)
def test_bad_money_is_refused_and_nothing_is_written(
    chad_project, exchange_rates, secretariat, portfolio_rows, kind, change, field
):
    body = {**(DISBURSEMENT if kind == "transactions" else BUDGET), **change}
    before = portfolio_rows()
    response = send(client_for(secretariat), "POST", f"/api/v1/projects/{chad_project.pk}/{kind}", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert portfolio_rows() == before


def test_an_unknown_currency_and_a_missing_rate_are_named(chad_project, exchange_rates, secretariat):
    client = client_for(secretariat)
    url = f"/api/v1/projects/{chad_project.pk}/transactions"
    unknown = send(client, "POST", url, {**DISBURSEMENT, "currency": "XYZ"}).json()
    assert "'XYZ' is not an ISO 4217 currency code" in unknown["message"]
    missing = send(client, "POST", url, {**DISBURSEMENT, "transaction_date": "2023-03-15"}).json()
    assert "No EUR rate" in missing["message"] and "import rates first" in missing["message"]


def test_it_deletes_a_budget_and_a_transaction_with_an_audit_record(books, chad_focal_point):
    client = client_for(chad_focal_point)
    assert client.delete(f"/api/v1/budgets/{books['b2025'].pk}").status_code == 204
    assert client.delete(f"/api/v1/transactions/{books['t_out'].pk}").status_code == 204
    assert not Budget.objects.filter(pk=books["b2025"].pk).exists()
    assert not Transaction.objects.filter(pk=books["t_out"].pk).exists()
    assert sorted(AuditRecord.objects.values_list("action", flat=True)) == ["budget.delete", "transaction.delete"]


def test_money_you_may_not_see_is_not_found(books, chad_focal_point, portfolio_rows):
    before = portfolio_rows()
    client = client_for(chad_focal_point)
    assert client.delete(f"/api/v1/budgets/{books['hidden'].pk}").status_code == 404
    assert client.delete(f"/api/v1/transactions/{books['t_hidden'].pk}").status_code == 404
    assert client.delete("/api/v1/budgets/999999").status_code == 404
    assert portfolio_rows() == before


@pytest.mark.parametrize("amount", ["12345678901.23", "9999999999999.99"])
def test_an_accepted_amount_reads_back_exactly(chad_project, exchange_rates, secretariat, amount):
    client = client_for(secretariat)
    client.raise_request_exception = False
    body = {"kind": "1", "transaction_date": "2025-03-15", "amount": amount, "currency": "USD"}
    created = send(client, "POST", f"/api/v1/projects/{chad_project.pk}/transactions", body)
    listed = client.get(f"/api/v1/transactions?project={chad_project.pk}")
    assert (created.status_code, listed.status_code) == (201, 200)
    assert [t["amount"] for t in listed.json()["items"]] == [amount]


@pytest.mark.parametrize("amount", ["10000000000000.00", "12345678901234.56"])
def test_an_amount_beyond_15_digits_is_refused_and_nothing_is_written(
    chad_project, exchange_rates, secretariat, portfolio_rows, amount
):
    before = portfolio_rows()
    body = {"kind": "1", "transaction_date": "2025-03-15", "amount": amount, "currency": "USD"}
    response = send(client_for(secretariat), "POST", f"/api/v1/projects/{chad_project.pk}/transactions", body)
    assert response.status_code == 400
    assert "10^13" in response.json()["message"]
    assert portfolio_rows() == before
