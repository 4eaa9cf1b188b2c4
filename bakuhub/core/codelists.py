"""IATI codelists shipped in `core/data/iati` (read once, cached) and the organisation identifier check."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "iati"


@cache
def codelist(name: str) -> dict[str, dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def organisation_type_choices() -> list[tuple[str, str]]:
    return [(code, row["name"]) for code, row in codelist("OrganisationType").items() if row["status"] == "active"]


_ORG_ID_CHARS = re.compile(r"^[A-Za-z0-9_:.\-]+\Z")


def organisation_identifier_problem(identifier: str) -> str | None:
    """Why `identifier` is not a usable IATI organisation identifier, or None when it is.

    The form is `{registration agency prefix}-{id in that register}` (e.g. XM-DAC-47066, GB-CHC-202918), using only
    letters, digits, '-', '_', ':' and '.'. Identifiers published under the legacy IATI list (e.g. DE-1) are accepted
    as they are, never minted anew.
    """
    if identifier != identifier.strip():
        return "The identifier must not start or end with spaces."
    if not identifier:
        return "The identifier is empty."
    if not _ORG_ID_CHARS.match(identifier):
        return "Use only letters, digits, '-', '_', ':' and '.' (no spaces or slashes)."
    if identifier in codelist("OrganisationIdentifier"):
        return None
    parts = identifier.split("-")
    if len(parts) < 3 or not all(parts[:3]):
        return "Expected '{agency prefix}-{registration number}', for example XM-DAC-47066 or GB-CHC-202918."
    prefix = f"{parts[0]}-{parts[1]}"
    agency = codelist("OrganisationRegistrationAgency").get(prefix)
    if agency is None:
        return f"'{prefix}' is not an IATI organisation registration agency prefix."
    if agency["status"] != "active":
        return f"The registration agency prefix '{prefix}' is withdrawn; use its current register."
    return None


def validate_organisation_identifier(value: str) -> None:
    """Django field validator wrapping `organisation_identifier_problem`, for admin and model forms."""
    from django.core.exceptions import ValidationError

    problem = organisation_identifier_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_identifier")
