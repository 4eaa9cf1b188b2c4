"""The do-no-harm / conflict-sensitivity screening (checklist in `bakuhub.projects.screening_questions`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from bakuhub.accounts.models import User
from bakuhub.core.errors import ValidationFailed
from bakuhub.projects.models import Project, Screening
from bakuhub.projects.screening_questions import ANSWER_ALIASES, BY_ID, QUESTION_IDS

from ._common import Errors, lock, require, save_versioned

NOTE_MAX = 2000
SCREENED_PHASES = frozenset({"approved", "implementing", "completed", "closed"})


def check_answers(answers: Any, *, complete: bool) -> dict[str, dict[str, str]]:
    """Answers as {question_id: {"answer": "yes"|"no"|"n/a", "note": str}}; `answers` may also map an id to the
    bare answer. To complete, every question is answered and every answer that signals a risk has a note."""
    if not isinstance(answers, dict):
        raise ValidationFailed("The answers map question ids to answers.", errors={"answers": ["Not a mapping."]})
    errors = Errors()
    clean: dict[str, dict[str, str]] = {}
    for qid, given in answers.items():
        if qid not in BY_ID:
            errors.add(str(qid), f"'{qid}' is not a screening question.")
            continue
        raw_answer, note = (given.get("answer"), given.get("note", "")) if isinstance(given, dict) else (given, "")
        answer = ANSWER_ALIASES.get(str(raw_answer or "").strip().lower())
        note = note.strip() if isinstance(note, str) else ""
        if raw_answer in (None, "") and not note:
            continue  # left blank in a draft
        if answer is None:
            errors.add(qid, f"'{raw_answer}' is not an answer; use yes, no or n/a.")
            continue
        if len(note) > NOTE_MAX:
            errors.add(qid, f"The note has {len(note)} characters; at most {NOTE_MAX}.")
        clean[qid] = {"answer": answer, "note": note}
    if complete:
        for qid in QUESTION_IDS:
            if qid not in clean:
                if qid not in errors.errors:
                    errors.add(qid, "Answer this question (yes, no or n/a) to complete the screening.")
            elif clean[qid]["answer"] == BY_ID[qid].concern and not clean[qid]["note"]:
                errors.add(qid, f"The answer '{clean[qid]['answer']}' signals a risk: note how it is handled.")
    errors.raise_if_any()
    return {qid: clean[qid] for qid in QUESTION_IDS if qid in clean}


@transaction.atomic
def screening_save(
    *,
    actor: User | None,
    project: Project,
    expected_version: int | None = None,
    answers: dict[str, Any],
    complete: bool,
) -> Screening:
    """Save the screening as a draft or complete it (the reviewer and date are recorded on completion).

    An approved (or later) project keeps a complete screening: it may be revised, not reopened as a draft.
    """
    require(actor, "screen_project", project, "screen")
    current = lock(project, expected_version)
    if not complete and current.phase in SCREENED_PHASES:
        msg = f"{current.identifier} was approved on a complete screening; save the revision as complete."
        raise ValidationFailed(msg, errors={"complete": [msg]})
    clean = check_answers(answers, complete=bool(complete))
    screening = Screening.objects.filter(project=current).first() or Screening(project=current)
    before = {"answers": screening.answers, "is_complete": screening.is_complete} if screening.pk else None
    screening.answers = clean
    screening.is_complete = bool(complete)
    screening.reviewer = actor if complete and actor is not None and actor.pk else None
    screening.reviewed_on = timezone.localdate() if complete else None
    screening.save()
    after = {
        "answers": clean,
        "is_complete": screening.is_complete,
        "reviewer": screening.reviewer_id,
        "reviewed_on": screening.reviewed_on.isoformat() if screening.reviewed_on else None,
    }
    save_versioned(
        actor=actor,
        project=current,
        action="project.screening_save",
        changes={"screening": [before, after]},
        caller=project,
    )
    return screening
