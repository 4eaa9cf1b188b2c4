"""The portal stylesheet keeps pages within a phone's width, left-to-right and right-to-left (checked in a browser
at 390 px in English and Arabic; these tests pin the rules that make it so)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def _stylesheet() -> str:
    found = finders.find("portal/hub.css")
    assert isinstance(found, str)
    return Path(found).read_text(encoding="utf-8")


def _rule(css: str, selector: str) -> str:
    match = re.search(r"(?:^|[}\s,])" + re.escape(selector) + r"\s*(?:,[^{]*)?\{([^}]*)\}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_the_skip_link_is_hidden_without_being_pushed_off_the_page():
    css = _stylesheet()
    assert "-999px" not in css
    hidden = _rule(css, ".skip:not(:focus)")
    assert "clip" in hidden and "overflow: hidden" in hidden and "width: 1px" in hidden


def test_tables_scroll_inside_themselves_on_a_phone():
    css = _stylesheet()
    small = re.search(r"@media \(max-width: [\d.]+rem\) \{(.*?)\n\}", css, re.S)
    assert small, "no small-screen rules"
    table = _rule(small.group(1), "table")
    assert "display: block" in table and "overflow-x: auto" in table


def test_long_words_wrap_and_pictures_shrink_to_the_screen():
    css = _stylesheet()
    assert "overflow-wrap: anywhere" in _rule(css, "body")
    assert "max-width: 100%" in _rule(css, "svg")
