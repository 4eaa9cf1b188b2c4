"""Project writes (HackSoft services): keyword-only, actor first (None = the system), permission checked, input
validated before anything is written, one transaction, an audit record for every write, and the project's version
bumped on every change to it or its parts."""

from .links import project_links_set
from .locations import location_add, location_remove
from .projects import (
    allowed_next_phases,
    approval_problems,
    project_create,
    project_document_add,
    project_participant_add,
    project_participant_remove,
    project_phase_advance,
    project_update,
)
from .screening import screening_save
from .tagging import (
    project_humanitarian_set,
    project_nexus_set,
    project_policy_markers_set,
    project_sectors_set,
    project_warnings,
)

__all__ = [
    "allowed_next_phases",
    "approval_problems",
    "location_add",
    "location_remove",
    "project_create",
    "project_document_add",
    "project_humanitarian_set",
    "project_links_set",
    "project_nexus_set",
    "project_participant_add",
    "project_participant_remove",
    "project_phase_advance",
    "project_policy_markers_set",
    "project_sectors_set",
    "project_update",
    "project_warnings",
    "screening_save",
]
