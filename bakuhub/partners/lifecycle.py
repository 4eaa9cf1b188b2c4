"""The membership lifecycle as a pure state machine (no Django), so it can be property-tested on its own.

Active path:  interested → intention_announced → memorandum_approved → memorandum_signed → jwg_established
              → pilot_underway → implementing
Side states:  any active stage → paused (resume only to the stage it was paused from) or withdrawn;
              paused → withdrawn; withdrawn → interested (a country may start again).
"""

from __future__ import annotations

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

LABELS: dict[Stage, str] = {
    Stage.INTERESTED: "Interested",
    Stage.INTENTION_ANNOUNCED: "Intention announced",
    Stage.MEMORANDUM_APPROVED: "Memorandum approved",
    Stage.MEMORANDUM_SIGNED: "Memorandum signed",
    Stage.JWG_ESTABLISHED: "Joint Working Group established",
    Stage.PILOT_UNDERWAY: "Pilot underway",
    Stage.IMPLEMENTING: "Implementing",
    Stage.PAUSED: "Paused",
    Stage.WITHDRAWN: "Withdrawn",
}


def allowed_next(current: Stage, paused_from: Stage | None = None) -> list[Stage]:
    """The stages a membership may move to from `current`, in a stable order."""
    if current == Stage.WITHDRAWN:
        return [Stage.INTERESTED]
    if current == Stage.PAUSED:
        resume = [paused_from] if paused_from in ACTIVE_PATH else []
        return [*resume, Stage.WITHDRAWN]
    index = ACTIVE_PATH.index(current)
    forward = [ACTIVE_PATH[index + 1]] if index + 1 < len(ACTIVE_PATH) else []
    return [*forward, Stage.PAUSED, Stage.WITHDRAWN]


def is_allowed(current: Stage, target: Stage, paused_from: Stage | None = None) -> bool:
    return target in allowed_next(current, paused_from)


def paused_from_after(current: Stage, target: Stage, paused_from: Stage | None) -> Stage | None:
    """What to remember as the stage to resume after a move from `current` to `target`."""
    if target == Stage.PAUSED:
        return current
    return None
