"""Personal tokens outside the API: `Authorization: Bearer …` on a portal download, export or minutes PDF reads it as
the token's owner, for that request only (no session is created or changed). A bad token is a plain 401 — it never
falls back to the browser session — and tokens only read: other methods with a token are refused the same way."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from bakuhub.core.errors import Throttled

from .addresses import client_address
from .services import api_token_authenticate

SAFE_METHODS = ("GET", "HEAD")


def _unauthorised(message: str) -> HttpResponse:
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Bearer realm="bakuhub"'
    return response


class BearerTokenMiddleware:
    """After AuthenticationMiddleware; leaves /api/ to the API's own authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if not header or request.path_info.startswith("/api/"):
            return self.get_response(request)
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            return _unauthorised(_("A token may only read pages and files here; use the API to change anything."))
        try:
            user = api_token_authenticate(raw.strip(), address=client_address(request))
        except Throttled as exc:  # too many bad tokens from this address: the same limit as the API's
            response = HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(exc.retry_after)
            return response
        if user is None:
            return _unauthorised(_("The token is not valid: it is unknown, expired or revoked."))
        request.user = user
        request._bearer_token = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Authorization",))
        return response
