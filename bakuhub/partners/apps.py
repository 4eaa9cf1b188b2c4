from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "bakuhub.partners"
    label = "partners"
    verbose_name = "Partners, memberships and memoranda"
