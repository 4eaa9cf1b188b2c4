from __future__ import annotations

from django.urls import include, path

from .views import accounts, countries, home, partners

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("countries/<str:iso3>/", countries.country_detail, name="country"),
    path("countries/<str:iso3>/transition/", countries.transition, name="transition"),
    path("partners/", partners.organisation_list, name="organisations"),
    path("partners/<slug:slug>/", partners.organisation_detail, name="organisation"),
    path("memoranda/<int:pk>/", partners.memorandum_detail, name="memorandum"),
    path("memoranda/<int:pk>/versions/", partners.memorandum_upload, name="memorandum_upload"),
    path("memoranda/<int:pk>/signatories/", partners.signatory_add, name="memorandum_signatory_add"),
    path(
        "memoranda/<int:pk>/signatories/<int:signatory_id>/remove/",
        partners.signatory_remove,
        name="memorandum_signatory_remove",
    ),
    path("account/tokens/", accounts.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("audit/<str:label>/<str:pk>.csv", accounts.audit_csv, name="audit_csv"),
    path("", include("bakuhub.portal.urls_jwg")),
    path("", include("bakuhub.portal.urls_calendars")),
    path("", include("bakuhub.portal.urls_exports")),
    path("", include("bakuhub.portal.urls_projects")),
    path("", include("bakuhub.portal.urls_files")),
]
