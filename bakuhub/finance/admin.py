from __future__ import annotations

from django.contrib import admin

from bakuhub.core.admin_audit import ReadOnlyAdmin

from .models import Budget, ExchangeRate, Transaction


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    """Read-only: rates come in whole files through `bakuhub import_rates FILE` (checked, all or nothing)."""

    list_display = ("currency", "on_date", "per_usd", "source", "imported_at")
    list_filter = ("currency",)
    date_hierarchy = "on_date"


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    """Read-only: budgets are written through the finance services (period rules, conversion at the value date)."""

    list_display = ("project", "period_start", "period_end", "kind", "status", "amount", "currency", "amount_usd")
    list_filter = ("kind", "status", "currency", "is_demo")
    list_select_related = ("project",)


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    """Read-only: transactions are written through the finance services (sign rules, conversion at the value date)."""

    list_display = ("project", "kind", "transaction_date", "amount", "currency", "amount_usd", "provider_name")
    list_filter = ("kind", "currency", "is_demo")
    list_select_related = ("project",)
    date_hierarchy = "transaction_date"
