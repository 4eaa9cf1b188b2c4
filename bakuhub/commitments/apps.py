from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "bakuhub.commitments"
    label = "commitments"
    verbose_name = "Commitments"
