"""Upload checks: size, emptiness and the real type read from the content, never from the name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from .errors import ValidationFailed

Upload: TypeAlias = UploadedFile[Any]

ODT_MIME = "application/vnd.oasis.opendocument.text"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Checked:
    mime: str
    extension: str
    size: int


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _check_size(upload: Upload, field: str, max_bytes: int) -> int:
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed("The file is empty.", errors={field: ["The file is empty."]})
    if size > max_bytes:
        msg = f"The file is {_mb(size)}; the limit is {_mb(max_bytes)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return size


def _sniff_zip_document(head: bytes, upload: Upload) -> Checked | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == ODT_MIME.encode():
                    return Checked(ODT_MIME, "odt", 0)
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.getinfo("[Content_Types].xml")
                content_types = archive.read(types) if types.file_size <= 1_000_000 else b"macroEnabled"
                if "word/vbaProject.bin" in names or b"macroEnabled" in content_types:
                    return None  # a macro-enabled document (.docm) is not accepted
                return Checked(DOCX_MIME, "docx", 0)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


_PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def _pdf_has_active_content(upload: Upload) -> bool:
    """Scan the raw bytes (in overlapping chunks) for the PDF names that run code or carry other files."""
    upload.seek(0)
    tail = b""
    try:
        for chunk in upload.chunks():
            window = tail + chunk
            if any(name in window for name in _PDF_ACTIVE):
                return True
            tail = window[-16:]
    finally:
        upload.seek(0)
    return False


def check_document(upload: Upload, *, max_bytes: int, field: str = "file") -> Checked:
    """Accept PDF, DOCX or ODT, recognised from the bytes; anything else is refused with the reason."""
    size = _check_size(upload, field, max_bytes)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        if _pdf_has_active_content(upload):
            msg = "The PDF contains JavaScript or launch actions, which are not accepted; export it again without them."
            raise ValidationFailed(msg, errors={field: [msg]})
        return Checked("application/pdf", "pdf", size)
    zipped = _sniff_zip_document(head, upload)
    if zipped is not None:
        return Checked(zipped.mime, zipped.extension, size)
    msg = "Only PDF, DOCX or ODT documents are accepted; the content of this file is none of them."
    raise ValidationFailed(msg, errors={field: [msg]})


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
        msg = "Only PNG, JPEG or WebP images are accepted; the content of this file is none of them."
        raise ValidationFailed(msg, errors={field: [msg]})
    if width > 2000 or height > 2000:
        msg = f"The image is {width}x{height} pixels; the limit is 2000x2000."
        raise ValidationFailed(msg, errors={field: [msg]})
    mime, ext = _IMAGE_FORMATS[fmt]
    return Checked(mime, ext, size)
