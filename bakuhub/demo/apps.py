from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bakuhub.demo"
    label = "demo"
    verbose_name = "Hub demo data"
