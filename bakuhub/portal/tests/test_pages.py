from __future__ import annotations

import pytest
from django.test import Client

from bakuhub.conftest import client_for
from bakuhub.partners.models import Membership
from bakuhub.testing.factories import CountryFactory, MembershipFactory, MemorandumFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(chad_membership, guinea_bissau_membership):
    """Twenty more countries at assorted stages, so N+1 queries would show."""
    stages = ["interested", "intention_announced", "memorandum_signed", "jwg_established", "paused"]
    for n in range(20):
        MembershipFactory(country=CountryFactory(), stage=stages[n % len(stages)])
    return Membership.objects.all()


def test_home_shows_each_country_in_its_stage_column(pipeline):
    response = client_for(None).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chad" in html and "Guinea-Bissau" in html
    assert 'aria-label="Memorandum approved"' in html


def test_home_uses_a_fixed_number_of_queries(pipeline, django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


def test_home_queries_do_not_grow_for_a_signed_in_user(pipeline, secretariat, django_assert_max_num_queries):
    client = client_for(secretariat)
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_country_page_uses_a_fixed_number_of_queries(chad, chad_membership, django_assert_max_num_queries):
    for n in range(5):
        MemorandumFactory(party_countries=[chad], title=f"MoU {n}")
    client = Client()
    # 8 for the membership part, + at most 8 for the projects section (two counts; with projects: the list, its
    # locations, the provinces worked in, the map's provinces and two money sums)
    with django_assert_max_num_queries(16):
        response = client.get("/countries/TCD/")
    assert response.status_code == 200
    assert "Letter of interest" in response.content.decode()


def test_it_hides_a_non_public_membership_from_the_public(chad_membership):
    Membership.objects.filter(pk=chad_membership.pk).update(is_public=False)
    html = client_for(None).get("/").content.decode()
    assert "Chad" not in html


def test_a_funder_sees_a_non_public_membership(chad_membership, gcf_funder):
    Membership.objects.filter(pk=chad_membership.pk).update(is_public=False)
    html = client_for(gcf_funder).get("/").content.decode()
    assert "Chad" in html


def test_it_names_an_unknown_country_on_a_404(db):
    response = client_for(None).get("/countries/ZZZ/")
    assert response.status_code == 404


def test_it_sends_a_strict_content_security_policy(db):
    response = client_for(None).get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_healthz_reports_ok(db):
    response = client_for(None).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_reports_503_when_the_database_fails(db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client_for(None).get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_every_response_carries_a_request_id(db):
    response = client_for(None).get("/healthz", HTTP_X_REQUEST_ID="proxy-id-123456")
    assert response["X-Request-ID"] == "proxy-id-123456"
    assert len(client_for(None).get("/healthz", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"]) == 32


@pytest.fixture
def hub_demo(db):
    from bakuhub.core.reference import reference_load
    from bakuhub.partners.demo import demo_load

    reference_load()
    demo_load()


def test_the_demo_home_shows_the_hub_countries_their_stages_and_co_leads(hub_demo):
    html = client_for(None).get("/").content.decode()
    for name in ("Chad", "Guinea-Bissau", "Somalia", "Uganda", "Iraq"):
        assert name in html
    assert "Baku Call on Climate Action for Peace, Relief and Recovery" in html
    assert "Co-lead" in html and "United Arab Emirates" in html


def test_the_demo_home_page_uses_a_fixed_number_of_queries(hub_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # one of them prefetches the milestones of every membership
        assert Client().get("/").status_code == 200


def test_the_demo_country_page_cites_its_sources(hub_demo, django_assert_max_num_queries):
    # country, membership, events, memoranda (+3 prefetches), Hub events (+2 prefetches): fixed, not per row;
    # + at most 8 for the projects section (two counts; with projects: the list, its locations, the provinces worked
    # in, the map's provinces and two money sums)
    with django_assert_max_num_queries(18):
        html = Client().get("/countries/GNB/").content.decode()
    assert "BH045" in html and "BH059" in html
    assert "Memorandum signed" in html
    assert "September 2025" in html
