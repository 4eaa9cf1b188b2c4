"""The committed catalogues under locale/ are served: French, Portuguese and Arabic pages, right-to-left for Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_home_in_french_by_accept_language(chad_membership):
    response = Client().get("/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Hub d'action pour le climat et la paix de Bakou" in html
    assert "Processus d'adhésion" in html
    assert "Tchad" in html
    assert "Chad<" not in html


def test_home_in_french_by_the_language_switcher(chad_membership):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get("/").content.decode()
    assert "Processus d'adhésion" in html
    assert "Tchad" in html


def test_home_in_arabic_is_right_to_left(chad_membership):
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "مسار العضوية" in html  # "Membership pipeline"


def test_english_stays_the_default(chad_membership):
    html = Client().get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Membership pipeline" in html
    assert "Chad" in html


@pytest.mark.parametrize("lang", ["fr", "pt", "ar"])
def test_compiled_catalogues_are_committed(lang):
    locale_dir = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES"
    assert (locale_dir / "django.po").is_file()
    assert (locale_dir / "django.mo").is_file(), "run compilemessages and commit the .mo files"


def test_catalogues_load():
    with translation.override("fr"):
        assert translation.gettext("Joint Working Groups") == "Groupes de travail conjoints"
        assert translation.ngettext("%(n)s project", "%(n)s projects", 2) % {"n": 2} == "2 projets"
    with translation.override("pt"):
        assert translation.gettext("Joint Working Group") == "Grupo de Trabalho Conjunto"
    with translation.override("ar"):
        assert translation.gettext("Joint Working Group") == "فريق العمل المشترك"
        assert translation.ngettext("%(n)s project", "%(n)s projects", 3) % {"n": 3} == "3 مشاريع"


def test_stage_labels_are_translated(chad_membership):
    html = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mémorandum approuvé" in html
    html = Client().get("/countries/TCD/", HTTP_ACCEPT_LANGUAGE="pt").content.decode()
    assert "Memorando aprovado" in html
