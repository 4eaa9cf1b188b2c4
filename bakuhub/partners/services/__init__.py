from .memberships import (
    StageTransitionNotAllowed,
    membership_advance,
    membership_create,
    membership_milestone_correct,
    membership_milestone_record,
    milestone_follow_record,
    milestone_for_record,
)
from .memoranda import (
    memorandum_create,
    memorandum_signatory_add,
    memorandum_signatory_remove,
    memorandum_update,
    memorandum_version_add,
)
from .organisations import contact_create, organisation_create, organisation_update

__all__ = [
    "StageTransitionNotAllowed",
    "contact_create",
    "membership_advance",
    "membership_create",
    "membership_milestone_correct",
    "membership_milestone_record",
    "memorandum_create",
    "memorandum_signatory_add",
    "memorandum_signatory_remove",
    "memorandum_update",
    "memorandum_version_add",
    "milestone_follow_record",
    "milestone_for_record",
    "organisation_create",
    "organisation_update",
]
