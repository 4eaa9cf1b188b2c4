"""Who is calling: a personal token (`Authorization: Bearer …`) or the signed-in session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

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
    back to the browser session. A caller who is not signed in is told to authenticate (401) before any CSRF check;
    a signed-in session without a valid CSRF token is refused (403) with a message saying so."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        session_user: Any = getattr(request, "user", None)
        if session_user is None or not session_user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: a signed-in browser must send the page's CSRF token "
                    "(X-CSRFToken header); scripts should use a personal token instead."
                ),
            )
        return request.COOKIES.get(self.param_name)


WRITE_AUTH = [BearerToken(), SessionWithoutToken(csrf=True)]
