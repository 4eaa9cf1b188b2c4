"""A token's name is text a database can store, and its lifetime a whole number of days."""

from __future__ import annotations

import pytest

from bakuhub.accounts.models import ApiToken
from bakuhub.accounts.services import api_token_create
from bakuhub.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_token_name_with_nul_is_refused(chad_focal_point):
    with pytest.raises(ValidationFailed, match=r"U\+0000"):
        api_token_create(actor=chad_focal_point, name="lap\x00top")
    assert not ApiToken.objects.exists()


def test_a_token_lifetime_of_true_days_is_refused(chad_focal_point):
    with pytest.raises(ValidationFailed, match="whole number"):
        api_token_create(actor=chad_focal_point, name="laptop", days=True)
    assert not ApiToken.objects.exists()
