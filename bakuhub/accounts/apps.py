from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bakuhub.accounts"
    label = "accounts"
    verbose_name = "Accounts"
