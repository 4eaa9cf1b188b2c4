"""Secretariat view of projects. Every project write has rules (identifiers, phases, sums, screening, sensitivity)
and bumps the project's version, which the services own, so everything here is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from bakuhub.core.admin_audit import ReadOnlyAdmin

from .models import Location, PolicyMarker, Project, ProjectDocument, ProjectParticipant, ProjectSector, Screening


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ParticipantInline(ReadOnlyInline):
    model = ProjectParticipant


class SectorInline(ReadOnlyInline):
    model = ProjectSector


class MarkerInline(ReadOnlyInline):
    model = PolicyMarker


class LocationInline(ReadOnlyInline):
    model = Location
    fields = ("admin_unit", "admin2_pcode", "name", "precision", "sensitivity")


class DocumentInline(ReadOnlyInline):
    model = ProjectDocument
    fields = ("title", "category", "mime_type", "is_public", "uploaded_at")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = (
        "identifier",
        "title",
        "country",
        "lead_organisation",
        "phase",
        "climate_score",
        "peace_score",
        "migration_score",
        "is_public",
        "is_demo",
    )
    list_filter = ("phase", "country", "is_public", "is_demo", "humanitarian")
    list_select_related = ("country", "lead_organisation")
    search_fields = ("identifier", "titles")
    inlines = [ParticipantInline, SectorInline, MarkerInline, LocationInline, DocumentInline]


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("project", "is_complete", "reviewer", "reviewed_on")
    list_filter = ("is_complete",)
    list_select_related = ("project", "reviewer")


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("project", "admin_unit", "admin2_pcode", "name", "precision", "sensitivity")
    list_filter = ("sensitivity", "precision")
    list_select_related = ("project", "admin_unit")
