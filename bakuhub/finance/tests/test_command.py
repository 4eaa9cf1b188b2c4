from __future__ import annotations

import io
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
