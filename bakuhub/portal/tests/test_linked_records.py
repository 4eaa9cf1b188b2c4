"""A record that links a non-public one shows it only to those who may see it: a draft memorandum formalising a
public commitment, or setting up a Joint Working Group, stays hidden (page, API and export) from everyone but the
secretariat, funders and the draft's parties."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.testing.factories import MemorandumFactory
from bakuhub.working_groups.tests.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Confidential draft with Chad"


@pytest.fixture
def draft(chad):
    return MemorandumFactory(title=DRAFT_TITLE, status="draft", approved_on=None, party_countries=[chad])


@pytest.fixture
def commitment(chad, draft):
    return Commitment.objects.create(
        committer_country=chad,
        kind="policy",
        title="Chad adaptation plan",
        status="formalised",
        announced_on=dt.date(2025, 9, 24),
        memorandum=draft,
        source_title="Press release",
        source_url="https://example.org/press",
    )


def page(user, commitment):
    response = client_for(user).get(f"/commitments/{commitment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def api(user, commitment):
    return client_for(user).get(f"/api/v1/commitments/{commitment.pk}").json()["memorandum_id"]


def exported(user):
    body = client_for(user).get("/exports/commitments.csv").content.decode("utf-8-sig")
    return {row["Title"]: row["Formalised by"] for row in csv.DictReader(io.StringIO(body))}


@pytest.mark.parametrize("viewer", ["anonymous", "iom_editor"])
def test_it_hides_a_draft_memorandum_formalising_a_public_commitment(request, viewer, commitment):
    user = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    assert DRAFT_TITLE not in page(user, commitment)
    assert "Formalised by" not in page(user, commitment)
    assert api(user, commitment) is None
    assert exported(user) == {"Chad adaptation plan": ""}


@pytest.mark.parametrize("viewer", ["secretariat", "chad_focal_point", "gcf_funder"])
def test_those_who_may_see_the_draft_see_the_link(request, viewer, commitment, draft):
    user = request.getfixturevalue(viewer)
    assert DRAFT_TITLE in page(user, commitment)
    assert api(user, commitment) == draft.pk
    assert exported(user) == {"Chad adaptation plan": DRAFT_TITLE}


def test_a_published_memorandum_is_linked_for_everyone(commitment, draft):
    draft.status = "approved"
    draft.approved_on = dt.date(2025, 9, 1)
    draft.save()
    assert DRAFT_TITLE in page(None, commitment)
    assert api(None, commitment) == draft.pk
    assert exported(None) == {"Chad adaptation plan": DRAFT_TITLE}


def test_it_hides_a_draft_memorandum_behind_a_working_group_in_the_api(chad, draft, chad_focal_point):
    group = WorkingGroupFactory(country=chad, name="Chad JWG", memorandum=draft)
    public = client_for(None)
    assert public.get(f"/api/v1/working-groups/{group.pk}").json()["memorandum_id"] is None
    assert [g["memorandum_id"] for g in public.get("/api/v1/working-groups").json()["items"]] == [None]
    assert client_for(chad_focal_point).get(f"/api/v1/working-groups/{group.pk}").json()["memorandum_id"] == draft.pk
    assert DRAFT_TITLE not in public.get(f"/working-groups/{group.pk}/").content.decode()
