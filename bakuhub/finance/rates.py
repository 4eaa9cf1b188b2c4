"""Exchange rates: reading the secretariat's rates CSV, and converting amounts to USD and EUR with the stored table.

The file format is `currency,date,per_usd` (1 USD = per_usd units of the currency), UTF-8 (a BOM is fine), at most
5 MB and 200,000 rows; lines starting with '#' are comments. Rates are never fetched at run time.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import IO, NamedTuple

from django.conf import settings

from bakuhub.core.dates import is_plausible, plausible_range
from bakuhub.core.errors import ValidationFailed

from .currencies import EUR, USD, is_currency, normalise, unknown_currency_message
from .models import ExchangeRate

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000
MAX_PROBLEMS = 20
HEADER = ["currency", "date", "per_usd"]
CENT = Decimal("0.01")
RATE_QUANTUM = Decimal("0.00000001")  # ExchangeRate.per_usd has 8 decimals
MAX_RATE = Decimal(10) ** 12  # ... and 20 digits
# Amounts have 18 digits in the schema, but SQLite keeps decimals as 64-bit floats, exact to 15 significant digits:
# so amounts stay below 10^13 (13 + 2 decimals), which also keeps every stored amount exact on SQLite.
MAX_AMOUNT = Decimal(10) ** 13
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RateRow:
    line: int
    currency: str
    on_date: dt.date
    per_usd: Decimal


class Converted(NamedTuple):
    usd: Decimal
    eur: Decimal


# --- reading the file ---


def read_rates_file(file: IO[bytes] | Path) -> bytes:
    """The file's bytes, refusing anything over 5 MB without reading it all."""
    if isinstance(file, Path):
        if file.is_dir():
            msg = f"{file} is a directory; give the path of the rates CSV file."
            raise ValidationFailed(msg, errors={"file": [msg]})
        try:
            with file.open("rb") as handle:
                return read_rates_file(handle)
        except FileNotFoundError:
            msg = f"{file} does not exist."
            raise ValidationFailed(msg, errors={"file": [msg]}) from None
        except OSError as exc:
            msg = f"{file} cannot be read ({exc.strerror or type(exc).__name__})."
            raise ValidationFailed(msg, errors={"file": [msg]}) from None
    data = file.read(MAX_BYTES + 1)
    if not isinstance(data, bytes):
        raise ValidationFailed("Open the rates file in binary mode.", errors={"file": ["Not bytes."]})
    if len(data) > MAX_BYTES:
        msg = f"The rates file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into several imports."
        raise ValidationFailed(msg, errors={"file": [msg]})
    return data


def _failed(problems: list[str], count: int) -> ValidationFailed:
    listed = f" (the first {MAX_PROBLEMS} are listed)" if count > MAX_PROBLEMS else ""
    noun = "problem" if count == 1 else "problems"
    return ValidationFailed(
        f"The rates file has {count} {noun}{listed}; nothing was imported.", errors={"file": problems[:MAX_PROBLEMS]}
    )


def _rate(text: str) -> tuple[Decimal | None, str]:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        return None, f"the rate '{text[:30]}' is not a number (write e.g. 0.92 or 603.5, no thousands separator)"
    if value <= 0:
        return None, f"the rate {text[:30]} is not positive"
    if value >= MAX_RATE:
        return None, f"the rate {text[:30]} is too large (at most 12 digits before the decimal point)"
    rounded = value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_EVEN)
    if rounded == 0:
        return None, f"the rate {text[:30]} is too small (rates are kept to 8 decimals)"
    return rounded, ""


def _date(text: str) -> tuple[dt.date | None, str]:
    if not _ISO_DATE.match(text):
        return None, f"the date '{text[:30]}' is not a date in the form YYYY-MM-DD"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"the date {text} does not exist"
    if not is_plausible(day):
        earliest, latest = plausible_range()
        return None, f"the date {text} is not between {earliest.isoformat()} and {latest.isoformat()}"
    return day, ""


def _row(cells: list[str]) -> tuple[RateRow | None, list[str]]:
    if len(cells) != len(HEADER):
        return None, [f"expected 3 values (currency,date,per_usd), found {len(cells)}"]
    code, date_text, rate_text = (c.strip() for c in cells)
    reasons: list[str] = []
    currency = normalise(code)
    if not is_currency(currency):
        reasons.append(f"unknown currency code '{code[:20]}'" if code else "the currency code is empty")
    on_date, problem = _date(date_text)
    if problem:
        reasons.append(problem)
    per_usd, problem = _rate(rate_text)
    if problem:
        reasons.append(problem)
    elif currency == USD and per_usd != 1:
        reasons.append(f"a USD rate is 1 per USD by definition, not {rate_text[:30]}")
    if reasons or on_date is None or per_usd is None:
        return None, reasons
    return RateRow(0, currency, on_date, per_usd), []


def parse_rates(data: bytes, *, progress: Progress | None = None) -> list[RateRow]:
    """The file's rows, checked; ValidationFailed lists up to 20 problems with their line numbers if any row is bad."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        msg = f"line {bad_line}: the file is not UTF-8 text; save it as 'CSV UTF-8'"
        raise _failed([msg], 1) from None
    problems: list[str] = []
    count = 0

    def problem(message: str) -> None:
        nonlocal count
        count += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(message)

    rows: list[RateRow] = []
    seen: dict[tuple[str, dt.date], int] = {}
    header_seen = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([line]))
        except csv.Error as exc:
            problem(f"line {number}: unreadable CSV ({exc})")
            continue
        if not header_seen:
            header = [c.strip().lower() for c in cells]
            if header != HEADER:
                got = ",".join(cells)[:80]
                raise _failed([f"line {number}: the header must be 'currency,date,per_usd', not '{got}'"], 1)
            header_seen = True
            continue
        if len(rows) + count >= MAX_ROWS:
            problem(f"line {number}: more than {MAX_ROWS:,} rows; split the file into several imports")
            break
        row, reasons = _row(cells)
        if row is None:
            problem(f"line {number}: {'; '.join(reasons)}")
            continue
        key = (row.currency, row.on_date)
        if key in seen:
            problem(f"line {number}: duplicate of line {seen[key]} ({row.currency} on {row.on_date.isoformat()})")
            continue
        seen[key] = number
        rows.append(RateRow(number, row.currency, row.on_date, row.per_usd))
        if progress is not None and len(rows) % 1000 == 0:
            progress(1000)
    if not header_seen:
        raise _failed(["line 1: the file is empty; expected the header 'currency,date,per_usd' and rows"], 1)
    if count:
        raise _failed(problems, count)
    if not rows:
        raise _failed(["the file has a header but no rates"], 1)
    if progress is not None:
        progress(len(rows) % 1000)
    return rows


# --- converting amounts ---


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def convert_with(amount: Decimal, currency: str, *, per_usd: Decimal, eur_per_usd: Decimal) -> Converted:
    """Pure conversion with given rates (`per_usd` of `currency`, ignored for USD), rounded half-even to cents once.

    A USD amount stays exactly what it is in USD, a EUR amount exactly what it is in EUR.
    """
    with localcontext() as ctx:
        ctx.prec = 60
        usd = amount if currency == USD else amount / per_usd
        if currency == EUR:
            eur = amount
        elif currency == USD:
            eur = amount * eur_per_usd
        else:
            eur = amount * eur_per_usd / per_usd
        return Converted(cents(usd), cents(eur))


def max_age_days() -> int:
    return int(settings.BAKUHUB_RATE_MAX_AGE_DAYS)


def latest_rates(currencies: set[str], on_date: dt.date) -> dict[str, Decimal]:
    """{currency: per_usd} of the latest rate on or before `on_date`, no older than the maximum age (one query)."""
    wanted = sorted(currencies - {USD})
    found: dict[str, Decimal] = {USD: Decimal(1)} if USD in currencies else {}
    if not wanted:
        return found
    oldest = on_date - dt.timedelta(days=max_age_days())
    rows = (
        ExchangeRate.objects.filter(currency__in=wanted, on_date__range=(oldest, on_date))
        .order_by("currency", "-on_date")
        .values_list("currency", "per_usd")
    )
    for currency, per_usd in rows:
        found.setdefault(currency, per_usd)
    return found


def missing_rate_message(missing: list[str], on_date: dt.date) -> str:
    return (
        f"No {' or '.join(missing)} rate on or up to {max_age_days()} days before {on_date.isoformat()}; "
        "import rates first."
    )


def convert(amount: Decimal, currency: str, on_date: dt.date) -> Converted:
    """`amount` of `currency` in USD and EUR at the latest rates on or before `on_date` (no older than
    BAKUHUB_RATE_MAX_AGE_DAYS). USD needs no rate; EUR needs the EUR rate; ValidationFailed names what is missing."""
    code = normalise(currency)
    if not is_currency(code):
        msg = unknown_currency_message(currency)
        raise ValidationFailed(msg, errors={"currency": [msg]})
    rates = latest_rates({code, EUR}, on_date)
    missing = [c for c in dict.fromkeys([code, EUR]) if c not in rates]
    if missing:
        msg = missing_rate_message(missing, on_date)
        raise ValidationFailed(msg, errors={"value_date": [msg]})
    converted = convert_with(amount, code, per_usd=rates[code], eur_per_usd=rates[EUR])
    if abs(converted.usd) >= MAX_AMOUNT or abs(converted.eur) >= MAX_AMOUNT:
        msg = f"{amount} {code} is too large once converted (at most 10^16 USD or EUR)."
        raise ValidationFailed(msg, errors={"amount": [msg]})
    return converted
