"""Searching countries by name in English, French, Portuguese and Arabic, or by ISO code.

Names are compared folded: Unicode-normalised (NFKD), accents and Arabic short vowels dropped, case-folded, the
Arabic letter variants unified (alef with hamza or madda as alef, teh marbuta as heh, alef maksura as yeh) and
punctuation read as a space, so "guine bissau" and "Guiné-Bissáu" both find Guinea-Bissau. The country table is
small (about 250 rows), so the match is done in Python, the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata

from bakuhub.core.models import Country

NAME_FIELDS = ("name_en", "name_fr", "name_pt", "name_ar", "official_name")
MAX_TERM = 100

_ALEF, _HEH, _YEH = "\u0627", "\u0647", "\u064a"
_ARABIC = str.maketrans(
    {"\u0623": _ALEF, "\u0625": _ALEF, "\u0622": _ALEF, "\u0671": _ALEF, "\u0629": _HEH, "\u0649": _YEH, "\u0640": ""}
)
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """`text` reduced for comparison: no accents or short vowels, case-folded, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold().translate(_ARABIC)).split())


def country_ids_matching(term: str) -> list[int]:
    """Ids of the countries whose ISO2/ISO3 code is `term`, or whose name in any language contains it (folded)."""
    folded = fold(term[:MAX_TERM])
    code = term.strip().upper()
    if not folded:
        return []
    ids = []
    for row in Country.objects.values("id", "iso2", "iso3", *NAME_FIELDS):
        if code in (row["iso2"], row["iso3"]) or any(folded in fold(row[name] or "") for name in NAME_FIELDS):
            ids.append(row["id"])
    return ids


def country_named(term: str) -> Country | None:
    """The one country `term` names: its ISO code, a name in any language (folded), or a part of a name that only
    one country has; None if none or several."""
    ids = country_ids_matching(term)
    if not ids:
        return None
    folded = fold(term[:MAX_TERM])
    candidates = list(Country.objects.filter(id__in=ids))
    code = term.strip().upper()
    exact = [
        c
        for c in candidates
        if code in (c.iso2, c.iso3) or any(folded == fold(getattr(c, name) or "") for name in NAME_FIELDS)
    ]
    if len(exact) == 1:
        return exact[0]
    return candidates[0] if len(candidates) == 1 else None
