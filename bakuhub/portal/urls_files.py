from __future__ import annotations

from django.urls import URLPattern, path

from .views import files

urlpatterns: list[URLPattern] = [
    path("files/memorandum-versions/<int:pk>/", files.memorandum_version, name="file_memorandum_version"),
    path("files/project-documents/<int:pk>/", files.project_document, name="file_project_document"),
    path("files/meeting-attachments/<int:pk>/", files.meeting_attachment, name="file_meeting_attachment"),
    path("files/membership-evidence/<int:pk>/", files.membership_evidence, name="file_membership_evidence"),
    path("files/milestone-evidence/<int:pk>/", files.milestone_evidence, name="file_milestone_evidence"),
    path("files/result-evidence/<int:pk>/", files.result_evidence, name="file_result_evidence"),
    path("files/logos/<int:pk>/", files.organisation_logo, name="file_logo"),
]
