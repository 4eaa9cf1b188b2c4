from .events import HubEvent
from .memberships import Membership, MembershipEvent, MembershipMilestone
from .memoranda import Memorandum, MemorandumSignatory, MemorandumVersion
from .organisations import Contact, Initiative, InitiativeParticipant, Organisation

__all__ = [
    "Contact",
    "HubEvent",
    "Initiative",
    "InitiativeParticipant",
    "Membership",
    "MembershipEvent",
    "MembershipMilestone",
    "Memorandum",
    "MemorandumSignatory",
    "MemorandumVersion",
    "Organisation",
]
