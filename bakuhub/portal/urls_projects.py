from __future__ import annotations

from django.urls import URLPattern, path

from .views import project_forms, projects, rates

urlpatterns: list[URLPattern] = [
    path("projects/", projects.project_list, name="projects"),
    path("projects/export.<str:fmt>", projects.project_export, name="project_export"),
    path("projects/new/", project_forms.project_create, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/edit/", project_forms.project_edit, name="project_edit"),
    path("projects/<int:pk>/sectors/", project_forms.project_sectors, name="project_sectors"),
    path("projects/<int:pk>/nexus/", project_forms.project_nexus, name="project_nexus"),
    path("projects/<int:pk>/humanitarian/", project_forms.project_humanitarian, name="project_humanitarian"),
    path("projects/<int:pk>/screening/", project_forms.project_screening, name="project_screening"),
    path("projects/<int:pk>/locations/new/", project_forms.location_add, name="project_location_new"),
    path("projects/<int:pk>/phase/", project_forms.project_phase, name="project_phase"),
    path("projects/<int:pk>/budgets/new/", project_forms.budget_add, name="project_budget_new"),
    path("projects/<int:pk>/transactions/new/", project_forms.transaction_add, name="project_transaction_new"),
    path("finance/rates/", rates.rates, name="rates"),
    path("results/pending/", rates.pending, name="pending_results"),
    path("results/pending/<int:pk>/review/", rates.review, name="review_result"),
]
