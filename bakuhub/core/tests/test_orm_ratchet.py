"""Reads belong in the domains' selectors, not in the API or the portal. This ratchet counts the ORM calls still
written in `bakuhub/api/` and `bakuhub/portal/` (outside tests): the count may only go down, and when it does the
limit below must come down with it, so no change can quietly add one back."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("api", "portal")
ORM_CALL = re.compile(r"\.objects\b|\._base_manager\b|\.select_for_update\(")
# 63 when the ratchet was set (December 2026); the target is 5 or fewer.
ORM_CALL_LIMIT = 62


def orm_calls() -> list[str]:
    found = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "tests" in path.relative_to(ROOT).parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                found += [f"{path.relative_to(ROOT.parent)}:{number}"] * len(ORM_CALL.findall(line))
    return found


def test_the_api_and_the_portal_make_no_new_orm_calls():
    calls = orm_calls()
    assert len(calls) <= ORM_CALL_LIMIT, (
        f"{len(calls)} ORM calls in api/ and portal/ (limit {ORM_CALL_LIMIT}): read through the domain's selectors "
        "instead.\n" + "\n".join(calls)
    )


def test_the_limit_comes_down_with_the_count():
    count = len(orm_calls())
    assert count >= ORM_CALL_LIMIT, f"Only {count} ORM calls are left: lower ORM_CALL_LIMIT to {count}."


def test_the_counter_sees_a_call():
    assert ORM_CALL.findall("Project.objects.filter(pk=1)  # and Project._base_manager") == [
        ".objects",
        "._base_manager",
    ]
