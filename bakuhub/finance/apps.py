from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "bakuhub.finance"
    label = "finance"
    verbose_name = "Finance"
