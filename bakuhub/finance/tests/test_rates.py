from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.finance import rates
from bakuhub.finance.currencies import currencies, is_currency
from bakuhub.finance.models import ExchangeRate
from bakuhub.finance.rates import convert, convert_with
from bakuhub.finance.services import rates_import

from .helpers import add_rates, nothing_written

pytestmark = pytest.mark.django_db
SAMPLE = rates.Path(__file__).resolve().parents[1] / "data" / "rates-sample.csv"


def csv_file(*lines: str, bom: bool = False) -> io.BytesIO:
    text = "\n".join(lines) + "\n"
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def problems(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return exc.value.errors["file"]


# --- currencies ---


def test_the_currency_list_holds_the_active_iso_codes_only():
    assert {"USD", "EUR", "XAF", "XOF", "IQD", "SOS", "UGX", "AZN"} <= set(currencies())
    assert not is_currency("ADP")  # withdrawn (Andorran peseta)
    assert not is_currency("XXX") and not is_currency("XTS")  # not the currency of any amount
    assert len(currencies()) == 177


# --- import ---


def test_it_imports_a_file_with_a_bom_comments_and_blank_lines(secretariat):
    result = rates_import(
        actor=secretariat,
        file=csv_file("# illustrative", "currency,date,per_usd", "eur,2025-01-01,0.9", "", "XOF,2025-01-01,600.5",
                      bom=True),
        source="Test rates",
    )  # fmt: skip
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.currencies == ("EUR", "XOF") and result.first_date == result.last_date == dt.date(2025, 1, 1)
    eur = ExchangeRate.objects.get(currency="EUR")
    assert eur.per_usd == Decimal("0.9") and eur.source == "Test rates"
    record = AuditRecord.objects.get(action="exchangerate.import")
    assert record.actor == secretariat
    assert record.changes["created"] == [None, 2] and record.changes["currencies"] == [None, ["EUR", "XOF"]]


def test_a_second_import_upserts_by_currency_and_day_and_is_audited_once_more(secretariat):
    rates_import(actor=secretariat, file=csv_file("currency,date,per_usd", "EUR,2025-01-01,0.9"))
    result = rates_import(
        actor=secretariat, file=csv_file("currency,date,per_usd", "EUR,2025-01-01,0.91", "EUR,2025-02-01,0.92")
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    result = rates_import(actor=None, file=csv_file("currency,date,per_usd", "EUR,2025-01-01,0.91"))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert ExchangeRate.objects.get(currency="EUR", on_date=dt.date(2025, 1, 1)).per_usd == Decimal("0.91")
    assert AuditRecord.objects.filter(action="exchangerate.import").count() == 3


def test_each_bad_row_is_reported_with_its_line_and_reason_and_nothing_is_written(secretariat):
    add_rates({"EUR": Decimal("0.8")}, [dt.date(2024, 1, 1)])
    file = csv_file(
        "# comment on line 1",
        "currency,date,per_usd",
        "EUR,2025-01-01,0.9",
        "ABC,2025-01-01,1.5",
        "XOF,2025-13-01,600",
        "XOF,01/02/2025,600",
        "GBP,2025-01-01,-0.8",
        "GBP,2025-02-01,0",
        "GBP,2025-03-01,abc",
        "GBP,2025-04-01,1,300",
        "EUR,2025-01-01,0.95",
        "USD,2025-01-01,2",
    )
    with (
        nothing_written(),
        pytest.raises(ValidationFailed, match=r"^The rates file has 9 problems; nothing was imported\.$") as exc,
    ):
        rates_import(actor=secretariat, file=file)
    assert problems(exc) == [
        "line 4: unknown currency code 'ABC'",
        "line 5: the date 2025-13-01 does not exist",
        "line 6: the date '01/02/2025' is not a date in the form YYYY-MM-DD",
        "line 7: the rate -0.8 is not positive",
        "line 8: the rate 0 is not positive",
        "line 9: the rate 'abc' is not a number (write e.g. 0.92 or 603.5, no thousands separator)",
        "line 10: expected 3 values (currency,date,per_usd), found 4",
        "line 11: duplicate of line 3 (EUR on 2025-01-01)",
        "line 12: a USD rate is 1 per USD by definition, not 2",
    ]


def test_a_row_with_several_problems_names_them_all():
    with pytest.raises(ValidationFailed) as exc:
        rates_import(actor=None, file=csv_file("currency,date,per_usd", "EURO,tomorrow,NaN"))
    assert problems(exc) == [
        "line 2: unknown currency code 'EURO'; the date 'tomorrow' is not a date in the form YYYY-MM-DD; "
        "the rate 'NaN' is not a number (write e.g. 0.92 or 603.5, no thousands separator)"
    ]


def test_it_lists_at_most_twenty_problems_but_counts_them_all():
    lines = ["currency,date,per_usd"] + [f"EUR,2025-01-{day:02d},-1" for day in range(1, 31)]
    with nothing_written(), pytest.raises(ValidationFailed, match="30 problems \\(the first 20 are listed\\)") as exc:
        rates_import(actor=None, file=csv_file(*lines))
    assert len(problems(exc)) == 20 and problems(exc)[0].startswith("line 2: ")


def test_it_refuses_a_wrong_header_an_empty_file_and_a_file_without_rows():
    with pytest.raises(ValidationFailed) as exc:
        rates_import(actor=None, file=csv_file("code,day,rate", "EUR,2025-01-01,0.9"))
    assert problems(exc) == ["line 1: the header must be 'currency,date,per_usd', not 'code,day,rate'"]
    with pytest.raises(ValidationFailed, match="1 problem;"):
        rates_import(actor=None, file=io.BytesIO(b""))
    with pytest.raises(ValidationFailed) as exc:
        rates_import(actor=None, file=csv_file("currency,date,per_usd"))
    assert problems(exc) == ["the file has a header but no rates"]
    assert not ExchangeRate.objects.exists()


def test_it_refuses_text_that_is_not_utf8_naming_the_line():
    data = "currency,date,per_usd\nEUR,2025-01-01,0.9\nXOF,2025-01-01,600 \u20ac\n".encode("cp1252")
    with nothing_written(), pytest.raises(ValidationFailed) as exc:
        rates_import(actor=None, file=io.BytesIO(data))
    assert problems(exc) == ["line 3: the file is not UTF-8 text; save it as 'CSV UTF-8'"]


def test_it_refuses_files_over_5_mb_and_over_200000_rows(monkeypatch):
    big = io.BytesIO(b"currency,date,per_usd\n" + b"#" * (5 * 1024 * 1024))
    with nothing_written(), pytest.raises(ValidationFailed, match="larger than 5 MB"):
        rates_import(actor=None, file=big)
    monkeypatch.setattr(rates, "MAX_ROWS", 2)
    with nothing_written(), pytest.raises(ValidationFailed) as exc:
        rates_import(
            actor=None, file=csv_file("currency,date,per_usd", *(f"EUR,2025-01-0{d},0.9" for d in range(1, 5)))
        )
    assert problems(exc) == ["line 4: more than 2 rows; split the file into several imports"]


def test_rates_are_kept_to_eight_decimals():
    rates_import(actor=None, file=csv_file("currency,date,per_usd", "EUR,2025-01-01,0.923456785"))
    assert ExchangeRate.objects.get().per_usd == Decimal("0.92345678")
    with pytest.raises(ValidationFailed) as exc:
        rates_import(actor=None, file=csv_file("currency,date,per_usd", "EUR,2025-01-02,0.000000001"))
    assert problems(exc) == ["line 2: the rate 0.000000001 is too small (rates are kept to 8 decimals)"]


def test_only_the_secretariat_imports_rates(chad_focal_point, iom_editor, gcf_funder):
    for user in (chad_focal_point, iom_editor, gcf_funder):
        with nothing_written(), pytest.raises(PermissionDenied):
            rates_import(actor=user, file=csv_file("currency,date,per_usd", "EUR,2025-01-01,0.9"))


def test_the_sample_file_is_labelled_and_imports_cleanly_from_a_path():
    head = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert "illustrative sample rates for the demo, not official data" in head.lower()
    result = rates_import(actor=None, file=SAMPLE)
    assert result.created == 8 * 12 * 8 and result.source == "rates-sample.csv"
    assert convert(Decimal("600"), "XOF", dt.date(2025, 3, 4)) == (Decimal("1.00"), Decimal("0.90"))


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(ValidationFailed, match="does not exist"):
        rates_import(actor=None, file=SAMPLE.with_name("nope.csv"))


# --- conversion ---


def test_usd_needs_no_usd_rate_but_eur_needs_the_eur_rate():
    with pytest.raises(ValidationFailed) as exc:
        convert(Decimal("100"), "USD", dt.date(2025, 3, 4))
    assert exc.value.message == "No EUR rate on or up to 31 days before 2025-03-04; import rates first."
    add_rates({"EUR": Decimal("0.8")}, [dt.date(2025, 3, 1)])
    assert convert(Decimal("100"), "USD", dt.date(2025, 3, 4)) == (Decimal("100.00"), Decimal("80.00"))
    assert convert(Decimal("100"), "EUR", dt.date(2025, 3, 4)) == (Decimal("125.00"), Decimal("100.00"))


def test_the_message_names_every_missing_rate():
    with pytest.raises(ValidationFailed, match=r"^No XOF or EUR rate on or up to 31 days before 2025-03-04"):
        convert(Decimal("100"), "XOF", dt.date(2025, 3, 4))
    add_rates({"EUR": Decimal("0.8")}, [dt.date(2025, 3, 1)])
    with pytest.raises(ValidationFailed, match=r"^No XOF rate on or up"):
        convert(Decimal("100"), "xof", dt.date(2025, 3, 4))


def test_it_uses_the_latest_rate_on_or_before_the_date_and_no_older_than_the_limit(settings):
    add_rates({"EUR": Decimal("0.8"), "XOF": Decimal("500")}, [dt.date(2025, 1, 1)])
    add_rates({"EUR": Decimal("0.9"), "XOF": Decimal("600")}, [dt.date(2025, 2, 1)])
    assert convert(Decimal("600"), "XOF", dt.date(2025, 1, 31)) == (Decimal("1.20"), Decimal("0.96"))
    assert convert(Decimal("600"), "XOF", dt.date(2025, 2, 1)) == (Decimal("1.00"), Decimal("0.90"))
    assert convert(Decimal("600"), "XOF", dt.date(2025, 3, 4)) == (Decimal("1.00"), Decimal("0.90"))  # 31 days
    with pytest.raises(ValidationFailed, match="No XOF or EUR rate"):
        convert(Decimal("600"), "XOF", dt.date(2025, 3, 5))  # 32 days
    with pytest.raises(ValidationFailed, match="No XOF or EUR rate"):
        convert(Decimal("600"), "XOF", dt.date(2024, 12, 31))  # a later rate is never used
    settings.BAKUHUB_RATE_MAX_AGE_DAYS = 7
    with pytest.raises(ValidationFailed, match="up to 7 days before 2025-02-09"):
        convert(Decimal("600"), "XOF", dt.date(2025, 2, 9))


def test_an_unknown_currency_is_refused():
    with pytest.raises(ValidationFailed, match="'FOO' is not an ISO 4217 currency code"):
        convert(Decimal("1"), "FOO", dt.date(2025, 1, 1))


def test_it_rounds_half_even_to_cents_once():
    # 1 / 8 = 0.125 -> 0.12 (half to even); 3 / 8 = 0.375 -> 0.38
    assert convert_with(Decimal("1"), "GBP", per_usd=Decimal("8"), eur_per_usd=Decimal("1")).usd == Decimal("0.12")
    assert convert_with(Decimal("3"), "GBP", per_usd=Decimal("8"), eur_per_usd=Decimal("1")).usd == Decimal("0.38")
    # EUR from the unrounded USD value: 1 XOF at 3 per USD and 0.9 EUR per USD = 0.3 EUR exactly
    assert convert_with(Decimal("1"), "XOF", per_usd=Decimal("3"), eur_per_usd=Decimal("0.9")).eur == Decimal("0.30")
