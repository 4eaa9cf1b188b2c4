"""Handing a stored file to the one who may have it: the view decides who may (with the owning record's rule); this
module only builds the response.

`BAKUHUB_FILE_SERVING` says how the bytes leave: "django" streams them (FileResponse); "x-accel-redirect" (nginx)
and "x-sendfile" (Apache, lighttpd) answer with an empty body and a header naming the file, which the web server
then sends itself from a location no URL reaches directly."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

SERVING_MODES = ("django", "x-accel-redirect", "x-sendfile")


def content_disposition(name: str, *, inline: bool = False) -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 / 5987), safe for any name: the plain form keeps
    printable ASCII only (no quotes, backslashes or separators), the extended form percent-encodes everything."""
    clean = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    clean = clean.replace("/", "_").replace("\\", "_").strip() or "download"
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"%;' else "_" for c in clean)
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(clean, safe='')}"


def _mode() -> str:
    mode = str(getattr(settings, "BAKUHUB_FILE_SERVING", "django")).lower()
    return mode if mode in SERVING_MODES else "django"


def file_response(field_file: FieldFile, *, mime: str, download_name: str, inline: bool = False) -> HttpResponseBase:
    """The response for one stored file, with its checked type, `nosniff` and a safe Content-Disposition; 404 when
    the row has no file or the file is missing from storage."""
    name = str(field_file.name or "")
    if not name or not field_file.storage.exists(name):
        raise Http404(_("The file is no longer stored."))
    mode = _mode()
    response: HttpResponseBase
    if mode == "django":
        response = FileResponse(field_file.storage.open(name, "rb"), content_type=mime)
    else:
        response = HttpResponse(b"", content_type=mime)
        if mode == "x-accel-redirect":
            prefix = str(settings.BAKUHUB_PROTECTED_MEDIA_PREFIX).rstrip("/")
            response["X-Accel-Redirect"] = quote(f"{prefix}/{name}")
        else:
            response["X-Sendfile"] = str(Path(field_file.storage.path(name)))
    response["Content-Type"] = mime
    response["Content-Disposition"] = content_disposition(download_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if inline else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_path(route: str, pk: int) -> str:
    """The site-relative address of a download view (`route` is its name in the portal, e.g. 'file_logo')."""
    return reverse(f"portal:{route}", args=[pk])


def download_url(route: str, pk: int) -> str:
    """The absolute address of a download view, on BAKUHUB_SITE_URL (for the API)."""
    return str(settings.BAKUHUB_SITE_URL).rstrip("/") + download_path(route, pk)
