"""One rule per action (CKAN style). Services check these before every write; selectors filter reads the same way."""

from __future__ import annotations

from typing import Any

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.accounts.rules_typed import add_perm, has_perm, predicate

from .models import Contact, Membership, Memorandum, Organisation


@predicate
def is_focal_point_of_membership(user: Any, membership: Membership | None) -> bool:
    return membership is not None and membership.country_id in focal_country_ids(user)


@predicate
def is_focal_point_of_country(user: Any, country: Any) -> bool:
    return country is not None and country.pk in focal_country_ids(user)


@predicate
def edits_organisation(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.pk in editor_organisation_ids(user)


@predicate
def edits_contact_organisation(user: Any, contact: Contact | None) -> bool:
    return contact is not None and contact.organisation_id in editor_organisation_ids(user)


@predicate
def is_public_membership(user: Any, membership: Membership | None) -> bool:
    return membership is not None and membership.is_public


@predicate
def is_memorandum_party_editor(user: Any, memo: Memorandum | None) -> bool:
    if memo is None:
        return False
    countries = {c.pk for c in memo.party_countries.all()}
    organisations = {o.pk for o in memo.party_organisations.all()}
    return bool(countries & focal_country_ids(user)) or bool(organisations & editor_organisation_ids(user))


@predicate
def is_published_memorandum(user: Any, memo: Memorandum | None) -> bool:
    return memo is not None and memo.is_published


@predicate
def is_open_draft(user: Any, memo: Memorandum | None) -> bool:
    """A draft with no source yet: the only kind of memorandum whose text its parties may still edit."""
    return memo is not None and not memo.is_published and not memo.fact_id and not memo.source_url


@predicate
def is_public_contact(user: Any, contact: Contact | None) -> bool:
    return contact is not None and contact.is_public


add_perm("partners.view_membership", is_public_membership | is_secretariat | is_funder | is_focal_point_of_membership)
add_perm("partners.create_membership", is_secretariat | is_focal_point_of_country)
add_perm("partners.advance_membership", is_secretariat | is_focal_point_of_membership)
add_perm("partners.create_organisation", is_secretariat)
add_perm("partners.change_organisation", is_secretariat | edits_organisation)
add_perm("partners.view_contact", is_public_contact | is_secretariat | edits_contact_organisation)
add_perm("partners.change_contact", is_secretariat | edits_contact_organisation)
add_perm("partners.create_memorandum", is_secretariat)
add_perm("partners.view_memorandum", is_published_memorandum | is_secretariat | is_funder | is_memorandum_party_editor)
add_perm("partners.change_memorandum", is_secretariat | is_memorandum_party_editor)
# Parties, JWG countries, status and dates are the secretariat's; a party edits the text of its own open drafts.
add_perm("partners.change_memorandum_terms", is_secretariat)
add_perm("partners.change_memorandum_text", is_secretariat | (is_memorandum_party_editor & is_open_draft))
add_perm("partners.change_initiative", is_secretariat)
add_perm("partners.change_hubevent", is_secretariat)
add_perm("core.view_auditrecord", is_secretariat)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """`can(user, "advance_membership", membership)`: the single entry point services and views use."""
    return has_perm(f"partners.{action}", user, obj)
