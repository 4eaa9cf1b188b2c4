"""The shared input checks: normalised text, plausible dates, ISO 4217 currencies and strict types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bakuhub.core import dates, validation
from bakuhub.core.errors import ValidationFailed


@pytest.mark.parametrize("name", ["Guiné-Bissau", "تشاد", "Tchad", "Côte d'Ivoire", "São Tomé e Príncipe"])
def test_it_keeps_real_names_in_every_script(name):
    assert validation.required_text(f"  {name} ", "name", max_length=200) == name


def test_it_normalises_names_with_nfkc():
    assert validation.required_text("\uff29\uff2f\uff2d", "acronym", max_length=30) == "IOM"  # full-width IOM
    assert validation.required_text("Cafe\u0301", "name", max_length=30) == "Café"


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\u202e", "invisible"),
        ("\u202a", "invisible"),
        ("\u2066", "invisible"),
        ("\u2069", "invisible"),
        ("\u200b", "invisible"),
        ("\u200d", "invisible"),
        ("\u2060", "invisible"),
        ("\ufeff", "invisible"),
        ("\x00", "control"),
        ("\x1b", "control"),
        ("\n", "control"),
        ("\t", "control"),
    ],
)
def test_it_refuses_invisible_and_control_characters_in_names_naming_field_and_character(char, kind):
    with pytest.raises(ValidationFailed) as refused:
        validation.required_text(f"Guiné{char}Bissau", "name", max_length=200)
    message = refused.value.message
    assert f"The name contains an {kind} character" in message or f"The name contains a {kind} character" in message
    assert f"(U+{ord(char):04X})" in message
    assert list(refused.value.errors) == ["name"]


def test_it_refuses_invisible_characters_in_codes_and_optional_fields():
    with pytest.raises(ValidationFailed, match=r"U\+200B"):
        validation.optional_text("TCD\u200b", "fact_id", max_length=10)


def test_it_refuses_nul_even_in_multi_line_text():
    with pytest.raises(ValidationFailed, match=r"control character \(U\+0000\)"):
        validation.optional_text("first line\n\x00second", "description", max_length=500)


def test_it_refuses_a_lone_surrogate_which_cannot_be_stored():
    with pytest.raises(ValidationFailed, match=r"broken character \(U\+D800\)"):
        validation.optional_text("abc\ud800", "note", max_length=500)


def test_multi_line_text_keeps_newlines_tabs_and_joiners():
    text = "Line one\r\n\tLine two\nپیش\u200cنویس"  # Persian needs the zero-width non-joiner
    assert validation.optional_text(text, "description", max_length=500) == "Line one\n\tLine two\nپیش\u200cنویس"


def test_multi_line_text_keeps_a_quoted_ellipsis():
    assert validation.optional_text("Babayev, […] stated", "source_quote", max_length=500) == "Babayev, […] stated"


def test_it_refuses_non_text():
    with pytest.raises(ValidationFailed, match="must be text"):
        validation.required_text(12, "name", max_length=200)  # type: ignore[arg-type]


def test_a_url_with_a_nul_is_refused():
    with pytest.raises(ValidationFailed, match=r"U\+0000"):
        validation.optional_url("https://example.org/\x00", "source_url")


def test_names_compare_normalised_and_case_folded():
    assert validation.name_key("IOM") == validation.name_key("\uff49\uff4f\uff4d") == validation.name_key(" iom ")
    assert validation.name_key("Guiné-Bissau") != validation.name_key("Guine-Bissau")


# --- dates --------------------------------------------------------------------------------------------------------


def test_the_plausible_range_runs_from_the_setting_to_ten_years_ahead(settings):
    earliest, latest = dates.plausible_range()
    assert earliest == dt.date(1990, 1, 1) == settings.BAKUHUB_DATE_MIN
    today = timezone.localdate()
    assert latest.year == today.year + 10 and (latest.month, latest.day) in {(today.month, today.day), (2, 28)}


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1989, 12, 31), dt.date(9999, 12, 31)])
def test_it_refuses_implausible_dates_naming_the_range(day):
    with pytest.raises(ValidationFailed) as refused:
        dates.plausible_date(day, "period_start")
    assert "between 1990-01-01 and" in refused.value.message
    assert list(refused.value.errors) == ["period_start"]


@pytest.mark.parametrize("value", [20250924, "2025-09-24", True, dt.datetime(2025, 9, 24, tzinfo=dt.UTC), None])
def test_a_date_is_a_date_not_a_number_a_string_or_a_date_time(value):
    with pytest.raises(ValidationFailed, match="must be a date"):
        dates.plausible_date(value, "occurred_on")


def test_the_first_plausible_day_is_accepted():
    assert dates.plausible_date(dt.date(1990, 1, 1), "occurred_on") == dt.date(1990, 1, 1)


def test_not_in_future_also_refuses_year_one():
    with pytest.raises(ValidationFailed, match="not a plausible date"):
        validation.not_in_future(dt.date(1, 1, 1), "occurred_on")


# --- currencies and strict types -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["ZZZ", "XXX", "XTS", "US", "dollars", "", None, 840])
def test_it_refuses_what_is_not_an_active_iso_4217_currency(code):
    with pytest.raises(ValidationFailed, match="not an ISO 4217 currency"):
        validation.currency(code)


@pytest.mark.parametrize(("code", "stored"), [("usd", "USD"), (" XAF ", "XAF"), ("xof", "XOF"), ("EUR", "EUR")])
def test_it_accepts_iso_4217_currencies_in_either_case(code, stored):
    assert validation.currency(code) == stored


@pytest.mark.parametrize("value", [1, 0, "true", "yes", None])
def test_a_boolean_is_true_or_false_only(value):
    with pytest.raises(ValidationFailed, match="must be true or false"):
        validation.boolean(value, "is_public")


@pytest.mark.parametrize("value", [True, False, 1.0, "3", Decimal("3")])
def test_an_integer_is_not_a_boolean_a_float_or_a_string(value):
    with pytest.raises(ValidationFailed, match="must be a whole number"):
        validation.integer(value, "number")


def test_an_integer_outside_its_bounds_is_refused():
    with pytest.raises(ValidationFailed, match="at least 1"):
        validation.integer(0, "number", minimum=1)
    assert validation.integer(5, "number", minimum=1, maximum=9) == 5
