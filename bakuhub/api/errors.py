"""One error shape everywhere: {"code": …, "message": …, "errors": {field: [...]}}."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from bakuhub.core.errors import DomainError, Throttled


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "errors": errors or {}}, status=status)


_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}
_PARAM_NAMES = {"payload", "filters"}


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        if loc and loc[0] in _SOURCES:
            loc = loc[1:]
            if len(loc) > 1 and loc[0] in _PARAM_NAMES:
                loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(str(item.get("msg", "Invalid value.")))
    return errors


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    429: "throttled",
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, status=exc.status, code=exc.code, message=exc.message, errors=exc.errors)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response(api, request, status=429, code=exc.code, message=exc.message, errors=exc.errors)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _field_errors(exc)
        summary = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in errors.items())
        return error_response(
            api, request, status=400, code="invalid", message=f"Invalid input — {summary}", errors=errors
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="unauthorized",
            message="Sign in, or send a valid personal token as 'Authorization: Bearer …'.",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            return error_response(
                api, request, status=400, code="malformed_json", message="The request body is not valid JSON."
            )
        return error_response(
            api, request, status=exc.status_code, code=_HTTP_CODES.get(exc.status_code, "error"), message=message
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=str(exc) or "Not found.")
