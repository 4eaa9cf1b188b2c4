"""The nexus profile's pure rules (domain guide §4): suggested peace/migration scores and DAC-marker warnings.

Nothing here writes or reads the database. A suggestion is only a suggestion: a person sets the scores
(`project_nexus_set`), and the Rio/DRR markers are the partner's own statement, never derived from the scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from bakuhub.core.codelists import codelist

PEACE_SECTORS = frozenset({"15130", "15160", "15180"})  # plus every 152xx code
MIGRATION_SECTORS = frozenset({"15190", "15136"})
MITIGATION, ADAPTATION, DRR = "6", "7", "10"
SCORE_NAMES = {0: "not targeted", 1: "significant", 2: "principal"}
_PLAN_WORDS = ("refugee", "migrant", "displace", "rohingya", "returnee")


@dataclass(frozen=True)
class Suggestion:
    dimension: str
    score: int
    reasons: tuple[str, ...]


def is_peace_sector(code: str) -> bool:
    return code.startswith("152") or code in PEACE_SECTORS


def is_migration_sector(code: str) -> bool:
    return code in MIGRATION_SECTORS


def is_displacement_plan(vocabulary: str, code: str) -> bool:
    """A humanitarian plan (vocabulary 2-1) whose name says it responds to refugees, migrants or displacement."""
    if vocabulary != "2-1" or not code:
        return False
    row = codelist("HumanitarianPlan").get(code.strip().upper())
    return row is not None and any(word in row["name"].lower() for word in _PLAN_WORDS)


def _score_from_share(share: Decimal) -> int:
    if share >= 50:
        return 2
    return 1 if share > 0 else 0


def _sector_name(code: str) -> str:
    row = codelist("Sector").get(code)
    return f"{code} {row['name']}" if row else code


def suggest_scores(
    *,
    sectors: Iterable[tuple[str, Decimal | int | str]],
    humanitarian_scope_vocabulary: str = "",
    humanitarian_scope_code: str = "",
) -> dict[str, Suggestion]:
    """Suggested peace and migration scores with the reasons, from the DAC sectors and the humanitarian scope.

    A dimension whose sectors carry at least half of the budget share is suggested as principal (2), any share as
    significant (1). A refugee or migrant response plan in the humanitarian scope suggests migration >= 1.
    """
    shares = [(code, Decimal(str(share))) for code, share in sectors]
    suggestions: dict[str, Suggestion] = {}
    for dimension, test in (("peace", is_peace_sector), ("migration", is_migration_sector)):
        matched = [(code, share) for code, share in shares if test(code)]
        total = sum((share for _, share in matched), Decimal(0))
        score = _score_from_share(total)
        reasons = [f"{_sector_name(code)}: {share.normalize():f} %" for code, share in matched]
        if dimension == "migration" and is_displacement_plan(humanitarian_scope_vocabulary, humanitarian_scope_code):
            score = max(score, 1)
            plan = codelist("HumanitarianPlan")[humanitarian_scope_code.strip().upper()]["name"]
            reasons.append(f"humanitarian scope: {plan}")
        suggestions[dimension] = Suggestion(dimension, score, tuple(reasons))
    return suggestions


def marker_warnings(*, markers: Mapping[str, int], climate: int | None) -> list[str]:
    """Consistency warnings (never errors) between the Rio/DRR markers and the climate score.

    `climate` is None when the nexus profile has not been assessed yet. Rules (domain guide §4):
    max(mitigation, adaptation) = 2 => climate should be 2; = 1 => climate >= 1; DRR >= 1 with climate 0 => review.
    """
    warnings: list[str] = []
    rio = {code: markers[code] for code in (MITIGATION, ADAPTATION) if code in markers}
    rio_max = max(rio.values(), default=0)
    drr = markers.get(DRR, 0)
    named = ", ".join(
        f"{'mitigation' if code == MITIGATION else 'adaptation'} (marker {code}) = {sig}"
        for code, sig in sorted(rio.items(), key=lambda item: int(item[0]))
        if sig == rio_max
    )
    if climate is None:
        if rio_max >= 1 or drr >= 1:
            warnings.append(
                "The nexus profile has not been assessed yet, but the policy markers say the project targets "
                "climate; assess the climate score."
            )
        return warnings
    if rio_max == 2 and climate != 2:
        warnings.append(
            f"The Rio marker {named} is a principal objective, but the climate score is {climate} "
            f"({SCORE_NAMES.get(climate, climate)}); it should be 2 (principal)."
        )
    elif rio_max == 1 and climate < 1:
        warnings.append(
            f"The Rio marker {named} is a significant objective, but the climate score is 0 (not targeted); "
            "it should be at least 1 (significant)."
        )
    if drr >= 1 and climate == 0:
        warnings.append(
            f"Disaster risk reduction (marker 10) = {drr} while the climate score is 0 (not targeted); "
            "please review the climate score."
        )
    return warnings


NEXUS_TAG_VOCABULARY = "99"  # IATI TagVocabulary 99: Reporting Organisation
NEXUS_TAG_VOCABULARY_URI = "https://bakuhub.example.invalid/vocabularies/nexus-profile"  # to replace once published


def nexus_tags(*, climate: int, peace: int, migration: int) -> list[dict[str, str]]:
    """The nexus profile as IATI 2.03 `tag` elements (vocabulary 99 with its URI; codes like `climate-2`), for the
    IATI writer. Scores of 0 are published too, so a reader can tell "assessed: not targeted" from "not assessed".
    The vocabulary URI is provisional until the Hub publishes its vocabulary page (the Hub has no IATI id yet)."""
    tags = []
    for name, score in (("climate", climate), ("peace", peace), ("migration", migration)):
        if score not in SCORE_NAMES:
            raise ValueError(f"{name} score {score!r} is not 0, 1 or 2")
        tags.append(
            {
                "vocabulary": NEXUS_TAG_VOCABULARY,
                "vocabulary-uri": NEXUS_TAG_VOCABULARY_URI,
                "code": f"{name}-{score}",
                "narrative": f"{name.capitalize()}: {SCORE_NAMES[score]}",
            }
        )
    return tags
