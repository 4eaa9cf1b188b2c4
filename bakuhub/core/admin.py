from __future__ import annotations

from django.contrib import admin

from .admin_audit import AuditedAdmin, ReadOnlyAdmin
from .models import AdminUnit, AuditRecord, Country


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ("iso3", "name_en", "region_name", "is_ldc", "fragility")
    list_filter = ("region_name", "is_ldc", "is_sids", "fragility")
    search_fields = ("iso3", "iso2", "name_en", "name_fr", "name_pt", "name_ar")


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditedAdmin):
    list_display = ("pcode", "name", "iso_3166_2", "country")
    list_filter = ("country",)
    search_fields = ("pcode", "name", "iso_3166_2")
    exclude = ("geometry",)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ("created_at", "actor_label", "action", "object_type", "object_id", "object_repr", "request_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "request_id", "object_id")
