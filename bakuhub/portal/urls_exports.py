from __future__ import annotations

from django.urls import URLPattern, path

from .views import exports

urlpatterns: list[URLPattern] = [
    path("exports/actions.<str:fmt>", exports.export_actions, name="export_actions"),
    path("exports/decisions.<str:fmt>", exports.export_decisions, name="export_decisions"),
    path("exports/commitments.<str:fmt>", exports.export_commitments, name="export_commitments"),
]
