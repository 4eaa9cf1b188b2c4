from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "bakuhub.results"
    label = "results"
    verbose_name = "Results"
