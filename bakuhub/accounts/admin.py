from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bakuhub.core.admin_audit import AuditedAdmin

from .models import ApiToken, User


@admin.register(User)
class HubUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "email", "role", "is_active")
    list_filter = ("role", "is_active")
    filter_horizontal = ("countries", "organisations", "groups", "user_permissions")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Hub role", {"fields": ("role", "countries", "organisations")}))


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "token_hash", "created_at", "expires_at", "last_used_at")
    fields = (*readonly_fields, "revoked_at")

    def has_add_permission(self, request: object) -> bool:
        return False
