from __future__ import annotations

from django.urls import URLPattern, path

from .views import actions, commitments, jwg_forms, working_groups

urlpatterns: list[URLPattern] = [
    path("working-groups/", working_groups.group_list, name="working_groups"),
    path("working-groups/<int:pk>/", working_groups.group_detail, name="working_group"),
    path("working-groups/<int:pk>/meetings/new/", jwg_forms.meeting_create, name="meeting_new"),
    path("working-groups/<int:pk>/meetings/<int:meeting_pk>/", working_groups.meeting_detail, name="meeting"),
    path("working-groups/<int:pk>/decisions/new/", jwg_forms.decision_create, name="decision_new"),
    path("working-groups/<int:pk>/actions/new/", jwg_forms.action_create, name="action_new"),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("actions/overdue/", actions.overdue_board, name="overdue_board"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    path("commitments/", commitments.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment"),
]
