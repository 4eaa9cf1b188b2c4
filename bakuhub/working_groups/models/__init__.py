from .calendars import PersonalCalendar
from .decisions import ActionItem, Decision, ReminderLog
from .groups import WorkingGroup, WorkingGroupMember
from .meetings import AgendaItem, Attendance, Meeting, MeetingAttachment

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "Decision",
    "Meeting",
    "MeetingAttachment",
    "PersonalCalendar",
    "ReminderLog",
    "WorkingGroup",
    "WorkingGroupMember",
]
