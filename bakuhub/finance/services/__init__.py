from .budgets import budget_create, budget_delete, periods_overlap
from .rates import RatesImportResult, rates_import
from .transactions import transaction_create, transaction_delete

__all__ = [
    "RatesImportResult",
    "budget_create",
    "budget_delete",
    "periods_overlap",
    "rates_import",
    "transaction_create",
    "transaction_delete",
]
