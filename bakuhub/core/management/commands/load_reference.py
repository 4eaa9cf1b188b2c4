"""Load (or refresh) the shipped reference data: countries and the Hub countries' admin-1 units."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from bakuhub.core.errors import ValidationFailed
from bakuhub.core.reference import reference_load, reference_total


def _updater(bar: tqdm[Any]) -> Callable[[int], None]:
    def update(rows: int) -> None:
        bar.update(rows)

    return update


class Command(BaseCommand):
    help = "Upsert countries (ISO 3166-1, M49, LDC/LLDC/SIDS, FCS) and admin-1 units from core/data/reference."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")
        parser.add_argument(
            "--data-dir", type=Path, default=None, help="Read the files from this folder instead of the shipped one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path | None = options["data_dir"]
        quiet = options["verbosity"] == 0
        show_progress = not (quiet or options["no_progress"]) and self.stdout.isatty()
        try:
            total = reference_total(data_dir=data_dir) if show_progress else None
            bar = tqdm(total=total, unit="row", desc="Reference data", disable=not show_progress, file=sys.stderr)
            with bar:
                result = reference_load(data_dir=data_dir, progress=_updater(bar))
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        if not quiet:
            self.stdout.write(self.style.SUCCESS(result.summary()) if result.changed else result.summary())
