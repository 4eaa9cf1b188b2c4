"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from . import commitments, countries, errors, jwg, memberships, memoranda, organisations, portfolio


class HubAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return errors.declare_errors(super().get_openapi_schema(*args, **kwargs))


api = HubAPI(
    title="Baku Hub API",
    version="1",
    description=(
        "Countries, partner organisations, membership lifecycle, memoranda, Joint Working Groups (meetings, "
        "decisions, action items), commitments and the project portfolio (projects, budgets, transactions, results, "
        "funder matches) of the Baku Climate and Peace Action Hub. Reads are open for "
        "published data; writes need a session (with CSRF) or a personal token sent as "
        "`Authorization: Bearer …`. Every error has the shape {code, message, errors}. Lost updates: signed-in "
        'readers get an ETag that carries the record\'s version (like `"3f2a….v7"`); send `If-Match` with the '
        "ETag you read when you edit, and the write is refused with 412 (naming the fields changed since) if "
        "someone else wrote first. The check happens inside the write's transaction, so of two writes made from one "
        "read exactly one succeeds."
    ),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/countries", countries.router)
api.add_router("/organisations", organisations.router)
api.add_router("/memberships", memberships.router)
api.add_router("/memoranda", memoranda.router)
api.add_router("/working-groups", jwg.router)
api.add_router("/commitments", commitments.router)
api.add_router("/", portfolio.router)  # /projects, /budgets, /transactions, /results, /indicators, /periods
