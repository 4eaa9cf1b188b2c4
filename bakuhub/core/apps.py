from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bakuhub.core"
    label = "core"
    verbose_name = "Core"
