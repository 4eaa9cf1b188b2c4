"""Downloads of stored files, one view per kind of owner. Each applies the rule of the record that owns the file
(through that domain's selector) and answers 404, never 403, to whoever may not see it: the address of a private
file tells nothing. Storage is never reached by any other URL."""

from __future__ import annotations

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bakuhub.core.downloads import file_response
from bakuhub.core.files import stored_mime
from bakuhub.partners import selectors as partner_selectors
from bakuhub.projects import selectors as project_selectors
from bakuhub.results import selectors as result_selectors
from bakuhub.working_groups import selectors as jwg_selectors


def _missing() -> Http404:
    return Http404(_("No file that you can see here."))


@require_safe
def memorandum_version(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = partner_selectors.memorandum_version_for_download(user=request.user, pk=pk)
    if version is None:
        raise _missing()
    return file_response(version.file, mime=version.mime_type, download_name=version.original_name)


@require_safe
def project_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = project_selectors.project_document_for_download(user=request.user, pk=pk)
    if document is None:
        raise _missing()
    name = document.original_name or f"{document.title}.{str(document.file.name).rsplit('.', 1)[-1]}"
    return file_response(document.file, mime=document.mime_type, download_name=name)


@require_safe
def meeting_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = jwg_selectors.meeting_attachment_for_download(user=request.user, pk=pk)
    if attachment is None:
        raise _missing()
    return file_response(attachment.file, mime=attachment.mime_type, download_name=attachment.original_name)


def _evidence_response(owner: Model | None, field: str, name_field: str) -> HttpResponseBase:
    """The evidence file `owner.<field>` (its type known from the stored, checked extension), or 404."""
    if owner is None:
        raise _missing()
    stored_file: FieldFile = getattr(owner, field)
    stored = str(stored_file.name)
    name = getattr(owner, name_field) or stored.rsplit("/", 1)[-1]
    return file_response(stored_file, mime=stored_mime(stored), download_name=name)


@require_safe
def membership_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    event = partner_selectors.membership_evidence_for_download(user=request.user, pk=pk)
    return _evidence_response(event, "evidence_document", "evidence_original_name")


@require_safe
def milestone_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    milestone = partner_selectors.milestone_evidence_for_download(user=request.user, pk=pk)
    return _evidence_response(milestone, "evidence_document", "evidence_original_name")


@require_safe
def result_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    period = result_selectors.period_evidence_for_download(user=request.user, pk=pk)
    return _evidence_response(period, "evidence", "evidence_original_name")


@require_safe
def organisation_logo(request: HttpRequest, pk: int) -> HttpResponseBase:
    organisation = partner_selectors.organisation_with_logo(pk=pk)
    if organisation is None:
        raise _missing()
    stored = str(organisation.logo.name)
    name = f"{organisation.slug}-logo.{stored.rsplit('.', 1)[-1]}"
    return file_response(organisation.logo, mime=stored_mime(stored), download_name=name, inline=True)
