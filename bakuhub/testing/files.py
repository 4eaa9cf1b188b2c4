"""Real documents for upload tests: the checks open PDFs with a PDF library, so a few bytes starting with %PDF- are
no longer enough."""

from __future__ import annotations

import io

import pikepdf


def pdf_bytes(text: str = "") -> bytes:
    """A one-page PDF; a different `text` gives a different file (and hash)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if text:
        pdf.docinfo["/Title"] = text
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


PDF = pdf_bytes()


def pdf_with_javascript(*, in_object_stream: bool = True) -> bytes:
    """A PDF whose open action runs JavaScript; by default the action sits compressed in an object stream."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    pdf.Root.OpenAction = action
    buffer = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if in_object_stream else pikepdf.ObjectStreamMode.disable
    pdf.save(buffer, object_stream_mode=mode, compress_streams=True)
    return buffer.getvalue()
