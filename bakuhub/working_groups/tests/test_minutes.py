"""Minutes of a meeting as PDF: renders (page 1 is not blank) in English and French, fetches nothing, and only
the group's insiders may read it."""

from __future__ import annotations

import ctypes
import datetime as dt
import socket

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bakuhub.conftest import client_for
from bakuhub.reports import minutes as minutes_module
from bakuhub.reports.minutes import RefusingUrlFetcher, minutes_html, minutes_pdf
from bakuhub.working_groups.models import ActionItem, Attendance, Decision, Meeting
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chad_group(chad):
    return WorkingGroupFactory(country=chad, name="Joint Working Group Hub - Chad")


@pytest.fixture
def meeting(chad_group):
    meeting = MeetingFactory(
        working_group=chad_group,
        title="Second JWG meeting",
        place="Ministry of Environment, N'Djamena",
        minutes="<p>The group <strong>reviewed</strong> the work plan.</p><ul><li>Budget agreed</li></ul>",
    )
    chair = MemberFactory(working_group=chad_group, person_name="Amina Mahamat", role="co_chair")
    member = MemberFactory(working_group=chad_group, person_name="Jean Dupont")
    AttendanceFactory(meeting=meeting, member=chair)
    AttendanceFactory(meeting=meeting, member=member, status=Attendance.Status.APOLOGIES)
    item = AgendaItemFactory(meeting=meeting, title="Adoption of the work plan")
    decision = DecisionFactory(working_group=chad_group, meeting=meeting, agenda_item=item, text="Work plan adopted.")
    ActionItemFactory(
        working_group=chad_group,
        meeting=meeting,
        decision=decision,
        owner=chair,
        title="Circulate the work plan",
        due_on=dt.date(2025, 12, 1),
        status=ActionItem.Status.IN_PROGRESS,
    )
    return meeting


def _page_one(pdf: bytes):
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    image = page.render(scale=1).to_pil().convert("L")
    text = page.get_textpage().get_text_range()
    return image, text


def _fonts(pdf: bytes) -> set[str]:
    """The (subset) names of the fonts the text of page 1 is set in."""
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    textpage = page.get_textpage()
    names = set()
    for index in range(min(textpage.count_chars(), 400)):
        name = ctypes.create_string_buffer(256)
        if pdfium_raw.FPDFText_GetFontInfo(textpage.raw, index, name, 256, ctypes.byref(ctypes.c_int())):
            names.add(name.value.decode().partition("+")[2])
    return names


def _assert_not_blank(image) -> None:
    low, high = image.getextrema()
    assert low < 128, "page 1 has no dark pixels (no text)"
    assert high == 255, "page 1 has no white pixels"
    assert image.size[0] > 500 and image.size[1] > 700  # A4 at 72 dpi is 595 x 842


def test_minutes_pdf_renders_in_english(meeting):
    pdf = minutes_pdf(meeting, language="en")

    assert pdf.startswith(b"%PDF-")
    fonts = _fonts(pdf)
    assert "DejaVu-Sans" in fonts and all(f.startswith("DejaVu-Sans") for f in fonts)  # system font, subsets
    image, text = _page_one(pdf)
    _assert_not_blank(image)
    for expected in (
        "Second JWG meeting",
        "Joint Working Group Hub - Chad",
        "Attendance",
        "Agenda",
        "Minutes",
        "Decisions",
        "Action items",
        "Owner",
        "Due",
        "Amina Mahamat",
        "Adoption of the work plan",
        "reviewed",
        "TCD-JWG/2025/01",
        "Adopted",
        "Circulate the work plan",
        "In progress",
        "Africa/Ndjamena",
        "10:00",
        "12 November 2025",
    ):
        assert expected in text, expected


def test_minutes_pdf_renders_in_french(meeting):
    pdf = minutes_pdf(meeting, language="fr")

    image, text = _page_one(pdf)
    _assert_not_blank(image)
    for expected in (
        "Ordre du jour",
        "Présence",
        "Procès-verbal",
        "Décisions",
        "Actions",
        "Responsable",
        "Échéance",
        "Tchad",
        "Adoptée",
        "En cours",
        "novembre 2025",
        "10h00",
    ):
        assert expected in text, expected
    assert "Attendance" not in text


def test_minutes_pdf_renders_in_portuguese_from_the_catalogue(meeting):
    pdf = minutes_pdf(meeting, language="pt")

    image, text = _page_one(pdf)
    _assert_not_blank(image)
    for expected in ("Ordem de trabalhos", "Presenças", "Decisões", "Responsável", "Adotada", "Em curso", "Novembro"):
        assert expected in text, expected
    assert "Agenda" not in text and "Attendance" not in text


def test_minutes_pdf_renders_in_arabic_right_to_left_with_arabic_glyphs(meeting):
    html = minutes_html(meeting, language="ar")
    assert '<html lang="ar" dir="rtl">' in html

    pdf = minutes_pdf(meeting, language="ar")
    assert all(f.startswith("DejaVu-Sans") for f in _fonts(pdf))  # a font with Arabic glyphs, no fallback
    image, text = _page_one(pdf)
    _assert_not_blank(image)
    for expected in ("القرارات", "المحضر", "الحضور", "المسؤول", "معتمد"):  # decisions, minutes, attendance, ...
        assert expected in text, expected
    assert "Decisions" not in text and "Attendance" not in text


def test_a_regional_variant_uses_its_language_and_none_means_the_minutes_language(meeting):
    assert '<html lang="pt" dir="ltr">' in minutes_html(meeting, language="pt-br")
    assert '<html lang="fr" dir="ltr">' in minutes_html(meeting, language="fr-FR")
    assert '<html lang="en" dir="ltr">' in minutes_html(meeting, language="xx")
    Meeting.objects.filter(pk=meeting.pk).update(language="fr")
    meeting.refresh_from_db()
    assert "Ordre du jour" in minutes_html(meeting)


def test_example_meeting_is_labelled_in_both_languages(chad_group):
    example = MeetingFactory(working_group=chad_group, is_example=True)

    assert "Example meeting — not a real meeting" in minutes_html(example, language="en")
    assert "Réunion d'exemple — pas une réunion réelle" in minutes_html(example, language="fr")


def test_only_the_minutes_field_is_unescaped(chad_group):
    meeting = MeetingFactory(working_group=chad_group, title="<b>bold</b> title", minutes="<p><em>kept</em></p>")
    DecisionFactory(working_group=chad_group, meeting=meeting, text="<i>not markup</i>")

    html = minutes_html(meeting, language="en")

    assert "&lt;b&gt;bold&lt;/b&gt; title" in html
    assert "&lt;i&gt;not markup&lt;/i&gt;" in html
    assert "<p><em>kept</em></p>" in html


def test_hostile_minutes_body_fetches_nothing_and_still_renders(chad_group, monkeypatch):
    meeting = MeetingFactory(working_group=chad_group)
    # Written past the sanitiser on purpose (nh3 would strip <img> and <link>): the renderer is the last guard.
    hostile = (
        '<p>Before</p><img src="http://127.0.0.1:9/tracker.png">'
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<p style="background: url(file:///etc/passwd)">After</p>'
    )
    Meeting.objects.filter(pk=meeting.pk).update(minutes=hostile)
    meeting.refresh_from_db()
    connections: list[object] = []

    def no_network(self, address):  # type: ignore[no-untyped-def]
        connections.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    # Both guards of the renderer are tested apart: here the display-time cleaning is switched off, so the fetcher
    # has to stand alone (test_hostile_markup_never_reaches_the_renderer covers the cleaning).
    monkeypatch.setattr(minutes_module, "clean_html", lambda value: value)
    fetcher = RefusingUrlFetcher()

    pdf = minutes_pdf(meeting, language="en", fetcher=fetcher)

    assert "http://127.0.0.1:9/tracker.png" in fetcher.refused
    assert fetcher.fetched == []
    assert connections == []
    image, text = _page_one(pdf)
    _assert_not_blank(image)
    assert "Before" in text and "After" in text


def test_the_default_fetcher_of_weasyprint_is_never_used(chad_group, monkeypatch):
    meeting = MeetingFactory(working_group=chad_group)
    Meeting.objects.filter(pk=meeting.pk).update(minutes='<img src="https://example.org/a.png">')
    meeting.refresh_from_db()
    default_calls: list[str] = []
    monkeypatch.setattr(
        minutes_module._weasyprint_urls.URLFetcher, "fetch", lambda self, url, headers=None: default_calls.append(url)
    )
    monkeypatch.setattr(minutes_module, "clean_html", lambda value: value)
    fetcher = RefusingUrlFetcher()

    assert minutes_pdf(meeting, fetcher=fetcher).startswith(b"%PDF-")
    assert fetcher.refused == ["https://example.org/a.png"]
    assert default_calls == []


def test_hostile_markup_never_reaches_the_renderer(chad_group):
    meeting = MeetingFactory(working_group=chad_group)
    Meeting.objects.filter(pk=meeting.pk).update(minutes='<p>Kept</p><img src="https://example.org/a.png">')
    meeting.refresh_from_db()
    fetcher = RefusingUrlFetcher()

    assert minutes_pdf(meeting, fetcher=fetcher).startswith(b"%PDF-")
    assert fetcher.refused == []


def test_minutes_of_a_cancelled_meeting_with_nothing_recorded_render(chad_group):
    empty = MeetingFactory(
        working_group=chad_group, status=Meeting.Status.CANCELLED, place="", online_url="https://x.org"
    )

    html = minutes_html(empty, language="en")
    image, _ = _page_one(minutes_pdf(empty, language="en"))

    assert "This meeting was cancelled." in html
    assert "No minutes recorded yet." in html
    _assert_not_blank(image)


def test_overdue_open_action_is_marked(chad_group):
    meeting = MeetingFactory(working_group=chad_group)
    ActionItemFactory(working_group=chad_group, meeting=meeting, due_on=timezone.localdate() - dt.timedelta(days=1))

    assert "overdue" in minutes_html(meeting, language="en")
    assert "en retard" in minutes_html(meeting, language="fr")


# --- the portal view -----------------------------------------------------------------------------------------------


def _url(meeting: Meeting, **query: str) -> str:
    url = reverse("portal:meeting_minutes_pdf", args=[meeting.working_group_id, meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_minutes_pdf_view_for_the_chad_focal_point(meeting, chad_focal_point):
    response = client_for(chad_focal_point).get(_url(meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="minutes-TCD-JWG-2025-11-12-')
    assert response["Cache-Control"] == "private, no-store"
    _, text = _page_one(response.content)
    assert "Attendance" in text


def test_minutes_pdf_view_speaks_french_by_query_or_by_the_request_language(meeting, chad_focal_point):
    client = client_for(chad_focal_point)

    _, by_query = _page_one(client.get(_url(meeting, lang="fr")).content)
    _, by_header = _page_one(client.get(_url(meeting), headers={"accept-language": "fr"}).content)

    assert "Ordre du jour" in by_query
    assert "Ordre du jour" in by_header


def test_minutes_pdf_view_speaks_portuguese_and_arabic_by_query(meeting, chad_focal_point):
    client = client_for(chad_focal_point)

    _, portuguese = _page_one(client.get(_url(meeting, lang="pt")).content)
    _, arabic = _page_one(client.get(_url(meeting, lang="ar")).content)

    assert "Ordem de trabalhos" in portuguese
    assert "القرارات" in arabic


def test_minutes_pdf_view_answers_an_unknown_language_with_400_naming_the_languages(meeting, chad_focal_point):
    response = client_for(chad_focal_point).get(_url(meeting, lang="de"))

    assert response.status_code == 400
    assert response.content.decode() == (
        "Minutes are not available in 'de'; the languages are: en (English), fr (French), pt (Portuguese), ar (Arabic)."
    )


def test_minutes_pdf_view_refuses_outsiders(meeting, iom_editor):
    assert client_for(iom_editor).get(_url(meeting)).status_code == 403


def test_minutes_pdf_view_sends_anonymous_visitors_to_sign_in(meeting):
    response = client_for(None).get(_url(meeting))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_minutes_pdf_view_for_a_member_organisation(meeting, iom, iom_editor, secretariat, gcf_funder):
    MemberFactory(working_group=meeting.working_group, organisation=iom, person_name="")

    assert client_for(iom_editor).get(_url(meeting)).status_code == 200
    assert client_for(secretariat).get(_url(meeting)).status_code == 200
    assert client_for(gcf_funder).get(_url(meeting)).status_code == 200


def test_minutes_pdf_view_404s_for_a_meeting_of_another_group(meeting, guinea_bissau, secretariat):
    other = WorkingGroupFactory(country=guinea_bissau)
    url = reverse("portal:meeting_minutes_pdf", args=[other.pk, meeting.pk])

    assert client_for(secretariat).get(url).status_code == 404


def test_decision_reference_and_status_follow_the_record(meeting):
    Decision.objects.filter(meeting=meeting).update(status=Decision.Status.IMPLEMENTED)

    _, text = _page_one(minutes_pdf(meeting, language="en"))

    assert "Implemented" in text


def test_arabic_minutes_keep_latin_text_and_dates_in_their_own_order(meeting):
    meeting.minutes = "<p>Example data for a demonstration.</p>"
    meeting.starts_at = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
    meeting.ends_at = dt.datetime(2025, 10, 1, 11, 0, tzinfo=dt.UTC)
    meeting.timezone = "UTC"
    meeting.save()

    html = minutes_html(meeting, language="ar")

    assert 'dir="ltr"><p>Example data for a demonstration.</p></div>' in html
    assert '<h1 dir="ltr">Second JWG meeting</h1>' in html
    assert '<td dir="ltr">Work plan adopted.</td>' in html
    assert "\u2068Ministry of Environment, N&#x27;Djamena\u2069" in html  # the place, isolated
    # the date, isolated, with the Arabic comma
    assert "\u2068الأربعاء 1 أكتوبر 2025\u060c 09:00\u201311:00\u2069" in html  # noqa: RUF001
    _, text = _page_one(minutes_pdf(meeting, language="ar"))
    assert "Example data for a demonstration." in text
    assert ".Example" not in text


def test_english_minutes_are_not_marked_up_for_right_to_left(meeting):
    html = minutes_html(meeting, language="en")
    assert "\u2068" not in html and "\u2069" not in html
    assert '<td dir="ltr">Work plan adopted.</td>' in html


@pytest.mark.parametrize("language", ["fr", "pt", "ar"])
def test_minutes_pdf_view_names_its_language_in_the_headers(meeting, chad_focal_point, language):
    response = client_for(chad_focal_point).get(_url(meeting, lang=language))

    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert response["Content-Disposition"].endswith(f'-{language}.pdf"')


def test_minutes_pdf_view_in_the_readers_language_names_it_too(meeting, chad_focal_point):
    with translation.override("en"):  # the request activates French in this thread; restore English after it
        response = client_for(chad_focal_point).get(_url(meeting), headers={"accept-language": "fr"})

    assert response["Content-Language"] == "fr"
    assert response["Content-Disposition"].endswith('-fr.pdf"')
