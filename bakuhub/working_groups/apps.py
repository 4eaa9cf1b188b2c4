from django.apps import AppConfig


class WorkingGroupsConfig(AppConfig):
    name = "bakuhub.working_groups"
    label = "working_groups"
    verbose_name = "Joint Working Groups"
