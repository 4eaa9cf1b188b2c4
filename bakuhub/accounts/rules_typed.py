"""A typed front for the untyped `rules` package: predicates, permission registry, checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.permissions import add_perm as _add_perm
from rules.permissions import has_perm as _has_perm
from rules.predicates import Predicate
from rules.predicates import predicate as _predicate


def predicate(fn: Callable[..., bool]) -> Predicate:
    result: Predicate = _predicate(fn)  # type: ignore[no-untyped-call]
    return result


def add_perm(name: str, rule: Predicate) -> None:
    _add_perm(name, rule)  # type: ignore[no-untyped-call]


def has_perm(name: str, user: Any, obj: Any = None) -> bool:
    return bool(_has_perm(name, user, obj))  # type: ignore[no-untyped-call]
