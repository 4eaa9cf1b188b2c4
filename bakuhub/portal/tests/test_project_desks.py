"""The secretariat's desks: the exchange-rates upload (all rows or none, problems named by line) and the results
approval queue (approve, or reject with a reason; nobody else gets in)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import ExchangeRate
from bakuhub.results.models import IndicatorPeriod

from .project_helpers import add_result, pilot

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "rates-2025.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD = "currency,date,per_usd\nEUR,2025-01-01,0.92\nXOF,2025-01-01,603.5\nEUR,2025-02-01,0.95\n"
BAD = "currency,date,per_usd\nEUR,2025-01-01,0.92\nXXQ,2025-01-01,1\nXOF,2025-01-01,603.5\nEUR,2025-13-01,abc\n"


def test_the_secretariat_imports_rates_and_sees_the_latest_of_each_currency(secretariat):
    client = client_for(secretariat)
    response = client.post("/finance/rates/", {"file": csv_file(GOOD)})
    assert response.status_code == 302
    assert ExchangeRate.objects.count() == 3
    assert ExchangeRate.objects.get(currency="EUR", on_date=dt.date(2025, 2, 1)).source == "rates-2025.csv"
    page = client.get("/finance/rates/")
    html = page.content.decode()
    assert "3 rates for EUR, XOF from 2025-01-01 to 2025-02-01" in html
    assert "2025-02-01" in html and "0.95" in html and "603.5" in html
    assert "0.92" not in html.split("Latest rate of each currency")[1]


def test_a_bad_rates_file_names_its_lines_and_writes_nothing(secretariat):
    before = AuditRecord.objects.count()
    response = client_for(secretariat).post("/finance/rates/", {"file": csv_file(BAD), "source": "ECB"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was imported" in html
    assert "line 3:" in html and "line 5:" in html
    assert "line 2:" not in html and "line 4:" not in html
    assert ExchangeRate.objects.count() == 0
    assert AuditRecord.objects.count() == before


def test_a_file_with_the_wrong_header_is_refused(secretariat):
    response = client_for(secretariat).post("/finance/rates/", {"file": csv_file("code,day,rate\nEUR,2025-01-01,1\n")})
    assert response.status_code == 400
    assert "line 1: the header must be" in response.content.decode()


def test_only_the_secretariat_opens_the_rates_desk(chad_focal_point, gcf_funder, iom_editor):
    for user in (chad_focal_point, gcf_funder, iom_editor):
        assert client_for(user).get("/finance/rates/").status_code == 403
        assert client_for(user).post("/finance/rates/", {"file": csv_file(GOOD)}).status_code == 403
    assert client_for(None).get("/finance/rates/").status_code == 302
    assert ExchangeRate.objects.count() == 0


# --- the approval queue ------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(chad, iom):
    project = pilot(chad, iom)
    return add_result(project, iom, actual=42)


def test_the_queue_lists_submitted_actuals(submitted, secretariat):
    html = client_for(secretariat).get("/results/pending/").content.decode()
    assert "Households connected" in html and "Lake Chad resilience pilot" in html and "42" in html


def test_the_secretariat_approves(submitted, secretariat):
    response = client_for(secretariat).post(f"/results/pending/{submitted.pk}/review/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == "/results/pending/"
    submitted.refresh_from_db()
    assert submitted.actual_status == IndicatorPeriod.Status.APPROVED and submitted.reviewed_by == secretariat
    assert "Nothing waits for review." in client_for(secretariat).get("/results/pending/").content.decode()


def test_a_rejection_needs_a_reason(submitted, secretariat):
    client = client_for(secretariat)
    response = client.post(f"/results/pending/{submitted.pk}/review/", {"decision": "reject", "comment": " "})
    assert response.status_code == 400
    assert "Give the reason for the rejection" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.actual_status == IndicatorPeriod.Status.SUBMITTED
    reason = "The count includes last year's households."
    response = client.post(f"/results/pending/{submitted.pk}/review/", {"decision": "reject", "comment": reason})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.actual_status == IndicatorPeriod.Status.REJECTED and submitted.review_comment == reason


def test_a_focal_point_gets_403_and_changes_nothing(submitted, chad_focal_point, iom_editor, gcf_funder):
    for user in (chad_focal_point, iom_editor, gcf_funder):
        client = client_for(user)
        assert client.get("/results/pending/").status_code == 403
        assert client.post(f"/results/pending/{submitted.pk}/review/", {"decision": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.actual_status == IndicatorPeriod.Status.SUBMITTED


def test_reviewing_an_actual_that_is_not_waiting_is_a_404(submitted, secretariat):
    IndicatorPeriod.objects.filter(pk=submitted.pk).update(actual_status="approved")
    response = client_for(secretariat).post(f"/results/pending/{submitted.pk}/review/", {"decision": "approve"})
    assert response.status_code == 404


def test_the_queue_uses_a_fixed_number_of_queries(chad, iom, secretariat, django_assert_max_num_queries):
    project = pilot(chad, iom)
    for n in range(6):
        add_result(project, iom, actual=10 + n)
    assert IndicatorPeriod.objects.filter(actual_status="submitted").count() == 6
    client = client_for(secretariat)
    with django_assert_max_num_queries(5):
        response = client.get("/results/pending/")
    assert response.status_code == 200
