"""Upload checks read the real type from the bytes, never from the name or the declared content type."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bakuhub.core.errors import ValidationFailed
from bakuhub.core.files import DOCX_MIME, ODT_MIME, check_document, check_logo
from bakuhub.testing.files import pdf_bytes

MB = 1024 * 1024
PDF = pdf_bytes()


def zip_bytes(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, (name, content) in enumerate(members):
            compress = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compress)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Memorandum</w:t></w:r></w:p></w:body></w:document>'
    )
    return zip_bytes([("[Content_Types].xml", content_types), ("word/document.xml", document)])


def odt_bytes(mimetype: str = ODT_MIME) -> bytes:
    return zip_bytes(
        [
            ("mimetype", mimetype.encode()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
        ],
        stored_first=True,
    )


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 120, 80)).save(buffer, fmt)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- documents ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "mime", "extension"),
    [
        (PDF, "application/pdf", "pdf"),
        (docx_bytes(), DOCX_MIME, "docx"),
        (odt_bytes(), ODT_MIME, "odt"),
    ],
    ids=["pdf", "docx", "odt"],
)
def test_it_recognises_a_document_from_its_content(content, mime, extension):
    checked = check_document(upload(content, "named-anything.txt"), max_bytes=MB)
    assert (checked.mime, checked.extension, checked.size) == (mime, extension, len(content))


def test_it_leaves_the_upload_at_its_start(tmp_path):
    document = upload(docx_bytes())
    check_document(document, max_bytes=MB)
    assert document.read() == docx_bytes()


@pytest.mark.parametrize(
    "content",
    [
        image_bytes("PNG"),
        image_bytes("JPEG"),
        SVG,
        b"<html><body>not a document</body></html>",
        b"MZ\x90\x00\x03 executable",
        zip_bytes([("readme.txt", b"hello"), ("data.csv", b"a,b\n1,2\n")]),
        zip_bytes([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]),  # a spreadsheet
        odt_bytes("application/vnd.oasis.opendocument.spreadsheet"),
        b"PK\x03\x04 truncated, not really a zip",
        b" %PDF-1.4 with a leading space",
    ],
    ids=["png", "jpeg", "svg", "html", "exe", "plain-zip", "xlsx", "ods", "broken-zip", "not-at-start"],
)
def test_it_refuses_anything_else_naming_the_accepted_types(content):
    with pytest.raises(ValidationFailed) as refused:
        check_document(upload(content, "looks-fine.pdf"), max_bytes=MB)
    assert "PDF, DOCX or ODT" in refused.value.message
    assert refused.value.errors == {"file": [refused.value.message]}


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationFailed) as refused:
        check_document(upload(b"", "empty.pdf"), max_bytes=MB)
    assert "empty" in refused.value.message


def test_it_refuses_a_file_over_the_limit_naming_it():
    content = PDF + b"0" * (MB // 2)
    with pytest.raises(ValidationFailed) as refused:
        check_document(upload(content), max_bytes=MB // 2, field="evidence_document")
    assert "the limit is 0.5 MB" in refused.value.message
    assert list(refused.value.errors) == ["evidence_document"]


def test_it_accepts_a_file_exactly_at_the_limit():
    content = PDF + b"0" * (1000 - len(PDF))
    assert check_document(upload(content), max_bytes=1000).size == 1000


# --- logos ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")],
)
def test_it_accepts_a_raster_logo(fmt, mime, extension):
    checked = check_logo(upload(image_bytes(fmt), "logo.svg"), max_bytes=MB)
    assert (checked.mime, checked.extension) == (mime, extension)


def test_it_accepts_a_logo_of_exactly_2000_pixels():
    assert check_logo(upload(image_bytes("PNG", (2000, 2000))), max_bytes=MB).mime == "image/png"


@pytest.mark.parametrize(
    "content",
    [SVG, image_bytes("GIF"), image_bytes("BMP"), PDF, image_bytes("PNG")[:40]],
    ids=["svg", "gif", "bmp", "pdf", "truncated-png"],
)
def test_it_refuses_a_logo_that_is_not_png_jpeg_or_webp(content):
    with pytest.raises(ValidationFailed) as refused:
        check_logo(upload(content, "logo.png"), max_bytes=MB)
    assert "PNG, JPEG or WebP" in refused.value.message
    assert list(refused.value.errors) == ["logo"]


@pytest.mark.parametrize("size", [(2001, 10), (10, 2001)])
def test_it_refuses_a_logo_with_too_large_dimensions(size):
    with pytest.raises(ValidationFailed) as refused:
        check_logo(upload(image_bytes("PNG", size)), max_bytes=MB)
    assert f"{size[0]}x{size[1]} pixels" in refused.value.message
    assert "2000x2000" in refused.value.message


def test_it_refuses_a_logo_over_the_byte_limit():
    with pytest.raises(ValidationFailed) as refused:
        check_logo(upload(image_bytes("PNG")), max_bytes=10)
    assert "limit" in refused.value.message


def test_it_refuses_an_empty_logo():
    with pytest.raises(ValidationFailed) as refused:
        check_logo(upload(b""), max_bytes=MB)
    assert "empty" in refused.value.message


def test_it_refuses_a_macro_enabled_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(ValidationFailed, match="contains macros"):
        check_document(SimpleUploadedFile("minutes.docx", buffer.getvalue()), max_bytes=10_000)
