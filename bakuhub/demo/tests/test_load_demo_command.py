"""`bakuhub load_demo`: partners, commitments, working groups, then projects; `--remove` in reverse, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from bakuhub.commitments import demo as commitments_demo
from bakuhub.commitments.models import Commitment, CommitmentEvent
from bakuhub.core.models import AuditRecord
from bakuhub.partners.demo_facts import FACTS_PATH
from bakuhub.partners.models import Membership, Memorandum, Organisation
from bakuhub.projects.models import Project
from bakuhub.working_groups import services
from bakuhub.working_groups.models import ActionItem, Decision, Meeting, WorkingGroup, WorkingGroupMember

from . import make_demo_countries

pytestmark = pytest.mark.django_db

MODELS = (Organisation, Memorandum, Membership, Commitment, CommitmentEvent, WorkingGroup, WorkingGroupMember, Meeting,
          Decision, ActionItem, Project)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def facts() -> dict[str, dict[str, str]]:
    with FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: row for row in csv.DictReader(handle)}


def test_the_command_loads_again_and_removes(capsys):
    make_demo_countries()

    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Loaded the demo: organisations 8," in out
    assert "commitments 2" in out and "working groups 2" in out and "example action items 3" in out
    assert out.rstrip().endswith("projects 10.")
    loaded, audits = counts(), AuditRecord.objects.count()
    assert all(loaded.values()), loaded

    call_command("load_demo")
    assert "The demo is already loaded: nothing new." in capsys.readouterr().out
    assert counts() == loaded and AuditRecord.objects.count() == audits

    call_command("load_demo", "--remove")
    out = capsys.readouterr().out
    assert out.startswith("Removed ") and "Audit records are kept." in out
    assert all(n == 0 for n in counts().values()), counts()
    assert AuditRecord.objects.count() > audits  # append-only: the removals are recorded too

    call_command("load_demo", verbosity=0)
    assert capsys.readouterr().out == ""
    assert counts() == loaded


def test_commitments_cite_bh021_and_bh049_and_state_no_money():
    make_demo_countries()
    call_command("load_demo", verbosity=0)
    rows = facts()

    commitments = {c.fact_id: c for c in Commitment.objects.all()}
    assert set(commitments) == {"BH021", "BH049"}
    expected = {"BH021": (dt.date(2025, 2, 26), "day"), "BH049": (dt.date(2025, 9, 1), "month")}
    for fact_id, commitment in commitments.items():
        fact = rows[fact_id]
        assert commitment.is_demo and commitment.committer_country.iso3 == "AZE"
        assert (commitment.kind, commitment.status) == ("policy", "announced")
        assert (commitment.amount, commitment.currency) == (None, "")
        assert "no amount of money" in commitment.description and fact_id in commitment.description
        assert (commitment.announced_on, commitment.date_precision) == expected[fact_id]
        assert commitment.source_quote == fact["quote"]
        assert (commitment.source_title, commitment.source_publisher, commitment.source_url) == (
            fact["source_title"],
            fact["source_publisher"],
            fact["source_url"],
        )
        [event] = commitment.events.all()
        assert (event.to_status, event.fact_id, event.source_quote, event.is_demo) == (
            "announced",
            fact_id,
            fact["quote"],
            True,
        )
    assert "pilot projects" in commitments["BH021"].title
    assert "African countries" in commitments["BH049"].title
    assert commitments_demo.demo_load().total == 0


def test_removal_is_all_or_nothing_when_a_real_group_uses_the_demo_memorandum():
    countries = make_demo_countries()
    call_command("load_demo", verbosity=0)
    memorandum = Memorandum.objects.get(fact_id="BH044")
    services.working_group_create(
        actor=None, country=countries["TCD"], name="Chad JWG (real)", code="TCD-JWG-B", memorandum=memorandum
    )
    before = counts()

    with pytest.raises(CommandError, match=r"cannot be removed.*Chad JWG \(real\).*nothing was deleted"):
        call_command("load_demo", "--remove")

    assert counts() == before  # the projects, working groups and commitments removed first are back too
    assert WorkingGroup.objects.filter(code="GNB-JWG", is_demo=True).exists()


def test_removal_refuses_while_a_real_decision_links_a_demo_commitment():
    countries = make_demo_countries()
    call_command("load_demo", verbosity=0)
    real_group = services.working_group_create(actor=None, country=countries["SOM"], name="Somalia JWG")
    commitment = Commitment.objects.get(fact_id="BH049")
    services.decision_create(
        actor=None,
        working_group=real_group,
        text="Follow up",
        decided_on=dt.date(2025, 10, 1),
        commitments=[commitment],
    )
    before = counts()

    with pytest.raises(CommandError, match="SOM-JWG/2025/01"):
        call_command("load_demo", "--remove")
    assert counts() == before


def test_it_refuses_without_reference_data():
    with pytest.raises(CommandError, match="run `bakuhub load_reference` first"):
        call_command("load_demo", verbosity=0)
    assert all(n == 0 for n in counts().values())
