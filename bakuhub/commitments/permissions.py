"""Commitment rules: the secretariat records any; a focal point those of their countries (as committer or
beneficiary); a partner editor those of their organisations. Non-public commitments are for insiders."""

from __future__ import annotations

from typing import Any

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.accounts.rules_typed import add_perm, has_perm, predicate

from .models import Commitment


@predicate
def is_own_commitment(user: Any, commitment: Commitment | None) -> bool:
    if commitment is None:
        return False
    countries = focal_country_ids(user)
    return (
        commitment.committer_country_id in countries
        or commitment.beneficiary_country_id in countries
        or commitment.committer_organisation_id in editor_organisation_ids(user)
    )


@predicate
def is_public_commitment(user: Any, commitment: Commitment | None) -> bool:
    return commitment is not None and commitment.is_public


add_perm("commitments.view_commitment", is_public_commitment | is_secretariat | is_funder | is_own_commitment)
add_perm("commitments.change_commitment", is_secretariat | is_own_commitment)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return has_perm(f"commitments.{action}", user, obj)
