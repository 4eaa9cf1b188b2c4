"""Who changes what on a memorandum: parties, JWG countries, status and dates are the secretariat's; a party (its
country's focal point or a party organisation's editor) edits only the text of its own draft; signatories follow
the same rule."""

from __future__ import annotations

import json

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.partners.models import Memorandum, MemorandumSignatory
from bakuhub.testing.factories import CountryFactory, MemorandumFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iraq(db):
    return CountryFactory(iso3="IRQ", iso2="IQ", numeric="368", name_en="Iraq")


@pytest.fixture
def draft(chad, guinea_bissau, iom):
    memo = MemorandumFactory(
        title="Draft with Chad", status="draft", approved_on=None, party_countries=[chad, guinea_bissau]
    )
    memo.party_organisations.set([iom])
    memo.establishes_jwg_for.set([chad, guinea_bissau])
    return memo


@pytest.fixture
def signed(chad, iom):
    memo = MemorandumFactory(
        title="Signed with Chad",
        status="signed",
        signed_on="2025-09-24",
        party_countries=[chad],
        source_url="https://example.org/mou",
        fact_id="BH046",
    )
    memo.party_organisations.set([iom])
    return memo


def patch(user, memo, body):
    return client_for(user).patch(f"/api/v1/memoranda/{memo.pk}", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("party", ["chad_focal_point", "iom_editor"])
def test_it_refuses_a_party_changing_the_party_countries(request, party, draft, iraq):
    response = patch(request.getfixturevalue(party), draft, {"party_countries": ["TCD", "IRQ"]})
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Only the Hub secretariat may change the party countries of 'Draft with Chad'."
    )
    assert sorted(draft.party_countries.values_list("iso3", flat=True)) == ["GNB", "TCD"]


@pytest.mark.parametrize("party", ["chad_focal_point", "iom_editor"])
def test_it_refuses_a_party_publishing_its_draft(request, party, draft):
    response = patch(request.getfixturevalue(party), draft, {"status": "signed", "signed_on": "2025-09-24"})
    assert response.status_code == 403
    assert "the status" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.status == Memorandum.Status.DRAFT


def test_it_refuses_a_party_changing_the_jwg_countries_or_organisations(chad_focal_point, draft, gcf):
    response = patch(chad_focal_point, draft, {"establishes_jwg_for": ["TCD"], "party_organisations": ["gcf"]})
    assert response.status_code == 403
    assert set(response.json()["errors"]) == {"establishes_jwg_for", "party_organisations"}
    assert draft.establishes_jwg_for.count() == 2


@pytest.mark.parametrize("party", ["chad_focal_point", "iom_editor"])
def test_it_refuses_a_party_rewriting_a_sourced_published_memorandum(request, party, signed):
    response = patch(request.getfixturevalue(party), signed, {"title": "Something else"})
    assert response.status_code == 403
    assert "published or sourced" in response.json()["message"]
    signed.refresh_from_db()
    assert signed.title == "Signed with Chad"


def test_a_party_edits_the_text_of_its_own_draft(iom_editor, draft):
    response = patch(iom_editor, draft, {"title": "Draft with Chad, v2", "purpose": "Peace and climate."})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.title, draft.purpose) == ("Draft with Chad, v2", "Peace and climate.")


def test_a_party_may_resend_the_unchanged_terms_with_its_text(chad_focal_point, draft):
    body = {"title": "New title", "status": "draft", "party_countries": ["GNB", "TCD"]}
    assert patch(chad_focal_point, draft, body).status_code == 200


def test_the_secretariat_changes_parties_jwg_countries_and_status(secretariat, draft, iraq):
    body = {
        "party_countries": ["TCD", "IRQ"],
        "establishes_jwg_for": ["TCD"],
        "status": "signed",
        "signed_on": "2025-09-24",
    }
    response = patch(secretariat, draft, body)
    assert response.status_code == 200, response.content
    assert response.json()["party_countries"] == ["IRQ", "TCD"]
    assert response.json()["status"] == "signed"


# --- Signatories --------------------------------------------------------------------------------------------------

SIGNATORY = {"name": "Amina Mahamat", "position": "Minister", "on_behalf_of": "Republic of Chad"}


def add(user, memo, body=SIGNATORY):
    client = client_for(user)
    return client.post(f"/api/v1/memoranda/{memo.pk}/signatories", json.dumps(body), content_type="application/json")


def test_the_secretariat_adds_lists_and_removes_signatories_audited(secretariat, signed):
    response = add(secretariat, signed, {**SIGNATORY, "signed_on": "2025-09-24"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "Amina Mahamat" and created["signed_on"] == "2025-09-24"
    listing = client_for(None).get(f"/api/v1/memoranda/{signed.pk}/signatories").json()
    assert [s["name"] for s in listing] == ["Amina Mahamat"]
    detail = client_for(None).get(f"/api/v1/memoranda/{signed.pk}").json()
    assert detail["signatories"][0]["id"] == created["id"]
    response = client_for(secretariat).delete(f"/api/v1/memoranda/{signed.pk}/signatories/{created['id']}")
    assert response.status_code == 204
    assert not MemorandumSignatory.objects.exists()
    records = AuditRecord.objects.filter(object_type="partners.memorandumsignatory").order_by("id")
    actions = list(records.values_list("action", "actor"))
    assert actions == [("memorandumsignatory.create", secretariat.pk), ("memorandumsignatory.delete", secretariat.pk)]


@pytest.mark.parametrize("party", ["chad_focal_point", "iom_editor"])
def test_a_party_adds_signatories_to_its_own_draft(request, party, draft):
    assert add(request.getfixturevalue(party), draft).status_code == 201
    assert draft.signatories.get().on_behalf_of == "Republic of Chad"


@pytest.mark.parametrize("party", ["chad_focal_point", "iom_editor"])
def test_it_refuses_a_party_changing_the_signatories_of_a_published_memorandum(request, party, signed):
    user = request.getfixturevalue(party)
    response = add(user, signed)
    assert response.status_code == 403
    assert response.json()["message"].startswith("Only the Hub secretariat may change the signatories")
    kept = MemorandumSignatory.objects.create(memorandum=signed, name="Kept", on_behalf_of="Chad")
    assert client_for(user).delete(f"/api/v1/memoranda/{signed.pk}/signatories/{kept.pk}").status_code == 403
    assert MemorandumSignatory.objects.filter(pk=kept.pk).exists()


def test_it_refuses_signatories_from_outsiders_and_anonymous(gcf_funder, draft, signed):
    assert add(gcf_funder, signed).status_code == 403
    assert add(None, signed).status_code == 401
    assert not MemorandumSignatory.objects.exists()


def test_it_refuses_a_blank_signatory(secretariat, signed):
    response = add(secretariat, signed, {"name": "", "on_behalf_of": "Chad"})
    assert response.status_code == 400
    assert not MemorandumSignatory.objects.exists()
