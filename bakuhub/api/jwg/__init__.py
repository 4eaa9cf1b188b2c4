"""Joint Working Groups: groups and members, meetings, decisions, action items and the group calendar.

The public sees groups, members (without e-mail addresses), meetings' dates and places, and decisions. Insiders
(the secretariat, funders, the country's focal points and the group's own members) also see minutes, agenda,
attendance, attachments, action items and members' e-mail addresses.

Every module declares its routes on the one `router` (mounted at /working-groups) when it is imported, so the
import order below is the order of the routes: the cross-group boards (/actions/mine, /actions/overdue) come
before the /{pk} routes."""

from __future__ import annotations

# isort: off
from . import boards  # noqa: F401
from . import groups  # noqa: F401
from . import meetings  # noqa: F401
from . import decisions  # noqa: F401
from . import actions  # noqa: F401

# isort: on
from .common import router

__all__ = ["router"]

# Ninja derives an operation id from the view's module; keep the ids the API had as one module, working_groups.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = (
            _operation.operation_id or f"bakuhub_api_working_groups_{_operation.view_func.__name__}"
        )
