"""The commitment tracker endpoints: list, detail with history, record, move forward, totals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from bakuhub.commitments import services
from bakuhub.commitments.models import Commitment, CommitmentEvent
from bakuhub.conftest import client_for
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.testing.factories import CountryFactory, MemorandumFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/commitments"
SOURCE = {"source_title": "Press release", "source_url": "https://example.org/press"}
PLEDGE = {
    "committer_organisation": "gcf",
    "beneficiary_country_iso3": "TCD",
    "kind": "money",
    "title": "Readiness grant",
    "amount": "1250000.50",
    "currency": "usd",
    "announced_on": "2025-09-24",
    **SOURCE,
}
FORMALISE = {"to_status": "formalised", "occurred_on": "2025-10-01", "agreement_reference": "GCF-RDY-01", **SOURCE}


def send(client, method, url, data, **headers):
    return client.generic(method, url, json.dumps(data), content_type="application/json", **headers)


def rows():
    return (Commitment.objects.count(), CommitmentEvent.objects.count(), AuditRecord.objects.count())


def make(**fields):
    fields = {"kind": "policy", "announced_on": dt.date(2025, 9, 24), **SOURCE, **fields}
    commitment = Commitment.objects.create(**fields)
    CommitmentEvent.objects.create(commitment=commitment, to_status="announced", occurred_on=fields["announced_on"])
    return commitment


@pytest.fixture
def pledges(chad, guinea_bissau, iom, gcf):
    return {
        "chad": make(committer_country=chad, title="Chad adaptation plan"),
        "gcf": make(
            committer_organisation=gcf, beneficiary_country=chad, kind="money", title="GCF grant",
            amount=Decimal("1000000"), currency="USD", status="funded", memorandum=None, agreement_reference="A-1",
        ),
        "iom": make(
            committer_organisation=iom, beneficiary_country=guinea_bissau, kind="money", title="IOM grant",
            amount=Decimal("250000"), currency="EUR",
        ),
        "gnb": make(committer_country=guinea_bissau, title="Hidden", is_public=False),
    }  # fmt: skip


def titles(response):
    assert response.status_code == 200, response.content
    return [c["title"] for c in response.json()["items"]]


def test_it_lists_public_commitments_with_their_fields(pledges):
    response = client_for(None).get(URL)
    assert response["ETag"]
    assert sorted(titles(response)) == ["Chad adaptation plan", "GCF grant", "IOM grant"]
    gcf = next(c for c in response.json()["items"] if c["title"] == "GCF grant")
    assert gcf | {"id": 0, "memorandum_id": None} == {
        "id": 0, "title": "GCF grant", "description": "", "kind": "money", "status": "funded",
        "committer_country_iso3": None, "committer_organisation": "gcf", "committer_name": "Green Climate Fund (GCF)",
        "beneficiary_country_iso3": "TCD", "amount": "1000000.00", "currency": "USD", "announced_on": "2025-09-24",
        "date_precision": "day", "memorandum_id": None, "agreement_reference": "A-1", "is_public": True,
        "source_title": "Press release", "source_publisher": "", "source_url": "https://example.org/press",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=funded", ["GCF grant"]),
        ("kind=money", ["GCF grant", "IOM grant"]),
        ("country=TCD", ["Chad adaptation plan", "GCF grant"]),
        ("country=gnb", ["IOM grant"]),
        ("organisation=iom", ["IOM grant"]),
        ("kind=money&country=TCD", ["GCF grant"]),
    ],
)
def test_it_filters_commitments(pledges, query, expected):
    assert sorted(titles(client_for(None).get(f"{URL}?{query}"))) == expected


@pytest.mark.parametrize(
    ("query", "status"),
    [("country=ZZZ", 404), ("country=12", 400), ("organisation=nope", 404), ("kind=cash", 400), ("status=x", 400)],
)
def test_it_refuses_bad_filters(pledges, query, status):
    response = client_for(None).get(f"{URL}?{query}")
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "errors"}


def test_the_detail_carries_the_dated_history(pledges, secretariat):
    commitment = pledges["chad"]
    send(client_for(secretariat), "POST", f"{URL}/{commitment.pk}/transitions", FORMALISE)
    body = client_for(None).get(f"{URL}/{commitment.pk}").json()
    assert body["status"] == "formalised"
    assert [(e["from_status"], e["to_status"], e["occurred_on"]) for e in body["events"]] == [
        ("", "announced", "2025-09-24"),
        ("announced", "formalised", "2025-10-01"),
    ]


def test_a_hidden_commitment_is_404_for_the_public(pledges):
    assert client_for(None).get(f"{URL}/{pledges['gnb'].pk}").status_code == 404
    assert client_for(None).get(f"{URL}/99999").status_code == 404


def test_a_partner_editor_records_a_pledge_with_audit_rows(chad, gcf, secretariat):
    response = send(client_for(secretariat), "POST", URL, PLEDGE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["currency"], body["status"]) == ("1250000.50", "USD", "announced")
    assert (body["committer_organisation"], body["beneficiary_country_iso3"]) == ("gcf", "TCD")
    assert [e["to_status"] for e in body["events"]] == ["announced"]
    assert AuditRecord.objects.filter(action="commitment.create", object_id=str(body["id"])).exists()
    assert AuditRecord.objects.filter(action="commitmentevent.create").count() == 1


def test_an_amount_may_be_sent_as_a_number(chad, gcf, secretariat):
    response = send(client_for(secretariat), "POST", URL, {**PLEDGE, "amount": 1500.25})
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1500.25"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"beneficiary_country_iso3": "ZZZ"}, "beneficiary_country_iso3"),
        ({"committer_organisation": None, "committer_country_iso3": "XXX"}, "committer_country_iso3"),
        ({"committer_organisation": "nope"}, "committer_organisation"),
        ({"committer_organisation": None}, "committer_country"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "1" * 19}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": None}, "amount"),
        ({"currency": "dollars"}, "currency"),
        ({"kind": "cash"}, "kind"),
        ({"announced_on": "2999-01-01"}, "announced_on"),
        ({"source_url": ""}, "source_url"),
        ({"date_precision": "week"}, "date_precision"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_refuses_a_bad_pledge_and_writes_nothing(chad, gcf, secretariat, change, field):
    before = rows()
    response = send(client_for(secretariat), "POST", URL, {**PLEDGE, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before


def test_it_refuses_malformed_json_and_writes_nothing(secretariat, pledges):
    before = rows()
    response = client_for(secretariat).post(URL, data='{"kind": "money",', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert rows() == before


def test_a_transition_with_a_fresh_if_match_moves_forward_with_audit(pledges, chad_focal_point):
    client = client_for(chad_focal_point)
    commitment = pledges["chad"]
    etag = client.get(f"{URL}/{commitment.pk}")["ETag"]
    memo = MemorandumFactory(party_countries=[commitment.committer_country])
    data = {**FORMALISE, "memorandum_id": memo.pk, "agreement_reference": "", "note": "Signed in Baku"}
    response = send(client, "POST", f"{URL}/{commitment.pk}/transitions", data, HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["memorandum_id"]) == ("formalised", memo.pk)
    assert response.json()["events"][-1]["note"] == "Signed in Baku"
    assert AuditRecord.objects.filter(action="commitment.advance", object_id=str(commitment.pk)).count() == 1


def test_a_stale_if_match_on_a_transition_writes_nothing(pledges, secretariat):
    before = rows()
    url = f"{URL}/{pledges['chad'].pk}/transitions"
    response = send(client_for(secretariat), "POST", url, FORMALISE, HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert rows() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_status": "announced"}, "to_status"),
        ({"to_status": "promised"}, "to_status"),
        ({"agreement_reference": ""}, "memorandum"),
        ({"memorandum_id": 9999}, "memorandum_id"),
        ({"occurred_on": "2025-09-01"}, "occurred_on"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
    ],
)
def test_it_refuses_a_bad_transition_and_writes_nothing(pledges, secretariat, change, field):
    before = rows()
    response = send(client_for(secretariat), "POST", f"{URL}/{pledges['chad'].pk}/transitions", {**FORMALISE, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert rows() == before
    assert Commitment.objects.get(pk=pledges["chad"].pk).status == "announced"


def test_the_totals_count_each_stage_reached_and_money_per_currency(pledges, secretariat):
    body = client_for(None).get(f"{URL}/totals").json()
    overall = body["overall"]
    assert overall["counts"] == {"announced": 3, "formalised": 1, "funded": 1, "delivered": 0}
    assert overall["money"] == {
        "EUR": {"announced": "250000.00", "formalised": "0.00", "funded": "0.00", "delivered": "0.00"},
        "USD": {"announced": "1000000.00", "formalised": "1000000.00", "funded": "1000000.00", "delivered": "0.00"},
    }
    assert body["countries"]["Chad"]["counts"]["announced"] == 2
    assert body["partners"]["Green Climate Fund (GCF)"]["counts"]["funded"] == 1
    assert client_for(secretariat).get(f"{URL}/totals").json()["overall"]["counts"]["announced"] == 4


def test_the_list_stays_within_a_fixed_number_of_queries(chad, gcf, secretariat, django_assert_max_num_queries):
    for n in range(12):
        org = OrganisationFactory()
        make(
            committer_organisation=org, beneficiary_country=CountryFactory(), kind="money", title=f"Grant {n}",
            amount=Decimal(1000 + n), currency="USD", memorandum=MemorandumFactory(),
        )  # fmt: skip
    client = client_for(secretariat)
    client.get(URL)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.json()["items"]) == 12
    with django_assert_max_num_queries(6):
        assert client.get(f"{URL}/totals").status_code == 200


# --- Former gaps in the domain code, fixed: regression tests -----------------------------------------------


def test_the_service_refuses_an_unknown_date_precision(chad):
    with pytest.raises(ValidationFailed):
        services.commitment_create(
            actor=None, committer_country=chad, kind="policy", title="X", announced_on=dt.date(2025, 9, 24),
            date_precision="fortnight", **SOURCE,
        )  # fmt: skip


def test_the_service_refuses_an_amount_with_more_than_two_decimals(chad):
    with pytest.raises(ValidationFailed):
        services.commitment_create(
            actor=None, committer_country=chad, kind="money", title="X", announced_on=dt.date(2025, 9, 24),
            amount=Decimal("10.005"), currency="USD", **SOURCE,
        )  # fmt: skip
