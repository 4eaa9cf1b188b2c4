"""Property tests of the membership lifecycle: the pure state machine, then the service that drives it in the DB."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from bakuhub.accounts.models import Role
from bakuhub.core.errors import ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.partners.lifecycle import ACTIVE_PATH, LABELS, Stage, allowed_next, is_allowed, paused_from_after
from bakuhub.partners.models import Membership, MembershipEvent
from bakuhub.partners.services import StageTransitionNotAllowed, membership_advance, membership_create
from bakuhub.testing.factories import CountryFactory, UserFactory

MODEST = settings(max_examples=50, deadline=None)

State = tuple[Stage, Stage | None]  # (stage, paused_from)


def step(state: State, target: Stage) -> State:
    """The pure model: where an allowed move leads, remembering the stage a pause came from."""
    current, paused = state
    assert is_allowed(current, target, paused)
    return target, paused_from_after(current, target, paused)


@st.composite
def reachable_states(draw: st.DrawFn) -> State:
    """Start at any active stage (a membership may be recorded mid-path) and take up to 25 allowed moves."""
    state: State = (draw(st.sampled_from(ACTIVE_PATH)), None)
    for _ in range(draw(st.integers(0, 25))):
        state = step(state, draw(st.sampled_from(allowed_next(*state))))
    return state


def test_it_labels_every_stage():
    assert set(LABELS) == set(Stage)


def test_it_lists_the_documented_moves_from_each_active_stage():
    assert allowed_next(Stage.INTERESTED) == [Stage.INTENTION_ANNOUNCED, Stage.PAUSED, Stage.WITHDRAWN]
    assert allowed_next(Stage.IMPLEMENTING) == [Stage.PAUSED, Stage.WITHDRAWN]
    assert allowed_next(Stage.WITHDRAWN) == [Stage.INTERESTED]
    assert allowed_next(Stage.PAUSED, Stage.JWG_ESTABLISHED) == [Stage.JWG_ESTABLISHED, Stage.WITHDRAWN]


@MODEST
@given(reachable_states())
def test_it_never_offers_a_skip_or_a_backward_active_step(state):
    current, paused = state
    for target in allowed_next(current, paused):
        if target == Stage.PAUSED:
            assert current in ACTIVE_PATH, "only an active stage may be paused"
            continue
        if target == Stage.WITHDRAWN:
            assert current != Stage.WITHDRAWN
            continue
        if current == Stage.WITHDRAWN:
            assert target == Stage.INTERESTED
        elif current == Stage.PAUSED:
            assert target == paused
        else:
            assert ACTIVE_PATH.index(target) == ACTIVE_PATH.index(current) + 1


@MODEST
@given(reachable_states())
def test_it_keeps_a_consistent_state(state):
    current, paused = state
    assert (paused is not None) == (current == Stage.PAUSED)
    if paused is not None:
        assert paused in ACTIVE_PATH
    assert len(set(allowed_next(current, paused))) == len(allowed_next(current, paused))


@MODEST
@given(reachable_states())
def test_it_never_gets_stuck(state):
    current, paused = state
    assert allowed_next(current, paused)
    if current != Stage.WITHDRAWN:
        assert Stage.WITHDRAWN in allowed_next(current, paused)


@MODEST
@given(reachable_states(), st.lists(st.integers(0, 100), max_size=40))
def test_random_walks_of_allowed_moves_never_get_stuck_and_can_reach_implementing(state, choices):
    for choice in choices:
        options = allowed_next(*state)
        assert options
        state = step(state, options[choice % len(options)])
    # Always taking the first option (forward, resume or restart) reaches the end of the path.
    for _ in range(2 * len(ACTIVE_PATH) + 2):
        if state[0] == Stage.IMPLEMENTING:
            break
        state = step(state, allowed_next(*state)[0])
    assert state == (Stage.IMPLEMENTING, None)


@MODEST
@given(reachable_states())
def test_paused_always_resumes_exactly_where_it_paused(state):
    current, _ = state
    if current not in ACTIVE_PATH:
        return
    stage, remembered = step(state, Stage.PAUSED)
    assert (stage, remembered) == (Stage.PAUSED, current)
    resumable = [s for s in allowed_next(stage, remembered) if s in ACTIVE_PATH]
    assert resumable == [current]
    assert step((stage, remembered), current) == (current, None)


@MODEST
@given(st.sampled_from(list(Stage)))
def test_a_pause_with_nothing_remembered_can_only_be_withdrawn(target):
    assert allowed_next(Stage.PAUSED, None) == [Stage.WITHDRAWN]
    assert is_allowed(Stage.PAUSED, target, None) == (target == Stage.WITHDRAWN)


# --- the service, with the database ------------------------------------------------------------------------

START = dt.date(2020, 1, 1)


def _snapshot(membership: Membership) -> tuple[str, str, dt.date, int, int]:
    membership.refresh_from_db()
    return (
        membership.stage,
        membership.paused_from,
        membership.stage_since,
        MembershipEvent.objects.filter(membership=membership).count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.django_db
@settings(max_examples=30, deadline=None)
@given(
    start=st.sampled_from(ACTIVE_PATH),
    moves=st.lists(st.tuples(st.sampled_from(list(Stage)), st.booleans()), max_size=15),
    data=st.data(),
)
def test_membership_advance_follows_the_pure_model(start, moves, data):
    """Random moves, each either allowed by the model or an arbitrary target: the DB tracks the model exactly."""
    # Examples share the test's transaction; each one runs in a savepoint that is rolled back afterwards.
    with transaction.atomic():
        _drive(start, moves, data)
        transaction.set_rollback(True)


def _drive(start, moves, data):
    country = CountryFactory()
    actor = UserFactory(role=Role.SECRETARIAT)
    membership = membership_create(
        actor=actor,
        country=country,
        stage=start,
        occurred_on=START,
        source_title="Letter",
        source_url="https://example.org/letter",
    )
    model: State = (Stage(start), None)
    day = START
    for target, pick_allowed in moves:
        if pick_allowed:
            target = data.draw(st.sampled_from(allowed_next(*model)))
        day += dt.timedelta(days=3)
        before = _snapshot(membership)
        if is_allowed(model[0], target, model[1]):
            event = membership_advance(
                actor=actor,
                membership=membership,
                to_stage=target,
                occurred_on=day,
                source_title="Evidence",
                source_url="https://example.org/evidence",
            )
            model = step(model, target)
            assert (event.from_stage, event.to_stage, event.occurred_on) == (before[0], target, day)
            stage, paused, since, events, audits = _snapshot(membership)
            assert (events, audits) == (before[3] + 1, before[4] + 2)
            assert since == day
        else:
            with pytest.raises(StageTransitionNotAllowed) as refused:
                membership_advance(
                    actor=actor,
                    membership=membership,
                    to_stage=target,
                    occurred_on=day,
                    source_title="Evidence",
                    source_url="https://example.org/evidence",
                )
            assert refused.value.errors["to_stage"] == [
                "Allowed next: " + ", ".join(s.value for s in allowed_next(*model)) + "."
            ]
            assert _snapshot(membership) == before
        stage, paused, *_ = _snapshot(membership)
        assert (Stage(stage), Stage(paused) if paused else None) == model
        assert membership.stage == stage  # the caller's object is refreshed too


@pytest.mark.django_db
def test_refused_inputs_after_an_allowed_target_change_nothing(chad, secretariat):
    membership = membership_create(
        actor=secretariat,
        country=chad,
        stage="interested",
        occurred_on=START,
        source_title="Letter",
        source_url="https://example.org/letter",
    )
    before = _snapshot(membership)
    bad_inputs = [
        {"to_stage": "nonsense"},
        {"occurred_on": START - dt.timedelta(days=1)},
        {"occurred_on": dt.date.today() + dt.timedelta(days=30)},
        {"source_url": ""},
        {"source_title": "  "},
    ]
    for bad in bad_inputs:
        kwargs = {
            "to_stage": "intention_announced",
            "occurred_on": START + dt.timedelta(days=1),
            "source_title": "Evidence",
            "source_url": "https://example.org/e",
            **bad,
        }
        with pytest.raises(ValidationFailed):
            membership_advance(actor=secretariat, membership=membership, **kwargs)
        assert _snapshot(membership) == before, bad
