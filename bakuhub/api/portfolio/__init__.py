"""The project portfolio: projects (with nexus tagging, locations, participants, documents), their money (budgets,
transactions), their results framework and funder matching.

The public sees public projects with their public parts (sensitive locations coarsened or left out, public documents,
approved results with small counts suppressed). Insiders of a project (the secretariat, funders, the country's focal
points and editors of the project's organisations) see the rest. The one `router` serves /projects, /budgets,
/transactions, /results, /indicators and /periods (mounted at the API's root); every module declares its routes on
it when it is imported.
"""

from __future__ import annotations

# isort: off
from . import projects  # noqa: F401
from . import matches  # noqa: F401
from . import finance  # noqa: F401
from . import results  # noqa: F401

# isort: on
from .common import router

__all__ = ["router"]
