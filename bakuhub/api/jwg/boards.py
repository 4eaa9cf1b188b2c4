"""Cross-group action boards: your open action items, and the overdue board."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from bakuhub.working_groups import selectors

from ..auth import WRITE_AUTH, writer
from ..common import paginate
from ..etag import respond
from ..schemas import PageOut
from ..schemas_jwg import ActionOut
from ..types import Limit, Offset
from .common import READ_ERRORS, router
from .rendering import _render_action

# --- Cross-group action boards (declared before the /{pk} routes) ---------------------------------------------


class BoardFilters(Schema):
    limit: Limit = 50
    offset: Offset = 0


@router.get("/actions/mine", auth=WRITE_AUTH, response={200: PageOut[ActionOut], **READ_ERRORS})
def my_actions(request: HttpRequest, filters: Query[BoardFilters]) -> HttpResponse:
    """Your open action items across every group: yours as a person or through an organisation you edit."""
    qs = selectors.my_actions(user=writer(request)).select_related("owner__user")
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_action))


@router.get("/actions/overdue", auth=WRITE_AUTH, response={200: PageOut[ActionOut], **READ_ERRORS})
def overdue_actions(request: HttpRequest, filters: Query[BoardFilters]) -> HttpResponse:
    """The overdue board: open action items past their due date, in every group whose internals you see."""
    qs = selectors.overdue_board(user=writer(request))
    return respond(request, paginate(qs, limit=filters.limit, offset=filters.offset, render=_render_action))
