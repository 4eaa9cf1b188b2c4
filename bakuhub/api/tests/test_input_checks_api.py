"""Through the API, the services' input checks answer 400 naming the field, and nothing is written: NUL (which
PostgreSQL cannot store), a lone surrogate, a bidi override, a made-up currency, a meeting in year 1."""

from __future__ import annotations

import json

import pytest

from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.partners.models import Organisation
from bakuhub.working_groups.models import Meeting

pytestmark = pytest.mark.django_db


def post(user, url, body: str):
    return client_for(user).post(url, data=body, content_type="application/json")


@pytest.mark.parametrize(
    ("escaped", "code"),
    [("\\u0000", "U+0000"), ("\\ud800", "U+D800"), ("\\u202e", "U+202E"), ("\\u200b", "U+200B")],
)
def test_an_organisation_name_with_a_character_no_one_can_see_or_store_is_refused(secretariat, escaped, code):
    body = '{"name": "Evil' + escaped + 'Corp", "org_type": "21"}'
    response = post(secretariat, "/api/v1/organisations", body)
    assert response.status_code == 400, response.content
    assert code in response.json()["message"]
    assert "name" in response.json()["errors"]
    assert not Organisation.objects.exists()


def test_a_full_width_twin_of_an_organisation_is_a_conflict(secretariat, iom):
    body = json.dumps({"name": "\uff29nternational Organization for Migration", "org_type": "40"})
    response = post(secretariat, "/api/v1/organisations", body)
    assert response.status_code == 409, response.content
    assert Organisation.objects.count() == 1


def test_a_pledge_in_a_made_up_currency_is_refused(chad, gcf, secretariat):
    pledge = {"committer_organisation": "gcf", "kind": "money", "title": "Grant", "amount": "100", "currency": "ZZZ",
              "announced_on": "2025-09-24", "source_title": "Press", "source_url": "https://example.org/p"}  # fmt: skip
    response = post(secretariat, "/api/v1/commitments", json.dumps(pledge))
    assert response.status_code == 400, response.content
    assert "ZZZ" in response.json()["errors"]["currency"][0]
    assert not Commitment.objects.exists()


def test_a_meeting_in_year_one_is_refused(tcd, secretariat):
    meeting = {"title": "Kick-off", "starts_at": "0001-01-01T10:00:00", "timezone": "Africa/Ndjamena",
               "place": "N'Djamena"}  # fmt: skip
    response = post(secretariat, f"/api/v1/working-groups/{tcd.pk}/meetings", json.dumps(meeting))
    assert response.status_code == 400, response.content
    assert "starts_at" in response.json()["errors"]
    assert not Meeting.objects.filter(working_group=tcd).exists()


@pytest.mark.parametrize("url", ["/api/v1/organisations?search=%00", "/api/v1/organisations/io%00m"])
def test_a_nul_in_the_address_is_a_400_not_a_database_error(iom, url):
    response = client_for(None).get(url)
    assert response.status_code == 400
    assert "U+0000" in response.json()["message"]


def test_a_nul_in_a_portal_search_is_a_400(iom):
    response = client_for(None).get("/partners/?q=i%00om")
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()


def test_a_refusal_reads_in_french_for_a_french_client(secretariat):
    body = '{"name": "Evil\\u202eCorp", "org_type": "21"}'
    response = client_for(secretariat).post(
        "/api/v1/organisations", data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400, response.content
    english = "contains an invisible character"
    assert "U+202E" in response.json()["message"]
    assert english not in response.json()["message"]
    assert english not in " ".join(response.json()["errors"]["name"])
