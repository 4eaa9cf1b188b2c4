from .actuals import actual_review, actual_submit
from .checks import CATEGORIES
from .framework import indicator_create, period_create, result_create

__all__ = ["CATEGORIES", "actual_review", "actual_submit", "indicator_create", "period_create", "result_create"]
