"""Upload checks: size, emptiness and the real type read from the content, never from the name; active content
(PDF scripts and actions, Office macros, ActiveX and OLE embeddings, OpenDocument macros) is refused.

Stored files are named at random from their checked type (`RandomName`, `store_checked`): the uploader's name is
kept only in the row, for the download's `Content-Disposition`."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

import pikepdf
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from lxml import etree
from PIL import Image, UnidentifiedImageError

from .errors import ValidationFailed

Upload: TypeAlias = UploadedFile[Any]

ODT_MIME = "application/vnd.oasis.opendocument.text"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# The type a stored file has, read from the extension `store_checked` gave it (always one of these).
MIME_BY_EXTENSION = {
    "pdf": PDF_MIME,
    "docx": DOCX_MIME,
    "odt": ODT_MIME,
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
}

# Zip-based documents: bounds on what they unpack to (a zip bomb is refused before anything is read).
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XML_PART_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    mime: str
    extension: str
    size: int
    sha256: str = ""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _check_size(upload: Upload, field: str, max_bytes: int) -> int:
    size = upload.size or 0
    if size == 0:
        raise _refuse(field, _("The file is empty."))
    if size > max_bytes:
        raise _refuse(
            field, _("The file is %(size)s; the limit is %(limit)s.") % {"size": _mb(size), "limit": _mb(max_bytes)}
        )
    return size


def _sha256(upload: Upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- zip documents (DOCX, ODT) --------------------------------------------------------------------------------

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_pis=True
)


def _xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Any:
    """A part parsed without entities, DTDs or network access; None when it is too big or not XML."""
    if info.file_size > XML_PART_MAX_BYTES:
        return None
    try:
        return etree.fromstring(archive.read(info), _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


_DOCX_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "ms-office.vba")
_DOCX_OBJECT_TYPES = ("activex", "oleobject", "ms-office.oleobject")
_DOCX_MACRO_RELATIONS = ("/vbaproject", "/vbadata", "/wordvbadata", "/keymapcustomizations")
# An embedded package (the workbook behind a chart) is accepted: its content type is checked like any other part.
_DOCX_OBJECT_RELATIONS = ("/activexcontrol", "/activexcontrolbinary", "/oleobject")


def _macro_message() -> str:
    return _("The Word document contains macros, which are not accepted; save it as a plain .docx without macros.")


def _object_message() -> str:
    return _(
        "The Word document contains ActiveX controls or embedded objects, which are not accepted; "
        "remove them and save it again."
    )


def _check_docx(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], field: str) -> bool:
    """Whether this is a DOCX; raise when it carries macros or active objects. Part names, content types and
    relationship types are compared case-insensitively, as OPC says."""
    types_info = by_name.get("[content_types].xml")
    if types_info is None:
        return False
    types = _xml(archive, types_info)
    if types is None:
        return False
    content_types: list[str] = []
    main_part = False
    for element in types:
        content_type = str(element.get("ContentType", "")).strip().lower()
        content_types.append(content_type)
        if _local(element.tag) == "Override" and content_type == DOCX_MAIN:
            main_part = True
    if any(marker in t for t in content_types for marker in _DOCX_MACRO_TYPES):
        raise _refuse(field, _macro_message())
    if not main_part:
        return False
    if any(marker in t for t in content_types for marker in _DOCX_OBJECT_TYPES):
        raise _refuse(field, _object_message())
    for name, info in by_name.items():
        base = posixpath.basename(name)
        if "vbaproject" in base or "vbadata" in base:
            raise _refuse(field, _macro_message())
        if "activex" in name or base.startswith("oleobject"):
            raise _refuse(field, _object_message())
        if not name.endswith(".rels"):
            continue
        relations = _xml(archive, info)
        if relations is None:
            raise _refuse(field, _("The Word document is damaged (a relationship part cannot be read); save it again."))
        for relation in relations:
            kind = str(relation.get("Type", "")).strip().lower()
            target = str(relation.get("Target", "")).strip().lower()
            if kind.endswith(_DOCX_MACRO_RELATIONS):
                raise _refuse(field, _macro_message())
            if kind.endswith(_DOCX_OBJECT_RELATIONS):
                raise _refuse(field, _object_message())
            remote = target.startswith(("http:", "https:", "\\\\", "//")) or (
                target.startswith("file://") and not target.startswith("file:///")
            )
            if kind.endswith("/attachedtemplate") and remote:
                msg = _(
                    "The Word document loads its template from another address, which is not accepted; "
                    "save it again without that template."
                )
                raise _refuse(field, msg)
    return True


# Macro links and event bindings inside the XML parts (attribute values, so ordinary text never matches).
_ODT_MACRO_MARKERS = (b"vnd.sun.star.script:", b'"macro:', b"'macro:", b"<script:event-listener")


def _odt_message() -> str:
    return _("The OpenDocument file contains macros or scripts, which are not accepted; save it again without them.")


def _check_odt(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], field: str) -> bool:
    info = by_name.get("mimetype")
    if info is None or info.file_size > 100 or archive.read(info).strip() != ODT_MIME.encode():
        return False
    for name in by_name:
        if name.startswith(("basic/", "scripts/")) or "/basic/" in name or "/scripts/" in name:
            raise _refuse(field, _odt_message())
    manifest_info = by_name.get("meta-inf/manifest.xml")
    manifest = _xml(archive, manifest_info) if manifest_info is not None else None
    if manifest is not None:
        for entry in manifest.iter():
            attributes = {etree.QName(k).localname: str(v).lower() for k, v in entry.attrib.items()}
            path = attributes.get("full-path", "")
            media = attributes.get("media-type", "")
            if path.startswith(("basic/", "scripts/")) or any(m in media for m in ("basic", "script", "macro")):
                raise _refuse(field, _odt_message())
    for part in ("content.xml", "styles.xml", "settings.xml"):
        part_info = by_name.get(part)
        if part_info is None or part_info.file_size > ZIP_MAX_UNCOMPRESSED:
            continue
        with archive.open(part_info) as stream:
            data = stream.read().lower()
        if any(marker in data for marker in _ODT_MACRO_MARKERS):
            raise _refuse(field, _odt_message())
    return True


def _sniff_zip_document(head: bytes, upload: Upload, field: str) -> Checked | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or sum(m.file_size for m in members) > ZIP_MAX_UNCOMPRESSED:
                msg = _("The document unpacks to more than %(size)s or %(count)s files, which is not accepted.") % {
                    "size": _mb(ZIP_MAX_UNCOMPRESSED),
                    "count": ZIP_MAX_MEMBERS,
                }
                raise _refuse(field, msg)
            by_name = {m.filename.lower(): m for m in members}
            if _check_odt(archive, by_name, field):
                return Checked(ODT_MIME, "odt", 0)
            if _check_docx(archive, by_name, field):
                return Checked(DOCX_MIME, "docx", 0)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


# --- PDF --------------------------------------------------------------------------------------------------------

# Actions that run code, open addresses or files, or send data; a dictionary with /S set to one of them is refused
# (except a plain http(s)/mailto hyperlink, which a reader follows only on a click).
_PDF_ACTIONS = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToR", "/GoToE"}
# Keys that carry scripts, files or media wherever they appear.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/Launch"}
_PDF_FILE_NAMES = {"/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/FileAttachment", "/Filespec"}


def _pdf_script_message() -> str:
    return _(
        "The PDF contains JavaScript or actions that open addresses, files or forms, which are not accepted; "
        "print it to a new PDF without them."
    )


def _pdf_file_message() -> str:
    return _("The PDF carries embedded files or media, which are not accepted; upload them separately.")


def _children(obj: Any) -> Iterator[tuple[str | None, Any]]:
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        for key, value in obj.items():
            yield str(key), value
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            yield None, item


def _pdf_problem(obj: Any) -> str | None:
    """What is wrong with one dictionary (its keys and action type), or None."""
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if not isinstance(obj, pikepdf.Dictionary):
        return None
    keys = {str(k) for k in obj}
    subtype = str(obj.get("/Subtype", "")) if isinstance(obj.get("/Subtype"), pikepdf.Name) else ""
    kind = str(obj.get("/Type", "")) if isinstance(obj.get("/Type"), pikepdf.Name) else ""
    if keys & {"/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"} or {subtype, kind} & _PDF_FILE_NAMES - {"/Filespec"}:
        return "file"
    if keys & _PDF_ACTIVE_KEYS:
        return "script"
    action = obj.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) == "/URI" and _plain_web_link(obj.get("/URI")):
        return None  # an ordinary hyperlink (Word and LibreOffice export them); never as an open action, see below
    if isinstance(action, pikepdf.Name) and str(action) in _PDF_ACTIONS:
        return "script"
    return None


def _plain_web_link(uri: Any) -> bool:
    """A web or e-mail address a reader opens only when the reader clicks it (no javascript:, file:, smb: …)."""
    if not isinstance(uri, pikepdf.String):
        return False
    text = str(uri).strip().lower()
    return text.startswith(("http://", "https://", "mailto:")) and not any(ord(c) < 32 for c in text)


def _open_action_problem(pdf: pikepdf.Pdf) -> str | None:
    """An action run when the document opens may only show a page: not even a web address opens by itself."""
    action = pdf.Root.get("/OpenAction")
    if isinstance(action, pikepdf.Dictionary):
        kind = action.get("/S")
        if isinstance(kind, pikepdf.Name) and str(kind) in _PDF_ACTIONS:
            return "script"
    return None


def _walk_pdf(pdf: pikepdf.Pdf) -> str | None:
    """Visit every object, decoded (object streams included, names un-escaped by the parser)."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            problem = _pdf_problem(obj)
            if problem is not None:
                return problem
            stack.extend(child for _key, child in _children(obj))
        elif isinstance(obj, pikepdf.Name) and str(obj) in {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia"}:
            return "script" if str(obj) in {"/JavaScript", "/Launch"} else "file"
    return None


def _check_pdf(upload: Upload, field: str) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise _refuse(
                    field, _("The PDF is encrypted or protected by a password; upload a copy without protection.")
                )
            problem = _open_action_problem(pdf) or _walk_pdf(pdf)
    except pikepdf.PasswordError:
        raise _refuse(
            field, _("The PDF is encrypted or protected by a password; upload a copy without protection.")
        ) from None
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001 - whatever a hostile file makes the parser throw, it is unreadable to us
        msg = _("The PDF cannot be read (it is damaged or not really a PDF); export it again and upload the new file.")
        raise _refuse(field, msg) from None
    if problem == "file":
        raise _refuse(field, _pdf_file_message())
    if problem is not None:
        raise _refuse(field, _pdf_script_message())


def check_document(upload: Upload, *, max_bytes: int, field: str = "file") -> Checked:
    """Accept PDF, DOCX or ODT, recognised from the bytes; anything else is refused with the reason."""
    size = _check_size(upload, field, max_bytes)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        _check_pdf(upload, field)
        return Checked(PDF_MIME, "pdf", size, _sha256(upload))
    zipped = _sniff_zip_document(head, upload, field)
    if zipped is not None:
        return Checked(zipped.mime, zipped.extension, size, _sha256(upload))
    raise _refuse(field, _("Only PDF, DOCX or ODT documents are accepted; the content of this file is none of them."))


_IMAGE_FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}


def check_logo(upload: Upload, *, max_bytes: int, field: str = "logo") -> Checked:
    """Accept PNG, JPEG or WebP up to 2000x2000 pixels (no SVG: it can carry script)."""
    size = _check_size(upload, field, max_bytes)
    upload.seek(0)
    try:
        data = upload.read()
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        fmt, width, height = "", 0, 0
    finally:
        upload.seek(0)
    if fmt not in _IMAGE_FORMATS:
        raise _refuse(field, _("Only PNG, JPEG or WebP images are accepted; the content of this file is none of them."))
    if width > 2000 or height > 2000:
        msg = _("The image is %(w)sx%(h)s pixels; the limit is 2000x2000.") % {"w": width, "h": height}
        raise _refuse(field, msg)
    mime, ext = _IMAGE_FORMATS[fmt]
    return Checked(mime, ext, size, _sha256(upload))


# --- storing ----------------------------------------------------------------------------------------------------


@deconstructible
class RandomName:
    """`upload_to` for every stored file: `<folder>/<year>/<random hex>.<extension>`. Only an extension that a
    check gives (see MIME_BY_EXTENSION) survives; nothing else of the name it is handed reaches the disk."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        extension = posixpath.splitext(filename)[1].lstrip(".").lower()
        if extension not in MIME_BY_EXTENSION:
            extension = "bin"
        return f"{self.folder}/{dt.date.today():%Y}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def store_checked(field_file: FieldFile, upload: Upload, checked: Checked) -> str:
    """Store a checked upload in its field under a random name with the checked type's extension (the field's
    upload_to is a RandomName); the row is not saved. Returns the stored name."""
    upload.seek(0)
    field_file.save(f"upload.{checked.extension}", File(upload), save=False)
    return str(field_file.name)


def original_name(upload: Upload, default: str = "document") -> str:
    """The uploader's file name, for the row only: base name, normalised, without control characters."""
    raw = unicodedata.normalize("NFC", str(upload.name or ""))
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return (clean or default)[:255]


def stored_mime(name: str) -> str:
    """The type of a stored file, from the extension its check gave it."""
    extension = posixpath.splitext(name)[1].lstrip(".").lower()
    return MIME_BY_EXTENSION.get(extension, "application/octet-stream")
