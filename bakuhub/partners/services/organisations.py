"""Organisation and contact writes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.codelists import codelist, organisation_identifier_problem
from bakuhub.core.concurrency import bump, lock_fresh
from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.files import Upload, check_logo, store_checked
from bakuhub.core.models import Country
from bakuhub.core.validation import boolean, name_key, optional_text, optional_url, required_text
from bakuhub.partners.models import Contact, Organisation
from bakuhub.partners.permissions import can

ORG_FIELDS = ["name", "acronym", "org_type", "iati_identifier", "country", "website", "logo", "description"]
SOURCE_FIELDS = ["source_title", "source_publisher", "source_url", "source_quote", "fact_id"]
CONTACT_FIELDS = ["organisation", "name", "position", "email", "phone", "is_public"]


def _clean_org(data: dict[str, Any], *, instance: Organisation | None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = required_text(data["name"], "name", max_length=200)
        others = Organisation.objects.all() if instance is None else Organisation.objects.exclude(pk=instance.pk)
        key = name_key(clean["name"])
        if any(name_key(other) == key for other in others.values_list("name", flat=True).iterator()):
            raise Conflict(f"An organisation named '{clean['name']}' already exists.", errors={"name": ["Taken."]})
    if "acronym" in data:
        clean["acronym"] = optional_text(data["acronym"], "acronym", max_length=30)
    if "org_type" in data:
        code = str(data["org_type"] or "").strip()
        row = codelist("OrganisationType").get(code)
        if row is None or row["status"] != "active":
            msg = f"'{code}' is not an IATI organisation type code (e.g. 10 Government, 40 Multilateral)."
            raise ValidationFailed(msg, errors={"org_type": [msg]})
        clean["org_type"] = code
    if "iati_identifier" in data:
        identifier = data["iati_identifier"] or ""
        if identifier:
            problem = organisation_identifier_problem(identifier)
            if problem:
                raise ValidationFailed(problem, errors={"iati_identifier": [problem]})
            clash = Organisation.objects.filter(iati_identifier=identifier)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                raise Conflict(f"{identifier} is already used by another organisation.")
        clean["iati_identifier"] = identifier or None
    if "country" in data:
        country = data["country"]
        if country is not None and not isinstance(country, Country):
            raise ValidationFailed("Unknown country.", errors={"country": ["Unknown country."]})
        clean["country"] = country
    if "website" in data:
        clean["website"] = optional_url(data["website"], "website")
    if "description" in data:
        clean["description"] = optional_text(data["description"], "description", max_length=10000)
    for key, limit in (("source_title", 300), ("source_publisher", 200), ("source_quote", 5000), ("fact_id", 10)):
        if key in data:
            clean[key] = optional_text(data[key], key, max_length=limit)
    if "source_url" in data:
        clean["source_url"] = optional_url(data["source_url"], "source_url")
    unknown = sorted(set(data) - set(ORG_FIELDS) - set(SOURCE_FIELDS))
    if unknown:
        raise ValidationFailed(
            f"Unknown field(s): {', '.join(unknown)}.", errors={k: ["Unknown field."] for k in unknown}
        )
    return clean


def _unique_slug(name: str, acronym: str) -> str:
    base = slugify(acronym or name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, actor: User | None, logo: Upload | None = None, is_demo: bool = False, **data: Any
) -> Organisation:
    if actor is not None and not can(actor, "create_organisation"):
        raise PermissionDenied("Only the Hub secretariat may add organisations.")
    for required in ("name", "org_type"):
        data.setdefault(required, "")
    clean = _clean_org(data, instance=None)
    checked = check_logo(logo, max_bytes=settings.BAKUHUB_LOGO_MAX_BYTES) if logo is not None else None
    org = Organisation(slug=_unique_slug(clean["name"], clean.get("acronym", "")), is_demo=is_demo, **clean)
    if logo is not None and checked is not None:
        store_checked(org.logo, logo, checked)
    org.save()
    audit.record_create(actor=actor, obj=org, fields=ORG_FIELDS + SOURCE_FIELDS)
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    logo: Upload | None = None,
    expected_version: int | None = None,
    **data: Any,
) -> Organisation:
    """Edit the organisation. With `expected_version` (the version the client read), a stale edit is refused with
    PreconditionFailed; the row is locked first, so two edits made from the same read cannot both succeed."""
    if not can(actor, "change_organisation", organisation):
        raise PermissionDenied(f"You may not edit {organisation.name}.")
    lock_fresh(organisation, expected_version, what=gettext("organisation"))
    clean = _clean_org(data, instance=organisation)
    checked = check_logo(logo, max_bytes=settings.BAKUHUB_LOGO_MAX_BYTES) if logo is not None else None
    before = audit.snapshot(organisation, ORG_FIELDS + SOURCE_FIELDS)
    for key, value in clean.items():
        setattr(organisation, key, value)
    replaced = str(organisation.logo.name or "")
    if logo is not None and checked is not None:
        store_checked(organisation.logo, logo, checked)
        storage = organisation.logo.storage
        if replaced and replaced != organisation.logo.name:  # the old image goes once the new one is committed
            transaction.on_commit(lambda: storage.delete(replaced))
    changes = audit.diff(before, audit.snapshot(organisation, ORG_FIELDS + SOURCE_FIELDS))
    if changes:
        changes["version"] = bump(organisation)
    organisation.save()
    if changes:
        audit.record(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    return organisation


@transaction.atomic
def contact_create(*, actor: User | None, organisation: Organisation, is_demo: bool = False, **data: Any) -> Contact:
    if actor is not None and not can(actor, "change_organisation", organisation):
        raise PermissionDenied(f"You may not add contacts to {organisation.name}.")
    email = optional_text(data.get("email"), "email", max_length=254)
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            msg = f"'{email[:100]}' is not an e-mail address."
            raise ValidationFailed(msg, errors={"email": ["Not an e-mail address."]}) from None
    contact = Contact.objects.create(
        organisation=organisation,
        name=required_text(data.get("name"), "name", max_length=200),
        position=optional_text(data.get("position"), "position", max_length=200),
        email=email,
        phone=optional_text(data.get("phone"), "phone", max_length=40),
        is_public=boolean(data.get("is_public", False), "is_public"),
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=contact, fields=CONTACT_FIELDS)
    return contact
