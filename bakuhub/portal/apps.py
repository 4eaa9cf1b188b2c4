from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bakuhub.portal"
    label = "portal"
    verbose_name = "Portal"
