"""Property tests of the membership lifecycle: the pure milestone model, then the services that drive it in the DB."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from bakuhub.accounts.models import Role
from bakuhub.core.errors import Conflict, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.partners.lifecycle import (
    ACTIVE_PATH,
    LABELS,
    MILESTONES,
    STATE_CHANGES,
    Stage,
    allowed_next,
    awaits_next_step,
    furthest,
    is_allowed,
    paused_from_after,
    reached_before,
    shown_stage,
)
from bakuhub.partners.models import Membership, MembershipEvent, MembershipMilestone
from bakuhub.partners.services import (
    StageTransitionNotAllowed,
    membership_advance,
    membership_create,
    membership_milestone_correct,
    membership_milestone_record,
)
from bakuhub.testing.factories import CountryFactory, MemorandumFactory, UserFactory
from bakuhub.working_groups.models import WorkingGroup

MODEST = settings(max_examples=50, deadline=None)
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31))
REACHED = st.dictionaries(st.sampled_from(MILESTONES), DAYS)


def test_it_labels_every_stage():
    assert set(LABELS) == set(Stage)


def test_the_milestones_are_the_active_path_after_interested():
    assert ACTIVE_PATH[1:] == MILESTONES
    assert furthest({}) == Stage.INTERESTED


@MODEST
@given(REACHED)
def test_the_shown_stage_is_the_furthest_milestone_whatever_the_dates(reached):
    stage = shown_stage(reached)
    if not reached:
        assert stage == Stage.INTERESTED
        return
    assert stage in reached
    assert all(ACTIVE_PATH.index(other) <= ACTIVE_PATH.index(stage) for other in reached)
    # The order of recording and the dates do not matter, only which milestones were reached.
    assert shown_stage(dict(reversed(list(reached.items())))) == stage
    assert shown_stage({s: dt.date(2021, 1, 1) for s in reached}) == stage


@MODEST
@given(REACHED, st.sampled_from(STATE_CHANGES))
def test_pause_and_withdrawal_show_over_the_milestones(reached, state):
    assert shown_stage(reached, state) == state


@MODEST
@given(REACHED)
def test_a_milestone_reached_before_an_earlier_one_is_listed_as_such(reached):
    before = reached_before(reached)
    for stage in MILESTONES:
        for earlier in MILESTONES[: MILESTONES.index(stage)]:
            came_first = stage in reached and earlier in reached and reached[earlier] > reached[stage]
            assert (earlier in before.get(stage, [])) == came_first


def test_a_pilot_announced_before_the_memorandum_is_shown_before_it():
    reached = {
        Stage.PILOT_UNDERWAY: dt.date(2025, 6, 1),
        Stage.MEMORANDUM_APPROVED: dt.date(2025, 9, 1),
        Stage.JWG_ESTABLISHED: dt.date(2025, 9, 1),
    }
    assert shown_stage(reached) == Stage.PILOT_UNDERWAY
    assert reached_before(reached) == {Stage.PILOT_UNDERWAY: [Stage.MEMORANDUM_APPROVED, Stage.JWG_ESTABLISHED]}


def test_only_stages_that_expect_a_next_step_await_one():
    assert [s for s in Stage if awaits_next_step(s)] == list(ACTIVE_PATH[:-1])
    assert not awaits_next_step(Stage.IMPLEMENTING)
    assert not awaits_next_step(Stage.PAUSED) and not awaits_next_step(Stage.WITHDRAWN)


def test_it_lists_the_state_changes_from_each_state():
    for stage in ACTIVE_PATH:
        assert allowed_next(stage) == [Stage.PAUSED, Stage.WITHDRAWN]
    assert allowed_next(Stage.WITHDRAWN) == [Stage.INTERESTED]
    assert allowed_next(Stage.PAUSED, Stage.JWG_ESTABLISHED) == [Stage.JWG_ESTABLISHED, Stage.WITHDRAWN]
    assert allowed_next(Stage.PAUSED, None) == [Stage.WITHDRAWN]


@MODEST
@given(st.sampled_from(ACTIVE_PATH))
def test_paused_always_resumes_where_it_paused(stage):
    remembered = paused_from_after(stage, Stage.PAUSED, None)
    assert remembered == stage
    assert [s for s in allowed_next(Stage.PAUSED, remembered) if s in ACTIVE_PATH] == [stage]
    assert is_allowed(Stage.PAUSED, Stage.WITHDRAWN, remembered)


# --- the services, with the database ------------------------------------------------------------------------------

START = dt.date(2020, 1, 1)
EVIDENCE = {"source_title": "Evidence", "source_url": "https://example.org/evidence"}


def _membership(actor, stage: str = "interested", *, with_group: bool = False) -> Membership:
    country = CountryFactory()
    if with_group:  # a `jwg_established` milestone needs its group on record
        WorkingGroup.objects.create(country=country, name="JWG", code=f"{country.iso3}-JWG")
        # and the memorandum milestones their memorandum
        MemorandumFactory(status="signed", signed_on=START, party_countries=[country])
    return membership_create(
        actor=actor, country=country, stage=stage, occurred_on=START, source_title="Letter",
        source_url="https://example.org/letter",
    )  # fmt: skip


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(st.permutations(MILESTONES), st.lists(DAYS, min_size=len(MILESTONES), max_size=len(MILESTONES)), st.data())
def test_milestones_are_recorded_in_any_order_and_the_furthest_is_shown(order, days, data):
    """Random subsets of the milestones, recorded in a random order with random dates: none is refused, the shown
    stage is the furthest, its date is that milestone's, and every record is audited."""
    with transaction.atomic():
        actor = UserFactory(role=Role.SECRETARIAT)
        membership = _membership(actor, with_group=True)
        count = data.draw(st.integers(1, len(MILESTONES)))
        reached: dict[Stage, dt.date] = {}
        for stage, day in list(zip(order, days, strict=True))[:count]:
            audits = AuditRecord.objects.count()
            membership_milestone_record(actor=actor, membership=membership, milestone=stage, reached_on=day, **EVIDENCE)
            reached[stage] = day
            membership.refresh_from_db()
            assert membership.stage == furthest(reached)
            assert membership.stage_since == reached[furthest(reached)]
            assert membership.last_update_on == max([START, *reached.values()])
            assert AuditRecord.objects.count() > audits
        assert MembershipMilestone.objects.filter(membership=membership).count() == len(reached)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_refuses_a_milestone_recorded_twice(chad_membership, secretariat):
    membership_milestone_record(
        actor=secretariat, membership=chad_membership, milestone="pilot_underway", reached_on=START, **EVIDENCE
    )
    with pytest.raises(Conflict, match="correct it instead"):
        membership_milestone_record(
            actor=secretariat, membership=chad_membership, milestone="pilot_underway", reached_on=START, **EVIDENCE
        )
    assert chad_membership.milestones.filter(milestone="pilot_underway").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_joint_working_group_milestone_without_its_group(chad_membership, secretariat):
    """Else the pipeline would count a group that the group list does not show."""
    with pytest.raises(ValidationFailed, match="no Joint Working Group on record"):
        membership_milestone_record(
            actor=secretariat, membership=chad_membership, milestone="jwg_established", reached_on=START, **EVIDENCE
        )
    with pytest.raises(ValidationFailed, match="no Joint Working Group on record"):
        _membership(secretariat, "jwg_established")
    WorkingGroup.objects.create(country=chad_membership.country, name="Chad JWG", code="TCD-JWG")
    membership_milestone_record(
        actor=secretariat, membership=chad_membership, milestone="jwg_established", reached_on=START, **EVIDENCE
    )
    assert chad_membership.stage == "jwg_established"


@pytest.mark.django_db
def test_it_records_a_later_milestone_dated_before_an_earlier_one(chad_membership, secretariat):
    """Before, the state machine refused anything but the next step, and any date before the current stage."""
    membership_milestone_record(
        actor=secretariat,
        membership=chad_membership,
        milestone="pilot_underway",
        reached_on=dt.date(2024, 6, 1),
        date_precision="month",
        **EVIDENCE,
    )
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.stage_since) == ("pilot_underway", dt.date(2024, 6, 1))
    assert chad_membership.stage_since_precision == "month"


@pytest.mark.django_db
def test_a_correction_is_an_audited_edit(chad_membership, secretariat):
    membership_milestone_correct(
        actor=secretariat,
        membership=chad_membership,
        milestone="memorandum_approved",
        reached_on=dt.date(2024, 12, 1),
        inferred_from="BH044",
    )
    row = chad_membership.milestones.get(milestone="memorandum_approved")
    assert (row.reached_on, row.inferred_from) == (dt.date(2024, 12, 1), "BH044")
    record = AuditRecord.objects.filter(action="membershipmilestone.correct").get()
    assert record.changes["reached_on"] == ["2025-01-10", "2024-12-01"]
    assert record.changes["inferred_from"] == ["", "BH044"]
    chad_membership.refresh_from_db()
    assert chad_membership.stage_since == dt.date(2024, 12, 1)


@pytest.mark.django_db
def test_a_pause_resumes_at_the_furthest_milestone_even_one_recorded_while_paused(chad_membership, secretariat):
    day = dt.date(2025, 2, 1)
    membership_advance(actor=secretariat, membership=chad_membership, to_stage="paused", occurred_on=day, **EVIDENCE)
    membership_milestone_record(
        actor=secretariat, membership=chad_membership, milestone="pilot_underway", reached_on=day, **EVIDENCE
    )
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.paused_from) == ("paused", "pilot_underway")
    membership_advance(
        actor=secretariat,
        membership=chad_membership,
        to_stage="pilot_underway",  # resume
        occurred_on=dt.date(2025, 3, 1),
        **EVIDENCE,
    )
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.paused_from) == ("pilot_underway", "")
    assert chad_membership.stage_since == day
    assert chad_membership.last_update_on == dt.date(2025, 3, 1)
    assert chad_membership.milestones.count() == 2


@pytest.mark.django_db
def test_withdrawal_and_restart_keep_the_milestones(chad_membership, secretariat):
    membership_advance(
        actor=secretariat, membership=chad_membership, to_stage="withdrawn", occurred_on=dt.date(2025, 2, 1), **EVIDENCE
    )
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "withdrawn"
    with pytest.raises(StageTransitionNotAllowed):
        membership_advance(
            actor=secretariat,
            membership=chad_membership,
            to_stage="paused",
            occurred_on=dt.date(2025, 3, 1),
            **EVIDENCE,
        )
    membership_advance(
        actor=secretariat,
        membership=chad_membership,
        to_stage="interested",
        occurred_on=dt.date(2025, 3, 1),
        **EVIDENCE,
    )
    chad_membership.refresh_from_db()
    assert chad_membership.stage == "memorandum_approved"
    assert list(MembershipEvent.objects.filter(membership=chad_membership).values_list("to_stage", flat=True)) == [
        "withdrawn",
        "interested",
    ]


@pytest.mark.django_db
def test_refused_inputs_change_nothing(chad, secretariat):
    membership = _membership(secretariat)
    before = (MembershipMilestone.objects.count(), AuditRecord.objects.count())
    bad_inputs = [
        {"milestone": "nonsense"},
        {"milestone": "paused"},
        {"reached_on": dt.date.today() + dt.timedelta(days=30)},
        {"source_url": ""},
        {"source_title": "  "},
        {"inferred_from": "BH 27!"},
    ]
    for bad in bad_inputs:
        kwargs = {"milestone": "intention_announced", "reached_on": START, **EVIDENCE, **bad}
        with pytest.raises(ValidationFailed):
            membership_milestone_record(actor=secretariat, membership=membership, **kwargs)
        assert (MembershipMilestone.objects.count(), AuditRecord.objects.count()) == before, bad


@pytest.mark.django_db
def test_a_memorandum_marked_signed_records_the_milestone_of_each_party(chad_membership, guinea_bissau, secretariat):
    from bakuhub.partners.services import memorandum_create, memorandum_update

    memo = memorandum_create(
        actor=secretariat,
        title="MoU",
        status="approved",
        approved_on=dt.date(2025, 9, 1),
        party_countries=[chad_membership.country, guinea_bissau],
        source_url="https://example.org/mou",
    )
    assert not MembershipMilestone.objects.filter(milestone="memorandum_signed").exists()
    memorandum_update(actor=secretariat, memorandum=memo, status="signed", signed_on=dt.date(2025, 11, 12))
    chad_membership.refresh_from_db()
    assert (chad_membership.stage, chad_membership.stage_since) == ("memorandum_signed", dt.date(2025, 11, 12))
    gnb = Membership.objects.get(country=guinea_bissau)
    assert gnb.stage == "memorandum_signed"
    assert gnb.milestones.get().source_url == "https://example.org/mou"


@pytest.mark.django_db
def test_it_refuses_a_signed_memorandum_milestone_without_a_signed_memorandum(chad_membership, chad_focal_point):
    MemorandumFactory(status="approved", party_countries=[chad_membership.country])
    with pytest.raises(ValidationFailed, match="Chad has no signed memorandum on record") as refused:
        membership_milestone_record(
            actor=chad_focal_point, membership=chad_membership, milestone="memorandum_signed", reached_on=START,
            **EVIDENCE,
        )  # fmt: skip
    assert list(refused.value.errors) == ["milestone"]
    assert not chad_membership.milestones.filter(milestone="memorandum_signed").exists()


@pytest.mark.django_db
def test_it_refuses_an_approved_memorandum_milestone_for_a_country_with_no_memorandum(secretariat):
    country = CountryFactory(name_en="Somalia")
    MemorandumFactory(status="signed", signed_on=START, party_countries=[CountryFactory()])  # another country's
    with pytest.raises(ValidationFailed, match="Somalia has no approved memorandum on record"):
        membership_create(
            actor=secretariat, country=country, stage="memorandum_approved", occurred_on=START,
            source_title="Letter", source_url="https://example.org/letter",
        )  # fmt: skip
    assert not Membership.objects.filter(country=country).exists()


@pytest.mark.django_db
def test_a_memorandum_milestone_is_recorded_when_its_memorandum_is_on_record(chad_membership, secretariat):
    MemorandumFactory(status="expired", signed_on=START, party_countries=[chad_membership.country])
    membership_milestone_record(
        actor=secretariat, membership=chad_membership, milestone="memorandum_signed", reached_on=START, **EVIDENCE
    )
    assert chad_membership.milestones.filter(milestone="memorandum_signed").exists()


@pytest.mark.django_db
def test_a_bad_milestone_date_is_reported_on_reached_on(chad_membership, secretariat):
    with pytest.raises(ValidationFailed) as refused:
        membership_milestone_record(
            actor=secretariat, membership=chad_membership, milestone="pilot_underway",
            reached_on=dt.date.today() + dt.timedelta(days=30), **EVIDENCE,
        )  # fmt: skip
    assert list(refused.value.errors) == ["reached_on"]
    with pytest.raises(ValidationFailed) as refused:
        membership_milestone_correct(
            actor=secretariat, membership=chad_membership, milestone="memorandum_approved",
            reached_on=dt.date(1800, 1, 1),
        )  # fmt: skip
    assert list(refused.value.errors) == ["reached_on"]
