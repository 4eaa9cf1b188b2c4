"""The do-no-harm / conflict-sensitivity checklist every project answers before approval.

Each question is answered "yes", "no" or "n/a". `concern` is the answer that signals a risk (for most questions
"yes"; for the grievance mechanism "no"): that answer needs a note saying how the risk is handled.
Changing a question's meaning needs a new id, because stored answers refer to the ids.
"""

from __future__ import annotations

from dataclasses import dataclass

ANSWERS = ("yes", "no", "n/a")
ANSWER_ALIASES = {"n.a.": "n/a", "na": "n/a", "n/a": "n/a", "yes": "yes", "no": "no"}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    concern: str = "yes"


QUESTIONS: tuple[Question, ...] = (
    Question(
        "tensions",
        "Could the project reinforce tensions or divisions between groups (for example host and displaced "
        "communities, herders and farmers, ethnic or religious groups)?",
    ),
    Question(
        "targeting",
        "Could the choice of beneficiaries or areas be seen as unfair, or as favouring one group over another?",
    ),
    Question(
        "land_resources",
        "Does the project involve land, water, pasture or other natural resources that are, or may become, disputed?",
    ),
    Question(
        "displacement",
        "Could the project cause or influence displacement, relocation or restrictions on movement, or change "
        "the situation of displaced people and their hosts?",
    ),
    Question(
        "staff_safety",
        "Could staff, partners or participants be exposed to security risks because of the project?",
    ),
    Question(
        "data_protection",
        "Will the project collect personal or sensitive data about beneficiaries (displacement status, ethnicity, "
        "exact location) that could harm them if disclosed?",
    ),
    Question(
        "power_dynamics",
        "Could the project strengthen, or be captured by, local power holders, armed actors or elites?",
    ),
    Question(
        "grievance_mechanism",
        "Is there an accessible and safe grievance and feedback mechanism for the affected communities?",
        concern="no",
    ),
)

QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
