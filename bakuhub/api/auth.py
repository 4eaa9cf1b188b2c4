"""Who is calling: a personal token (`Authorization: Bearer …`) or the signed-in session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from bakuhub.accounts.addresses import client_address
from bakuhub.accounts.models import User
from bakuhub.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token, address=client_address(request))
        if user is not None:
            request.user = user
        return user


def actor_of(request: HttpRequest) -> User | AnonymousUser:
    """The caller on read endpoints: anonymous is fine, but a bad token is refused rather than ignored."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        user = (
            api_token_authenticate(raw.strip(), address=client_address(request)) if scheme.lower() == "bearer" else None
        )
        if user is None:
            raise AuthenticationError()
        return user
    session_user: Any = getattr(request, "user", None)
    if isinstance(session_user, User) and session_user.is_active:
        return session_user
    return AnonymousUser()


def writer(request: HttpRequest) -> User:
    """The authenticated caller on write endpoints (set by the `WRITE_AUTH` classes)."""
    auth: Any = request.auth  # type: ignore[attr-defined]
    if not isinstance(auth, User):
        raise AuthenticationError()
    return auth


class SessionWithoutToken(SessionAuth):
    """The session (with its CSRF check), but only when no Authorization header is sent: a bad token never falls
    back to the browser session."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        return super().__call__(request)


WRITE_AUTH = [BearerToken(), SessionWithoutToken(csrf=True)]
