from .decisions import (
    action_item_create,
    action_item_update,
    decision_create,
    decision_update,
)
from .groups import (
    calendar_rotate,
    member_add,
    personal_calendar_rotate,
    working_group_create,
    working_group_update,
)
from .meetings import agenda_item_add, attendance_set, meeting_attachment_add, meeting_create, meeting_update

__all__ = [
    "action_item_create",
    "action_item_update",
    "agenda_item_add",
    "attendance_set",
    "calendar_rotate",
    "decision_create",
    "decision_update",
    "meeting_attachment_add",
    "meeting_create",
    "meeting_update",
    "member_add",
    "personal_calendar_rotate",
    "working_group_create",
    "working_group_update",
]
