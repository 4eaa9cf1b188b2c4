"""Secretariat administration of JWGs. Meetings, decisions and actions carry rules (numbering, owners, dates,
sanitised text) that live in the services, so they are read-only here; edit them in the portal or the API."""

from __future__ import annotations

from django.contrib import admin

from bakuhub.core.admin_audit import AuditedAdmin, ReadOnlyAdmin

from .models import ActionItem, Decision, Meeting, ReminderLog, WorkingGroup, WorkingGroupMember


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkingGroupMember
    extra = 0
    can_delete = False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "country", "status", "started_on", "is_demo")
    list_filter = ("status", "is_demo")
    inlines = [MemberInline]


@admin.register(WorkingGroupMember)
class WorkingGroupMemberAdmin(AuditedAdmin):
    list_display = ("working_group", "person_name", "organisation", "user", "role")
    list_filter = ("role", "working_group")
    fields = ("user", "email", "role")

    def has_add_permission(self, request: object) -> bool:
        return False  # members are added with the service (it checks who may add them)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("working_group", "title", "starts_at", "timezone", "status", "is_example")
    list_filter = ("status", "is_example")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("reference", "decided_on", "status")
    list_filter = ("status", "working_group")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "working_group", "owner", "due_on", "status")
    list_filter = ("status", "working_group")


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("action", "kind", "due_on", "recipient", "sent_at")
