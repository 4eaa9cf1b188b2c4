"""Role predicates shared by every domain's rules. `rules` is untyped, so it stays behind this module."""

from __future__ import annotations

from typing import Any

from .models import Role, User
from .rules_typed import predicate


def _user(obj: Any) -> User | None:
    return obj if isinstance(obj, User) and obj.is_active else None


@predicate
def is_secretariat(user: Any) -> bool:
    u = _user(user)
    return bool(u and u.is_secretariat)


@predicate
def is_funder(user: Any) -> bool:
    u = _user(user)
    return bool(u and u.role == Role.FUNDER)


def focal_country_ids(user: Any) -> set[int]:
    """The ids of countries a focal point may edit (cached on the user object for the request)."""
    u = _user(user)
    if u is None or u.role != Role.FOCAL_POINT:
        return set()
    cached: set[int] | None = getattr(u, "_focal_country_ids", None)
    if cached is None:
        cached = set(u.countries.values_list("id", flat=True))
        u._focal_country_ids = cached  # type: ignore[attr-defined]
    return cached


def editor_organisation_ids(user: Any) -> set[int]:
    u = _user(user)
    if u is None or u.role != Role.PARTNER_EDITOR:
        return set()
    cached: set[int] | None = getattr(u, "_editor_organisation_ids", None)
    if cached is None:
        cached = set(u.organisations.values_list("id", flat=True))
        u._editor_organisation_ids = cached  # type: ignore[attr-defined]
    return cached


class SecretariatBackend:
    """The secretariat may do everything, including the Django admin's model permissions."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        return bool(is_secretariat(user))

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        return bool(is_secretariat(user))
