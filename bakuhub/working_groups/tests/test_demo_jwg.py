"""The Joint Working Groups demo: the sourced Chad and Guinea-Bissau groups and the labelled Chad examples."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.utils import timezone

from bakuhub.accounts.models import Role
from bakuhub.core.errors import PreconditionFailed
from bakuhub.core.models import AuditRecord
from bakuhub.core.richtext import sanitise_html
from bakuhub.demo.tests import make_demo_countries
from bakuhub.partners import demo as partners_demo
from bakuhub.partners.demo import DemoRemovalBlocked
from bakuhub.partners.demo_facts import FACTS_PATH
from bakuhub.partners.models import HubEvent, Membership, Memorandum, Organisation
from bakuhub.testing.factories import UserFactory
from bakuhub.working_groups import demo, selectors, services
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    WorkingGroup,
    WorkingGroupMember,
)

pytestmark = pytest.mark.django_db

MODELS = (WorkingGroup, WorkingGroupMember, Meeting, AgendaItem, Attendance, Decision, ActionItem)


def facts() -> dict[str, dict[str, str]]:
    with FACTS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["fact_id"]: row for row in csv.DictReader(handle)}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded():
    make_demo_countries()
    partners_demo.demo_load()
    return demo.demo_load()


def test_it_loads_the_two_groups_with_their_memorandum_and_sources(loaded):
    memorandum = Memorandum.objects.get(fact_id="BH044", is_demo=True)
    rows = facts()
    groups = {g.code: g for g in WorkingGroup.objects.all()}
    assert set(groups) == {"TCD-JWG", "GNB-JWG"}
    for code, iso3, cited, also in (("TCD-JWG", "TCD", "BH046", "BH044"), ("GNB-JWG", "GNB", "BH047", "BH045")):
        group = groups[code]
        assert group.country.iso3 == iso3 and group.memorandum == memorandum
        assert (group.status, group.started_on, group.started_precision) == ("forming", dt.date(2025, 9, 1), "month")
        assert group.is_demo
        fact = rows[cited]
        assert (group.fact_id, group.source_quote) == (cited, fact["quote"])
        assert (group.source_title, group.source_publisher, group.source_url) == (
            fact["source_title"],
            fact["source_publisher"],
            fact["source_url"],
        )
        terms = group.terms_of_reference
        assert cited in terms and also in terms
        assert "members and meetings are not public" in terms and "reports a meeting" in terms
        assert sanitise_html(terms, field="terms_of_reference") == terms  # stored sanitised
    assert "Example data" in groups["TCD-JWG"].terms_of_reference
    assert "Example" not in groups["GNB-JWG"].terms_of_reference
    assert loaded.created["working groups"] == 2


def test_only_chad_has_examples_and_every_example_is_labelled(loaded):
    chad, gnb = WorkingGroup.objects.get(code="TCD-JWG"), WorkingGroup.objects.get(code="GNB-JWG")
    assert not gnb.members.exists() and not gnb.meetings.exists() and not gnb.actions.exists()
    assert not gnb.decisions.exists()

    members = {m.person_name: m for m in chad.members.all()}
    assert set(members) == {
        "Example co-chair (Hub secretariat)",
        "Example co-chair (Chad focal point)",
        "Example representative",
    }
    assert [m.role for m in members.values()].count("co_chair") == 2
    iom = members["Example representative"].organisation
    assert iom is not None and iom.acronym == "IOM" and iom.is_demo
    assert all(m.is_demo and not m.email and m.user is None for m in members.values())  # no mail goes anywhere

    meeting = Meeting.objects.get()
    assert meeting.working_group == chad and meeting.is_example and meeting.is_demo
    assert meeting.title.startswith("Example meeting —")
    assert meeting.timezone == "Africa/Ndjamena"
    assert meeting.starts_at == dt.datetime(2025, 10, 15, 9, 0, tzinfo=dt.UTC)  # 10:00 in N'Djamena (UTC+1)
    assert "Online" in meeting.place and meeting.status == "held"
    assert "Example minutes" in meeting.minutes
    assert [a.title for a in meeting.agenda_items.order_by("number")] == list(demo.AGENDA)
    assert all(a.title.startswith("Example") for a in meeting.agenda_items.all())
    assert {(a.member.person_name, a.status) for a in meeting.attendance.all()} == {
        ("Example co-chair (Hub secretariat)", "present"),
        ("Example co-chair (Chad focal point)", "present"),
        ("Example representative", "apologies"),
    }

    decision = Decision.objects.get()
    assert decision.text.startswith("Example decision:") and decision.is_demo
    assert decision.reference == "TCD-JWG/2025/01" and decision.decided_on == dt.date(2025, 10, 15)
    assert decision.meeting == meeting and decision.agenda_item.number == 1

    actions = list(ActionItem.objects.order_by("title"))
    assert len(actions) == 3
    assert all(a.title.startswith("Example action:") and "Example" in a.description for a in actions)
    assert all(a.is_demo and a.decision == decision and a.meeting == meeting for a in actions)
    by_status = {(a.status, a.is_overdue): a for a in actions}
    assert by_status["open", True].due_on == dt.date(2025, 11, 30)
    assert by_status["open", False].due_on == timezone.localdate() + dt.timedelta(days=20)
    overdue, future, done = by_status["open", True], by_status["open", False], by_status["done", False]
    assert overdue.owner == members["Example co-chair (Hub secretariat)"]
    assert future.owner == members["Example representative"]
    assert (done.due_on, done.completed_on, done.owner) == (
        dt.date(2025, 10, 31),
        dt.date(2025, 10, 28),
        members["Example co-chair (Chad focal point)"],
    )
    assert AuditRecord.objects.filter(action="actionitem.update", object_id=str(done.pk), actor_label="system").exists()


def test_the_overdue_board_and_my_actions_show_the_examples(loaded):
    iom = Organisation.objects.get(acronym="IOM")
    iom_editor = UserFactory(role=Role.PARTNER_EDITOR, organisations=[iom])
    secretariat = UserFactory(role=Role.SECRETARIAT)

    assert [a.title for a in selectors.overdue_board(user=secretariat)] == [
        "Example action: circulate the draft work plan to the members"
    ]
    assert [a.title for a in selectors.my_actions(user=iom_editor)] == [
        "Example action: send comments on the draft work plan"
    ]


def test_no_membership_is_invented_for_the_announced_intentions_to_join(loaded):
    stages = set(Membership.objects.values_list("country__iso3", flat=True))
    assert stages == {"TCD", "GNB", "SOM", "UGA", "IRQ", "GMB"}  # the partners demo's sourced countries only
    un_event = HubEvent.objects.get(fact_id="BH036")
    assert "BH048" in un_event.description


def test_it_is_idempotent(loaded):
    before, audits = counts(), AuditRecord.objects.count()
    again = demo.demo_load()
    assert again.total == 0 and again.created == {} and again.skipped == []
    assert counts() == before
    assert AuditRecord.objects.count() == audits


def test_remove_then_load_again(loaded):
    audits = AuditRecord.objects.count()
    removed = demo.demo_remove()

    assert removed == sum(loaded.created.values())  # every row made, including agenda items and attendance
    assert all(n == 0 for n in counts().values())
    assert AuditRecord.objects.count() == audits + removed  # each removal recorded; the trail stays
    assert Memorandum.objects.filter(fact_id="BH044").exists()  # the partners demo is left alone
    assert demo.demo_remove() == 0

    again = demo.demo_load()
    assert again.created == loaded.created
    assert Decision.objects.get().reference == "TCD-JWG/2025/01"


def test_removal_refuses_while_a_real_action_is_in_a_demo_group(loaded):
    chad = WorkingGroup.objects.get(code="TCD-JWG")
    real_member = services.member_add(actor=None, working_group=chad, person_name="Real member")
    real_action = services.action_item_create(
        actor=None, working_group=chad, title="A real action", owner=real_member, due_on=dt.date(2026, 1, 5)
    )
    before = counts()

    with pytest.raises(DemoRemovalBlocked) as refusal:
        demo.demo_remove()

    assert "A real action" in refusal.value.message and "nothing was deleted" in refusal.value.message
    assert counts() == before

    real_action.delete()
    real_member.delete()
    assert demo.demo_remove() > 0


def test_removal_refuses_while_a_real_decision_uses_the_example_meeting(loaded):
    meeting = Meeting.objects.get()
    real = Decision.objects.create(
        working_group=meeting.working_group, year=2025, number=2, reference="TCD-JWG/2025/02", text="Real",
        meeting=meeting, decided_on=dt.date(2025, 10, 15),
    )  # fmt: skip
    before = counts()

    with pytest.raises(DemoRemovalBlocked, match="TCD-JWG/2025/02"):
        demo.demo_remove()
    assert counts() == before
    assert Decision.objects.get(pk=real.pk).meeting == meeting


def test_a_real_group_is_left_alone():
    countries = make_demo_countries()
    partners_demo.demo_load()
    real = services.working_group_create(actor=None, country=countries["TCD"], name="Chad JWG (real)")

    result = demo.demo_load()

    assert result.created == {"working groups": 1}
    assert any("TCD-JWG" in note and "real" in note for note in result.skipped)
    assert not real.members.exists() and not Meeting.objects.exists() and not ActionItem.objects.exists()
    assert WorkingGroup.objects.get(code="GNB-JWG").is_demo
    demo.demo_remove()
    assert list(WorkingGroup.objects.all()) == [real]


def test_it_needs_the_partners_demo_first():
    make_demo_countries()
    with pytest.raises(PreconditionFailed, match="partners demo"):
        demo.demo_load()
    assert not WorkingGroup.objects.exists()
