"""Strong ETags computed from the JSON representation; If-None-Match → 304; If-Match → the version a write expects.

A record that can be edited carries its version in its ETag for the viewers who may see all of it:
`"<hash of the representation>.v<version>"`. A write turns the If-Match it receives into `expected_version` for
the service, which compares it with the row it has locked inside its transaction (`bakuhub.core.concurrency`), so
two writes made from the same read cannot both succeed. Viewers who see only the public representation get an ETag
without the version, which changes only when what they see changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from bakuhub.core.errors import PreconditionFailed

from .auth import actor_of

# The hash part is what `etag_of` produces; the version is bounded so it always fits the database's integer.
_VERSIONED = re.compile(r'^"[0-9a-f]{1,64}\.v(\d{1,18})"$')

IF_MATCH_HELP = (
    "Send `If-Match` with the ETag you read (one ETag, as returned): the write is refused with 412 if the record "
    "changed since, and the error names the fields changed."
)


def etag_of(payload: Any, version: int | None = None) -> str:
    """The ETag of `payload`; with `version`, the version is appended so a later If-Match can name it."""
    body = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(body.encode()).hexdigest()[:32]
    return f'"{digest}.v{version}"' if version is not None else f'"{digest}"'


def _candidates(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def _matches(header: str, etag: str) -> bool:
    candidates = _candidates(header)
    return "*" in candidates or etag in candidates


def respond(request: HttpRequest, payload: Any, *, status: int = 200, version: int | None = None) -> HttpResponse:
    """The JSON response with its ETag (carrying `version` when given); 304 when If-None-Match names it."""
    etag = etag_of(payload, version)
    if status == 200 and _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie, Accept-Language"
    return response


def expected_version(request: HttpRequest) -> int | None:
    """The version the request's If-Match names, for the service's `expected_version` (None: no If-Match, or `*`).

    The comparison itself happens in the service, inside the write transaction. An If-Match that is not an ETag
    this API sent with a version is refused with 412, never ignored.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if any(part.strip().startswith("W/") for part in header.split(",")):  # RFC 9110: If-Match compares strongly
        raise PreconditionFailed(
            _("If-Match takes the strong ETag you read (without W/); send it as the API gave it."),
            errors={"If-Match": [_("A weak ETag never matches.")]},
        )
    candidates = _candidates(header)
    if "*" in candidates:
        return None
    versions: set[int] = set()
    for candidate in candidates:
        match = _VERSIONED.match(candidate)
        if match is None:
            raise PreconditionFailed(
                _(
                    'If-Match must be the ETag you read from this API (like "3f2a….v7"); '
                    "read the record again and send its ETag."
                ),
                errors={"If-Match": [_("Not an ETag of this API.")]},
            )
        versions.add(int(match.group(1)))
    if len(versions) != 1:
        raise PreconditionFailed(
            _("If-Match must name exactly one version of the record; send the one ETag you read."),
            errors={"If-Match": [_("Send exactly one ETag.")]},
        )
    return versions.pop()


def respond_record(request: HttpRequest, payload: Any, record: Any, *, status: int = 200) -> HttpResponse:
    """`respond` for one editable record: signed-in viewers get its version in the ETag, to send back in If-Match;
    anonymous viewers get an ETag of what they see only."""
    version = record.version if actor_of(request).is_authenticated else None
    return respond(request, payload, status=status, version=version)
