from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import ExchangeRate

from .helpers import nothing_written

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "rates-sample.csv"


def test_it_imports_the_sample_rates_as_the_system(tmp_path):
    out = io.StringIO()
    call_command("import_rates", str(SAMPLE), "--no-progress", stdout=out)
    assert "768 rates for AZN, EUR, GBP, IQD, SOS, UGX, XAF, XOF from 2020-01-01 to 2027-12-01" in out.getvalue()
    assert "768 created, 0 updated, 0 unchanged" in out.getvalue()
    assert ExchangeRate.objects.filter(source="rates-sample.csv").count() == 768
    record = AuditRecord.objects.get(action="exchangerate.import")
    assert record.actor is None and record.actor_label == "system"


def test_it_lists_the_problems_and_imports_nothing(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("currency,date,per_usd\nEUR,2025-01-01,0.9\nEUR,2025-01-01,0.8\nXYZ,2025-01-01,1\n")
    with nothing_written(), pytest.raises(CommandError) as exc:
        call_command("import_rates", str(path), "--source", "ECB", stdout=io.StringIO())
    assert str(exc.value).splitlines() == [
        "The rates file has 2 problems; nothing was imported.",
        "  line 3: duplicate of line 2 (EUR on 2025-01-01)",
        "  line 4: unknown currency code 'XYZ'",
    ]


def test_a_given_source_is_kept(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("currency,date,per_usd\nEUR,2025-01-01,0.9\n")
    call_command("import_rates", str(path), "--source", "Central bank table 2025", verbosity=0)
    assert ExchangeRate.objects.get().source == "Central bank table 2025"


@pytest.mark.parametrize(
    ("name", "content", "first_line"),
    [
        ("a-directory", None, "is a directory; give the path of the rates CSV file."),
        ("missing.csv", ..., "missing.csv does not exist."),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 50, "nothing was imported. Line 1: the file is not UTF-8"),
        ("empty.csv", b"", "nothing was imported. Line 1: the file is empty;"),
        ("huge.csv", b"currency,date,per_usd\n" + b"EUR,2025-01-01,0.9\n" * 300_000, "larger than 5 MB"),
    ],
)
def test_a_bad_path_is_one_clear_error_and_nothing_is_written(tmp_path, name, content, first_line):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    elif content is not ...:
        path.write_bytes(content)
    with nothing_written(), pytest.raises(CommandError) as exc:
        call_command("import_rates", str(path), "--no-progress", stdout=io.StringIO())
    lines = str(exc.value).splitlines()
    assert len(lines) == 1 and first_line in lines[0]
    assert not ExchangeRate.objects.exists()


def test_the_command_line_prints_no_traceback_for_a_directory(tmp_path):
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    done = subprocess.run(  # noqa: S603 - our own manage.py with a temporary directory
        [sys.executable, str(manage), "import_rates", str(tmp_path), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"CommandError: {tmp_path} is a directory; give the path of the rates CSV file."
