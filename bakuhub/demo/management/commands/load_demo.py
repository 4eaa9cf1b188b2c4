"""`bakuhub load_demo [--remove]`: load (or remove) the Hub's sourced demo facts, in dependency order.

Loads the partners demo (organisations, the Baku Call, events, memoranda, memberships), then the sourced commitments,
then the Joint Working Groups with their labelled examples, then the sourced pilot and urgent projects (which link the
groups). `--remove` takes them out in reverse order, in one transaction: if real rows still use demo rows, nothing at
all is deleted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from bakuhub.commitments import demo as commitments_demo
from bakuhub.core.errors import DomainError
from bakuhub.partners import demo as partners_demo
from bakuhub.partners.demo import DemoResult, Progress
from bakuhub.projects import demo as projects_demo
from bakuhub.working_groups import demo as working_groups_demo

Loader = Callable[..., DemoResult]
LOADERS: tuple[tuple[str, Loader], ...] = (
    ("partners", partners_demo.demo_load),
    ("commitments", commitments_demo.demo_load),
    ("working groups", working_groups_demo.demo_load),
    ("projects", projects_demo.demo_load),
)
REMOVERS: tuple[Callable[[], int], ...] = (
    projects_demo.demo_remove,
    working_groups_demo.demo_remove,
    commitments_demo.demo_remove,
    partners_demo.demo_remove,
)


PartProgress = Callable[[str, int, int, str], None]
"""Called after each step with (part, steps of the part done, steps of the part in all, what was just done)."""


def _for_part(progress: PartProgress | None, part: str) -> Progress | None:
    if progress is None:
        return None
    report = progress

    def step(done: int, total: int, label: str) -> None:
        report(part, done, total, label)

    return step


def load_all(*, progress: PartProgress | None = None) -> DemoResult:
    """Run every demo loader in order, in one transaction; the counts are merged."""
    merged = DemoResult()
    with transaction.atomic():
        for part, load in LOADERS:
            result = load(progress=_for_part(progress, part))
            for kind, n in result.created.items():
                merged.created[kind] = merged.created.get(kind, 0) + n
            merged.skipped += result.skipped
    return merged


def remove_all() -> int:
    """Remove the demo in reverse order, all or nothing."""
    with transaction.atomic():
        return sum(remove() for remove in REMOVERS)


class Command(BaseCommand):
    help = (
        "Load the Hub's real, sourced facts (partners/data/hub-facts.csv) as demo data, marked is_demo: partners, "
        "commitments, the Chad and Guinea-Bissau Joint Working Groups (with clearly labelled example rows), then the "
        "announced pilot and urgent projects (no amounts: the sources give none). "
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
        deleted = remove_all()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Removed {deleted} demo rows. Audit records are kept."))

    def _load(self, verbosity: int) -> None:
        bar = tqdm(desc="Demo", unit="step", disable=verbosity == 0 or not sys.stderr.isatty(), leave=False)
        totals: dict[str, int] = {}  # the steps of each part that has started

        def progress(part: str, done: int, total: int, label: str) -> None:
            totals[part] = total
            bar.total = sum(totals.values())
            bar.set_postfix_str(f"{part}: {label}", refresh=False)
            bar.update(1)

        try:
            result = load_all(progress=progress)
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
