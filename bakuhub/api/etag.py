"""Strong ETags computed from the JSON representation; If-None-Match → 304, stale If-Match → 412."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from bakuhub.core.errors import PreconditionFailed


def etag_of(payload: Any) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def respond(request: HttpRequest, payload: Any, *, status: int = 200) -> HttpResponse:
    etag = etag_of(payload)
    if status == 200 and _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie, Accept-Language"
    return response


def require_fresh(request: HttpRequest, current_payload: Any) -> None:
    """Refuse a write whose If-Match names an older representation than the current one."""
    header = request.headers.get("If-Match")
    if header and not _matches(header, etag_of(current_payload)):
        raise PreconditionFailed(
            "The record changed since you read it (If-Match does not match the current ETag); reload and try again."
        )
