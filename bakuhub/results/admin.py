"""Secretariat administration of the results framework. Titles, units and targets can be corrected here (audited);
actuals go through the submit/approve workflow of `results.services`, so their fields are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from bakuhub.core.admin_audit import AuditedAdmin

from .models import Disaggregation, Indicator, IndicatorPeriod, Result

WORKFLOW_FIELDS = (
    "actual_value",
    "actual_status",
    "actual_comment",
    "evidence",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
)


@admin.register(Result)
class ResultAdmin(AuditedAdmin):
    list_display = ("title", "project", "kind", "reported_by", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("title", "project__identifier")
    list_select_related = ("project", "reported_by")
    readonly_fields = ("project", "reported_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # results_create checks that the reporting organisation is on the project


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("title", "result", "measure", "unit", "ascending", "baseline_year", "baseline_value")
    list_filter = ("measure", "ascending")
    search_fields = ("title", "result__title", "result__project__identifier")
    list_select_related = ("result",)
    readonly_fields = ("result", "measure")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class DisaggregationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Disaggregation
    extra = 0
    readonly_fields = ("dimension", "category", "target_value", "actual_value")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IndicatorPeriod)
class IndicatorPeriodAdmin(AuditedAdmin):
    list_display = ("indicator", "period_start", "period_end", "target_value", "actual_value", "actual_status")
    list_filter = ("actual_status",)
    search_fields = ("indicator__title", "indicator__result__project__identifier")
    list_select_related = ("indicator",)
    readonly_fields = ("indicator", "period_start", "period_end", *WORKFLOW_FIELDS)
    inlines = [DisaggregationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # period_create checks the project's dates and overlaps
