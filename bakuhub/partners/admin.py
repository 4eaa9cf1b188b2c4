"""Secretariat administration. Lifecycle milestones and state changes are recorded through the portal or the API
(they need evidence and keep the shown stage in step), so memberships, milestones and events are read-only here."""

from __future__ import annotations

from django.contrib import admin

from bakuhub.core.admin_audit import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Contact,
    HubEvent,
    Initiative,
    InitiativeParticipant,
    Membership,
    MembershipEvent,
    MembershipMilestone,
    Memorandum,
    MemorandumSignatory,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "acronym", "org_type", "iati_identifier", "is_demo")
    list_filter = ("org_type", "is_demo")
    search_fields = ("name", "acronym", "iati_identifier")
    prepopulated_fields = {"slug": ("acronym",)}
    exclude = ("logo",)  # uploaded through the portal or the API, where its content is checked


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "email", "is_public")
    list_filter = ("is_public",)


class ParticipantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = InitiativeParticipant
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin):
    list_display = ("name", "acronym", "launched_on")
    inlines = [ParticipantInline]


@admin.register(HubEvent)
class HubEventAdmin(AuditedAdmin):
    list_display = ("occurred_on", "title", "place", "fact_id")
    search_fields = ("title",)


class SignatoryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MemorandumSignatory
    extra = 0


@admin.register(Memorandum)
class MemorandumAdmin(AuditedAdmin):
    list_display = ("title", "status", "approved_on", "signed_on")
    list_filter = ("status",)
    filter_horizontal = ("party_countries", "party_organisations", "establishes_jwg_for")
    inlines = [SignatoryInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("country", "stage", "stage_since", "is_public")
    list_filter = ("stage",)


@admin.register(MembershipMilestone)
class MembershipMilestoneAdmin(ReadOnlyAdmin):
    list_display = ("membership", "milestone", "reached_on", "inferred_from", "source_title")
    list_filter = ("milestone",)


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    list_display = ("membership", "from_stage", "to_stage", "occurred_on", "source_title")
