"""`bakuhub import_rates FILE`: import the secretariat's exchange-rate CSV (currency,date,per_usd), all or nothing."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from bakuhub.core.errors import ValidationFailed
from bakuhub.finance.rates import read_rates_file
from bakuhub.finance.services import rates_import


def _data_lines(data: bytes) -> int:
    """About as many rows as the file has (comments and the header left out): the progress bar's total."""
    lines = [line for line in data.split(b"\n") if line.strip() and not line.lstrip().startswith(b"#")]
    return max(len(lines) - 1, 0)


def _updater(bar: tqdm[Any]) -> Callable[[int], None]:
    def update(rows: int) -> None:
        bar.update(rows)

    return update


class Command(BaseCommand):
    help = (
        "Import exchange rates from a CSV file with the header currency,date,per_usd (1 USD = per_usd units). "
        "Every row is checked first: on any problem nothing is imported. Rates for a currency and day are replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, at most 5 MB and 200,000 rows).")
        parser.add_argument("--source", default="", help="Where the rates come from (default: the file name).")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        quiet = options["verbosity"] == 0
        show_progress = not (quiet or options["no_progress"]) and self.stdout.isatty()
        try:
            data = read_rates_file(path)
            bar = tqdm(total=_data_lines(data), unit="row", desc="Rates", disable=not show_progress, file=sys.stderr)
            with bar:
                result = rates_import(
                    actor=None, file=io.BytesIO(data), source=options["source"] or path.name, progress=_updater(bar)
                )
        except ValidationFailed as exc:
            problems = [p for messages in exc.errors.values() for p in messages if p != exc.message]
            if len(problems) == 1:  # one line: the sentence and its one problem
                raise CommandError(f"{exc.message} {problems[0][:1].upper()}{problems[0][1:]}.") from exc
            raise CommandError("\n".join([exc.message, *(f"  {p}" for p in problems)])) from exc
        if not quiet:
            self.stdout.write(self.style.SUCCESS(result.summary()))
