"""One error shape everywhere: {"code": …, "message": …, "errors": {field: [...]}}.

Every answer under /api/ that is an error has this shape: the domain's errors, invalid input, unknown paths (404),
methods a path does not take (405), bodies that are too large (413) or cannot be read, and unexpected exceptions
(500, logged with the request id and never shown)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from bakuhub.core.errors import DomainError, Throttled
from bakuhub.core.request_context import current_request_id

logger = logging.getLogger("bakuhub.api")


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] = {}


# The error answers every operation may give; routers add them to their `response=` declarations.
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys((400, 401, 403, 404, 409, 412, 413, 429), ErrorOut)


def error_body(*, code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code=code, message=message, errors=errors), status=status)


class UnreadableText(ValueError):
    """The request holds text no record can keep: a lone surrogate such as "\\ud800" (not valid Unicode) or the NUL
    character (which PostgreSQL refuses). `field` names where (dotted path; "" when it is not in a field)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field or "__all__": [self.message]}


def _check_text(value: Any, path: str = "") -> None:
    if isinstance(value, str):
        where = {"field": path or _("the request")}
        if "\x00" in value:
            msg = _("%(field)s holds a NUL character (U+0000), which text may not contain.") % where
            raise UnreadableText(msg, path)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = f"U+{ord(value[exc.start]):04X}"
            msg = _("%(field)s holds text that is not valid Unicode (a lone surrogate, %(code)s).") % {
                **where,
                "code": code,
            }
            raise UnreadableText(msg, path) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}.{index}" if path else str(index))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class StrictJsonParser(Parser):
    """JSON as RFC 8259 has it (no NaN or Infinity), and text any record can keep: no lone surrogates and no NUL,
    in the body and in the query string."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body, parse_constant=_refuse_constant)
        _check_text(data)
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        _check_text(parsed)
        return parsed


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
        message = str(item.get("msg", "Invalid value.")).removeprefix("Value error, ")
        errors.setdefault(".".join(loc) or "__all__", []).append(message)
    return errors


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def server_error_message() -> str:
    return _(
        "Something went wrong on our side; it has been logged under request id %(id)s. Try again, or quote the id."
    ) % {"id": current_request_id() or "-"}


def too_large_message() -> str:
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    limit = f"{size // (1024 * 1024)} MB" if size and size >= 1024 * 1024 else f"{size} bytes"
    return _("The request body is larger than the %(limit)s the API accepts (files are sent as multipart).") % {
        "limit": limit
    }


def generic_message(status: int) -> str:
    messages: dict[int, Callable[[], str]] = {
        400: lambda: _("The request could not be read."),
        401: lambda: _("Sign in, or send a valid personal token as 'Authorization: Bearer …'."),
        403: lambda: _("You may not do this."),
        404: lambda: _("There is nothing at this address; the API's paths are listed at /api/v1/docs."),
        405: lambda: _("This address does not take this method."),
        413: too_large_message,
        500: server_error_message,
    }
    return messages.get(status, lambda: _("The request failed."))()


def install(api: NinjaAPI) -> None:
    api.parser = StrictJsonParser()

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
        return error_response(api, request, status=401, code="unauthorized", message=generic_message(401))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            if isinstance(exc.__cause__, UnreadableText):
                cause = exc.__cause__
                return error_response(
                    api, request, status=400, code="invalid_text", message=cause.message, errors=cause.errors
                )
            return error_response(
                api, request, status=400, code="malformed_json", message=_("The request body is not valid JSON.")
            )
        return error_response(
            api, request, status=exc.status_code, code=HTTP_CODES.get(exc.status_code, "error"), message=message
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=str(exc) or generic_message(404))

    @api.exception_handler(UnreadableText)
    def unreadable_text(request: HttpRequest, exc: UnreadableText) -> HttpResponse:
        return error_response(api, request, status=400, code="invalid_text", message=exc.message, errors=exc.errors)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(api, request, status=413, code="too_large", message=too_large_message())

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=400,
            code="malformed_multipart",
            message=_("The multipart body cannot be read (check its boundary and parts)."),
        )

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        logger.warning("Refused a suspicious request: %s", exc)
        return error_response(api, request, status=400, code="bad_request", message=generic_message(400))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception(
            "Unexpected error on %s %s (request id %s)", request.method, request.path, current_request_id() or "-"
        )
        return error_response(api, request, status=500, code="server_error", message=server_error_message())


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Every /api/ address no operation answers."""
    return JsonResponse(error_body(code="not_found", message=generic_message(404)), status=404)


class ApiErrorMiddleware:
    """The last net under /api/: an error answer that is not JSON (Django's own 400/403/404/405/413/500 pages, a
    middleware's refusal) is replaced by the one error shape, keeping its status and headers such as Allow."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        replacement = JsonResponse(
            error_body(code=HTTP_CODES.get(status, "error"), message=generic_message(status)), status=status
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "X-Request-ID", "Vary"):
            if header in response:
                replacement[header] = response[header]
        return replacement


_READ_ERRORS = (400, 401, 403, 404, 429)
_WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 413, 429)
_ERROR_DESCRIPTIONS = {
    400: "Invalid input or an unreadable body",
    401: "Not authenticated, or a bad token",
    403: "Not allowed",
    404: "Not found",
    409: "Conflicts with the current state",
    412: "If-Match does not match the current ETag",
    413: "The body is too large",
    429: "Too many requests; see Retry-After",
}


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare in the OpenAPI document the error answers every operation may give, with the one error schema, so a
    client (and a contract test) knows them: reads 400/401/403/404/429, writes also 409/412/413."""
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _READ_ERRORS if method == "get" else _WRITE_ERRORS:
                if status not in responses and str(status) not in responses:
                    responses[status] = {
                        "description": _ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}},
                    }
    return schema
