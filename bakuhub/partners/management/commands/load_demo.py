"""`bakuhub load_demo [--remove]`: load (or remove) the Hub's sourced demo facts."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from bakuhub.core.errors import DomainError
from bakuhub.partners.demo import demo_load, demo_remove


class Command(BaseCommand):
    help = (
        "Load the Hub's real, sourced facts (partners/data/hub-facts.csv) as demo data, marked is_demo. "
        "Safe to run again. Needs the countries of `bakuhub load_reference`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete every demo row instead (audit records stay); refuses while real rows use demo rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        try:
            if options["remove"]:
                self._remove(verbosity)
            else:
                self._load(verbosity)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _remove(self, verbosity: int) -> None:
        deleted = demo_remove()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Removed {deleted} demo rows. Audit records are kept."))

    def _load(self, verbosity: int) -> None:
        bar = tqdm(desc="Demo", unit="step", disable=verbosity == 0 or not sys.stderr.isatty(), leave=False)

        def progress(done: int, total: int, label: str) -> None:
            bar.total = total
            bar.set_postfix_str(label, refresh=False)
            bar.update(1)

        try:
            result = demo_load(progress=progress)
        finally:
            bar.close()
        if verbosity == 0:
            return
        if result.total == 0:
            self.stdout.write("The demo is already loaded: nothing new.")
        else:
            counts = ", ".join(f"{kind} {n}" for kind, n in result.created.items())
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo: {counts}."))
        for note in result.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped: {note}"))
