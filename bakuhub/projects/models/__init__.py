from .locations import Location
from .projects import Project, ProjectDocument, ProjectParticipant
from .tagging import PolicyMarker, ProjectSector, Screening

__all__ = [
    "Location",
    "PolicyMarker",
    "Project",
    "ProjectDocument",
    "ProjectParticipant",
    "ProjectSector",
    "Screening",
]
