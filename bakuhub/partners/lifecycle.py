"""The membership lifecycle as plain Python (no Django), so it can be property-tested on its own.

Joining the Hub is not linear, so a membership is a set of DATED MILESTONES, each backed by evidence and recorded
in any order, at most once each:

    intention_announced, memorandum_approved, memorandum_signed, jwg_established, pilot_underway, implementing

The stage SHOWN is the furthest milestone reached in the path order (`interested` while there is none). A milestone
dated before one that comes earlier in the path is shown as such ("reached before the memorandum"), never refused.

Over the milestones sit explicit states: a membership may be paused (it resumes at its furthest milestone) or
withdrawn (it may restart; the milestones recorded stay, they are facts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum


class Stage(StrEnum):
    INTERESTED = "interested"
    INTENTION_ANNOUNCED = "intention_announced"
    MEMORANDUM_APPROVED = "memorandum_approved"
    MEMORANDUM_SIGNED = "memorandum_signed"
    JWG_ESTABLISHED = "jwg_established"
    PILOT_UNDERWAY = "pilot_underway"
    IMPLEMENTING = "implementing"
    PAUSED = "paused"
    WITHDRAWN = "withdrawn"


ACTIVE_PATH: tuple[Stage, ...] = (
    Stage.INTERESTED,
    Stage.INTENTION_ANNOUNCED,
    Stage.MEMORANDUM_APPROVED,
    Stage.MEMORANDUM_SIGNED,
    Stage.JWG_ESTABLISHED,
    Stage.PILOT_UNDERWAY,
    Stage.IMPLEMENTING,
)
MILESTONES: tuple[Stage, ...] = ACTIVE_PATH[1:]
"""The steps that are recorded with a date and evidence, in any order."""

LABELS: dict[Stage, str] = {
    Stage.INTERESTED: "Interested",
    Stage.INTENTION_ANNOUNCED: "Intention announced",
    Stage.MEMORANDUM_APPROVED: "Memorandum approved",
    Stage.MEMORANDUM_SIGNED: "Memorandum signed",
    Stage.JWG_ESTABLISHED: "Joint Working Group established",
    Stage.PILOT_UNDERWAY: "Pilot announced or underway",
    Stage.IMPLEMENTING: "Implementing",
    Stage.PAUSED: "Paused",
    Stage.WITHDRAWN: "Withdrawn",
}

STATE_CHANGES: tuple[Stage, ...] = (Stage.PAUSED, Stage.WITHDRAWN)


def furthest(reached: Mapping[Stage, dt.date] | set[Stage] | frozenset[Stage]) -> Stage:
    """The furthest milestone reached in the path order; `interested` when none is."""
    best = Stage.INTERESTED
    for stage in reached:
        if stage in MILESTONES and ACTIVE_PATH.index(stage) > ACTIVE_PATH.index(best):
            best = stage
    return best


def shown_stage(reached: Mapping[Stage, dt.date], state: Stage | None = None) -> Stage:
    """What a membership shows: its explicit state (paused, withdrawn) if it has one, else its furthest milestone."""
    if state is not None and state in STATE_CHANGES:
        return state
    return furthest(reached)


def reached_before(reached: Mapping[Stage, dt.date]) -> dict[Stage, list[Stage]]:
    """For each milestone, the milestones EARLIER in the path that were reached LATER (so it came before them).

    E.g. a pilot announced in June and a memorandum approved in September: {pilot_underway: [memorandum_approved]}.
    Only milestones with at least one such predecessor are listed; each list is in path order.
    """
    out: dict[Stage, list[Stage]] = {}
    for stage, day in reached.items():
        if stage not in MILESTONES:
            continue
        earlier = [
            other for other in MILESTONES[: MILESTONES.index(stage)] if other in reached and reached[other] > day
        ]
        if earlier:
            out[stage] = earlier
    return out


def stage_since(reached: Mapping[Stage, dt.date]) -> dt.date | None:
    """The date of the furthest milestone (when the shown stage was reached), None when there is none."""
    stage = furthest(reached)
    return reached.get(stage)


def awaits_next_step(stage: Stage) -> bool:
    """Whether a membership at `stage` expects a next step: every active stage but the last. A paused or withdrawn
    membership expects nothing (that was decided), nor does an implementing one."""
    return stage in ACTIVE_PATH[:-1]


def allowed_next(current: Stage, paused_from: Stage | None = None) -> list[Stage]:
    """The explicit state changes open from `current` (milestones are recorded separately, in any order).

    Active: pause or withdraw. Paused: resume (back to the stage it was paused at) or withdraw. Withdrawn: restart.
    """
    if current == Stage.WITHDRAWN:
        return [Stage.INTERESTED]
    if current == Stage.PAUSED:
        resume = [paused_from] if paused_from in ACTIVE_PATH else []
        return [*resume, Stage.WITHDRAWN]
    return [Stage.PAUSED, Stage.WITHDRAWN]


def is_allowed(current: Stage, target: Stage, paused_from: Stage | None = None) -> bool:
    return target in allowed_next(current, paused_from)


def paused_from_after(current: Stage, target: Stage, paused_from: Stage | None) -> Stage | None:
    """What to remember as the stage to resume after a move from `current` to `target`."""
    if target == Stage.PAUSED:
        return current
    return None
