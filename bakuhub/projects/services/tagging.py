"""Nexus tagging: DAC sectors, OECD DAC policy markers, the nexus profile and the humanitarian scope."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.codelists import codelist
from bakuhub.core.dates import plausible_date
from bakuhub.core.errors import ValidationFailed
from bakuhub.projects import nexus
from bakuhub.projects.models import PolicyMarker, Project, ProjectSector

from ._common import Errors, lock, require, save_versioned

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# PolicySignificance 3 is "for desertification-related aid only" (marker 8); 4 "Explicit primary objective" is the
# top of the RMNCH marker's 0-4 scale (marker 9, paired in the official example). Every other marker uses 0-2.
EXTENDED_SIGNIFICANCE = {3: "8", 4: "9"}
NEXUS_FIELDS = [
    "climate_score",
    "peace_score",
    "migration_score",
    "climate_justification",
    "peace_justification",
    "migration_justification",
    "nexus_assessed_by",
    "nexus_assessed_on",
    "nexus_method",
]
HUMANITARIAN_FIELDS = [
    "humanitarian",
    "humanitarian_scope_type",
    "humanitarian_scope_vocabulary",
    "humanitarian_scope_code",
]
_GLIDE = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}-[A-Z]{3}\Z")
_PLAN = re.compile(r"^[A-Z0-9_]{3,20}\Z")


# --- sectors ------------------------------------------------------------------------------------------------


def _percentage(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_sectors(sectors: Any, *, kept: frozenset[str] = frozenset()) -> list[tuple[str, Decimal]]:
    """Validated (code, percentage) pairs; `kept` are codes already on the project (a withdrawn one may stay)."""
    errors = Errors()
    if not isinstance(sectors, list | tuple) or not sectors:
        raise ValidationFailed(
            "Give at least one DAC sector with its percentage.", errors={"sectors": ["At least one sector."]}
        )
    clean: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    withdrawn: list[str] = []
    total = Decimal(0)
    for item in sectors:
        if not isinstance(item, list | tuple) or len(item) != 2:
            errors.add("sectors", "Each sector is a pair (DAC 5-digit code, percentage).")
            continue
        code, share = str(item[0]).strip(), _percentage(item[1])
        row = codelist("Sector").get(code)
        if row is None:
            errors.add("sectors", f"'{code}' is not a DAC 5-digit sector code (e.g. 15220, 41010, 74020).")
        elif row["status"] != "active" and code not in kept:
            withdrawn.append(f"{code} {row['name']}")
        if code in seen:
            errors.add("sectors", f"The sector {code} is listed twice.")
        seen.add(code)
        if share is None:
            errors.add("sectors", f"The percentage of {code} is not a number.")
            continue
        if not 0 < share <= HUNDRED:
            errors.add("sectors", f"The percentage of {code} is {share}; it must be more than 0 and at most 100.")
        elif share != share.quantize(CENT):
            errors.add("sectors", f"The percentage of {code} ({share}) has more than 2 decimals.")
        total += share
        clean.append((code, share))
    if withdrawn:
        errors.add(
            "sectors",
            f"Withdrawn DAC codes cannot be used for new data: {'; '.join(withdrawn)}. Use their current codes.",
        )
    if not errors and total != HUNDRED:
        errors.add("sectors", f"The sector percentages sum to {total.normalize():f}; they must sum to exactly 100.")
    errors.raise_if_any()
    return [(code, share.quantize(CENT)) for code, share in clean]


@transaction.atomic
def project_sectors_set(
    *, actor: User | None, project: Project, expected_version: int | None = None, sectors: list[tuple[str, Decimal]]
) -> list[ProjectSector]:
    """Replace the project's DAC 5-digit sectors (IATI vocabulary 1); the percentages sum to exactly 100."""
    require(actor, "change_project", project, "change the sectors of")
    current = lock(project, expected_version)
    existing = list(current.sectors.order_by("code").values_list("code", "percentage"))
    clean = check_sectors(sectors, kept=frozenset(code for code, _ in existing))
    current.sectors.all().delete()
    rows = ProjectSector.objects.bulk_create(
        [ProjectSector(project=current, code=code, percentage=share) for code, share in clean]
    )
    after = sorted([code, str(share)] for code, share in clean)
    save_versioned(
        actor=actor,
        project=current,
        action="project.sectors_set",
        changes={"sectors": [[[code, str(share)] for code, share in existing], after]},
        caller=project,
    )
    return rows


# --- policy markers -----------------------------------------------------------------------------------------


def check_markers(markers: Any) -> dict[str, int]:
    errors = Errors()
    if not isinstance(markers, list | tuple):
        raise ValidationFailed("Markers are a list of (code, significance).", errors={"markers": ["Not a list."]})
    clean: dict[str, int] = {}
    for item in markers:
        if not isinstance(item, list | tuple) or len(item) != 2:
            errors.add("markers", "Each marker is a pair (PolicyMarker code, significance).")
            continue
        raw, significance = str(item[0]).strip(), item[1]
        code = str(int(raw)) if raw.isdigit() else raw  # "07" as published by some partners is marker 7
        row = codelist("PolicyMarker").get(code)
        if row is None or row["status"] != "active":
            errors.add("markers", f"'{raw}' is not an OECD DAC policy marker code (1-12, e.g. 7 adaptation).")
            continue
        if code in clean:
            errors.add("markers", f"The marker {code} is listed twice.")
            continue
        if isinstance(significance, bool) or not isinstance(significance, int | str):
            errors.add("markers", f"The significance of marker {code} must be a code from 0 to 4.")
            continue
        sig = str(significance).strip()
        if sig not in codelist("PolicySignificance"):
            errors.add("markers", f"'{sig}' is not a policy significance (0 not targeted … 4 explicit primary).")
            continue
        value = int(sig)
        only_for = EXTENDED_SIGNIFICANCE.get(value)
        if only_for is not None and code != only_for:
            name = codelist("PolicySignificance")[sig]["name"]
            errors.add(
                "markers",
                f"Significance {value} ({name}) is used only with marker {only_for} "
                f"({codelist('PolicyMarker')[only_for]['name']}); marker {code} is scored 0, 1 or 2.",
            )
            continue
        clean[code] = value
    errors.raise_if_any()
    return clean


def _assessed_climate(project: Project) -> int | None:
    return project.climate_score if project.nexus_assessed_on is not None else None


@transaction.atomic
def project_policy_markers_set(
    *, actor: User | None, project: Project, expected_version: int | None = None, markers: list[tuple[str, int]]
) -> list[str]:
    """Replace the OECD DAC policy markers (vocabulary 1); returns the consistency warnings against the nexus
    profile (warnings, never errors: the markers are the partner's own statement)."""
    require(actor, "change_project", project, "change the policy markers of")
    current = lock(project, expected_version)
    clean = check_markers(markers)
    existing = sorted([code, sig] for code, sig in current.policy_markers.values_list("code", "significance"))
    current.policy_markers.all().delete()
    PolicyMarker.objects.bulk_create(
        [PolicyMarker(project=current, code=code, significance=sig) for code, sig in clean.items()]
    )
    save_versioned(
        actor=actor,
        project=current,
        action="project.policy_markers_set",
        changes={"policy_markers": [existing, sorted([code, sig] for code, sig in clean.items())]},
        caller=project,
    )
    return nexus.marker_warnings(markers=clean, climate=_assessed_climate(current))


def project_warnings(project: Project) -> list[str]:
    """The current marker/nexus consistency warnings of a project (reads its markers)."""
    markers = dict(project.policy_markers.values_list("code", "significance"))
    return nexus.marker_warnings(markers=markers, climate=_assessed_climate(project))


# --- nexus profile ------------------------------------------------------------------------------------------


@transaction.atomic
def project_nexus_set(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    climate: int,
    peace: int,
    migration: int,
    climate_justification: str = "",
    peace_justification: str = "",
    migration_justification: str = "",
    method: str = "manual",
    assessed_on: dt.date | None = None,
) -> Project:
    """Set the nexus profile: each dimension 0 (not targeted), 1 (significant) or 2 (principal, justified).

    Records who assessed it, when, and how ("manual", or "suggested" when a person accepted `nexus.suggest_scores`).
    """
    require(actor, "change_project", project, "change the nexus profile of")
    errors = Errors()
    scores = {"climate": climate, "peace": peace, "migration": migration}
    texts = {"climate": climate_justification, "peace": peace_justification, "migration": migration_justification}
    clean: dict[str, Any] = {}
    for dimension, score in scores.items():
        if isinstance(score, bool) or score not in (0, 1, 2):
            errors.add(dimension, f"The {dimension} score is 0 (not targeted), 1 (significant) or 2 (principal).")
        text = texts[dimension]
        text = text.strip() if isinstance(text, str) else ""
        if len(text) > 5000:
            errors.add(f"{dimension}_justification", f"At most 5000 characters (got {len(text)}).")
        if score == 2 and not text:
            errors.add(
                f"{dimension}_justification",
                f"A principal (2) {dimension} score needs a justification: would the project be done without it?",
            )
        clean[f"{dimension}_score"] = score
        clean[f"{dimension}_justification"] = text
    if method not in ("manual", "suggested"):
        errors.add("method", f"'{method}' is not a method; use manual or suggested.")
    day = timezone.localdate() if assessed_on is None else assessed_on
    try:
        day = plausible_date(day, "assessed_on")
    except ValidationFailed as failure:
        errors.merge(failure)
    else:
        if day > timezone.localdate():
            errors.add("assessed_on", f"{day.isoformat()} is in the future.")
    errors.raise_if_any()
    current = lock(project, expected_version)
    before = audit.snapshot(current, NEXUS_FIELDS)
    for name, value in clean.items():
        setattr(current, name, value)
    current.nexus_assessed_by = actor if actor is not None and actor.pk else None
    current.nexus_assessed_on = day
    current.nexus_method = method
    changes = audit.diff(before, audit.snapshot(current, NEXUS_FIELDS))
    save_versioned(
        actor=actor, project=current, action="project.nexus_set", changes=changes, fields=NEXUS_FIELDS, caller=project
    )
    return project


# --- humanitarian -------------------------------------------------------------------------------------------


def _scope_code_problem(vocabulary: str, code: str) -> str | None:
    if vocabulary == "1-2" and not _GLIDE.match(code):
        return f"'{code}' is not a GLIDE number (e.g. EQ-2015-000048-NPL)."
    if vocabulary == "2-1" and not _PLAN.match(code):
        return f"'{code}' is not an OCHA FTS plan code (e.g. HTCD25)."
    if vocabulary == "99" and len(code) > 100:
        return "At most 100 characters."
    return None


@transaction.atomic
def project_humanitarian_set(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    humanitarian: bool | None,
    scope_type: str = "",
    scope_vocabulary: str = "",
    scope_code: str = "",
) -> Project:
    """The IATI @humanitarian flag (None = unknown) and at most one humanitarian scope (type, vocabulary, code).

    New data pairs type 1 Emergency with GLIDE numbers (vocabulary 1-2) and type 2 Appeal with plan codes (2-1).
    """
    require(actor, "change_project", project, "change the humanitarian scope of")
    errors = Errors()
    flag: Any = humanitarian  # typed bool | None, but callers (forms, imports) may pass anything
    if flag is not None and not isinstance(flag, bool):
        errors.add("humanitarian", "humanitarian is true, false or unknown (None).")
    scope_type, scope_vocabulary = str(scope_type or "").strip(), str(scope_vocabulary or "").strip()
    scope_code = str(scope_code or "").strip()
    given = [bool(scope_type), bool(scope_vocabulary), bool(scope_code)]
    if any(given):
        if not all(given):
            errors.add("scope", "A humanitarian scope needs its type, vocabulary and code together.")
        if humanitarian is not True:
            errors.add("humanitarian", "A humanitarian scope is given only for a humanitarian project.")
        if scope_type and scope_type not in codelist("HumanitarianScopeType"):
            errors.add("scope_type", f"'{scope_type}' is not a humanitarian scope type (1 Emergency, 2 Appeal).")
        if scope_vocabulary and scope_vocabulary not in codelist("HumanitarianScopeVocabulary"):
            errors.add(
                "scope_vocabulary",
                f"'{scope_vocabulary}' is not a humanitarian scope vocabulary (1-2 Glide, 2-1 Humanitarian Plan, 99).",
            )
        expected_type = {"1-2": "1", "2-1": "2"}.get(scope_vocabulary)
        if scope_type and expected_type and scope_type != expected_type:
            errors.add(
                "scope_type",
                "Use type 1 Emergency with GLIDE numbers (1-2) and type 2 Appeal with humanitarian plan codes (2-1).",
            )
        problem = _scope_code_problem(scope_vocabulary, scope_code) if scope_code else None
        if problem:
            errors.add("scope_code", problem)
    errors.raise_if_any()
    current = lock(project, expected_version)
    before = audit.snapshot(current, HUMANITARIAN_FIELDS)
    current.humanitarian = humanitarian
    current.humanitarian_scope_type = scope_type
    current.humanitarian_scope_vocabulary = scope_vocabulary
    current.humanitarian_scope_code = scope_code
    changes = audit.diff(before, audit.snapshot(current, HUMANITARIAN_FIELDS))
    if changes:
        save_versioned(
            actor=actor,
            project=current,
            action="project.humanitarian_set",
            changes=changes,
            fields=HUMANITARIAN_FIELDS,
            caller=project,
        )
    return project
