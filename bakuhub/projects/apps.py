from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "bakuhub.projects"
    label = "projects"
    verbose_name = "Projects"
