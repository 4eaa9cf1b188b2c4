"""A ModelAdmin base whose saves and deletes go to the audit trail like any service write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from . import audit

REDACTED = "(changed)"


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    redacted_fields: tuple[str, ...] = ("password",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool) -> None:
        fields = [f for f in form.changed_data if not isinstance(obj._meta.get_field(f), models.ManyToManyField)]
        before = {} if not change else audit.snapshot(type(obj).objects.get(pk=obj.pk), fields)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj, fields)
        for name in self.redacted_fields:
            if name in after:
                before[name], after[name] = None, REDACTED
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}.admin"
        actor: Any = request.user
        audit.record(
            actor=actor,
            action=action,
            obj=obj,
            changes=audit.diff(before, after) if change else {k: [None, v] for k, v in after.items()},
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        actor: Any = request.user
        audit.record(actor=actor, action=f"{obj._meta.model_name}.delete.admin", obj=obj)
        super().delete_model(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit trail
        return actions


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """For records written only through services (with their rules and evidence) or never edited at all."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
