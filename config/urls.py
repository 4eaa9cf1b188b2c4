from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path, re_path

from bakuhub.accounts.permissions import is_secretariat
from bakuhub.api.errors import api_not_found
from bakuhub.api.root import api
from bakuhub.portal.views.health import healthz

admin.site.site_header = "Baku Hub — secretariat administration"


def _secretariat_only(request: HttpRequest) -> bool:
    """The Django admin is for the Hub secretariat only, whatever a user's staff flag says."""
    return bool(is_secretariat(request.user))


admin.site.has_permission = _secretariat_only  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # every other /api/ address: the API's JSON 404, not the site's page
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("bakuhub.portal.urls_accounts")),
    path("", include("bakuhub.portal.urls")),
]
# No pattern serves MEDIA_ROOT: stored files leave only through the download views (bakuhub.portal.urls_files),
# which apply the rule of the record that owns each file.
