"""htmx forms show their validation errors in place: the page tells htmx 2 to swap 4xx form answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import override_settings
from lxml import html as lxml_html

from bakuhub.conftest import client_for

pytestmark = pytest.mark.django_db


def _htmx_config(page: str) -> dict[str, Any]:
    (meta,) = lxml_html.fromstring(page).xpath('//meta[@name="htmx-config"]')
    config: dict[str, Any] = json.loads(meta.get("content"))
    return config


def _handling(config: dict[str, Any], status: int) -> dict[str, Any]:
    """What htmx 2 does with an answer: the first responseHandling entry whose code matches (as htmx matches it)."""
    for entry in config["responseHandling"]:
        if re.search(entry["code"], str(status)):
            return dict(entry)
    raise AssertionError(f"no handling for {status}")


def test_htmx_swaps_a_forms_validation_answers_into_its_target(chad_membership, secretariat):
    config = _htmx_config(client_for(secretariat).get("/countries/TCD/").content.decode())
    for status in (400, 409, 412, 422):
        assert _handling(config, status)["swap"] is True
        assert _handling(config, status)["error"] is False
    assert _handling(config, 200)["swap"] is True
    assert _handling(config, 204)["swap"] is False
    for status in (403, 404, 500, 503):
        assert _handling(config, status)["swap"] is False
        assert _handling(config, status)["error"] is True


def test_the_htmx_step_form_answers_its_errors_as_a_fragment(chad_membership, secretariat):
    data = {
        "to_stage": "pilot_underway",
        "occurred_on": "2025-11-12",
        "date_precision": "day",
        "source_title": "Pilot announcement",
        "source_url": "",
    }
    response = client_for(secretariat).post("/countries/TCD/transition/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert "source URL, an uploaded document, or both" in fragment
    assert 'hx-target="this"' in fragment


@override_settings(DEBUG=True)
def test_development_pages_do_not_replace_themselves_with_a_400_fragment(chad_membership, secretariat):
    page = client_for(secretariat).get("/countries/TCD/").content.decode()
    assert "htmx-2.min.js" in page
    assert "django-htmx.js" not in page
