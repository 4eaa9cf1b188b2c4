from .memberships import StageTransitionNotAllowed, membership_advance, membership_create
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
    "memorandum_create",
    "memorandum_signatory_add",
    "memorandum_signatory_remove",
    "memorandum_update",
    "memorandum_version_add",
    "organisation_create",
    "organisation_update",
]
