"""Signatories on the memorandum page: the secretariat on any memorandum, a party on its own draft, audited."""

from __future__ import annotations

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.partners.models import MemorandumSignatory
from bakuhub.testing.factories import MemorandumFactory

pytestmark = pytest.mark.django_db

SIGNATORY = {"name": "Amina Mahamat", "position": "Minister", "on_behalf_of": "Republic of Chad"}


@pytest.fixture
def draft(chad):
    return MemorandumFactory(title="Draft with Chad", status="draft", approved_on=None, party_countries=[chad])


@pytest.fixture
def approved(chad):
    return MemorandumFactory(title="Approved with Chad", party_countries=[chad])


def test_the_secretariat_adds_and_removes_a_signatory_on_the_page(secretariat, approved):
    client = client_for(secretariat)
    page = client.get(f"/memoranda/{approved.pk}/").content.decode()
    assert "Add a signatory" in page
    response = client.post(f"/memoranda/{approved.pk}/signatories/", {**SIGNATORY, "signed_on": "2025-09-24"})
    assert response.status_code == 302
    signatory = approved.signatories.get()
    assert "Amina Mahamat, Minister — Republic of Chad" in client.get(f"/memoranda/{approved.pk}/").content.decode()
    assert client.post(f"/memoranda/{approved.pk}/signatories/{signatory.pk}/remove/").status_code == 302
    assert not MemorandumSignatory.objects.exists()
    assert AuditRecord.objects.filter(object_type="partners.memorandumsignatory", actor=secretariat).count() == 2


def test_a_focal_point_adds_a_signatory_to_their_own_draft(chad_focal_point, draft):
    response = client_for(chad_focal_point).post(f"/memoranda/{draft.pk}/signatories/", SIGNATORY)
    assert response.status_code == 302
    assert draft.signatories.get().name == "Amina Mahamat"


def test_a_blank_signatory_is_shown_back_with_its_errors(secretariat, approved):
    response = client_for(secretariat).post(f"/memoranda/{approved.pk}/signatories/", {"name": "", "on_behalf_of": ""})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_it_refuses_a_party_changing_the_signatories_of_a_published_memorandum(chad_focal_point, approved):
    client = client_for(chad_focal_point)
    assert "Add a signatory" not in client.get(f"/memoranda/{approved.pk}/").content.decode()
    assert client.post(f"/memoranda/{approved.pk}/signatories/", SIGNATORY).status_code == 403
    kept = MemorandumSignatory.objects.create(memorandum=approved, name="Kept", on_behalf_of="Chad")
    assert client.post(f"/memoranda/{approved.pk}/signatories/{kept.pk}/remove/").status_code == 403
    assert list(MemorandumSignatory.objects.values_list("name", flat=True)) == ["Kept"]


def test_it_refuses_signatories_from_anonymous_and_outsiders(gcf_funder, iom_editor, draft):
    assert client_for(None).post(f"/memoranda/{draft.pk}/signatories/", SIGNATORY).status_code == 302  # to log in
    assert client_for(gcf_funder).post(f"/memoranda/{draft.pk}/signatories/", SIGNATORY).status_code == 403
    assert client_for(iom_editor).post(f"/memoranda/{draft.pk}/signatories/", SIGNATORY).status_code == 404
    assert not MemorandumSignatory.objects.exists()
