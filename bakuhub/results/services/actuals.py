"""Actuals: a partner submits a period's actual (with disaggregation and evidence); the secretariat reviews it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bakuhub.accounts.models import User
from bakuhub.core import audit
from bakuhub.core.errors import Conflict, PermissionDenied
from bakuhub.core.files import Upload, check_document, original_name, store_checked
from bakuhub.core.validation import optional_text
from bakuhub.projects.permissions import can
from bakuhub.results.models import Disaggregation, Indicator, IndicatorPeriod

from . import checks
from .checks import DisaggregationInput, Number, fail
from .framework import check_report, check_result_owner

Status = IndicatorPeriod.Status
SUBMIT_FIELDS = ["actual_value", "actual_status", "actual_comment", "evidence", "submitted_by", "submitted_at"]
REVIEW_FIELDS = ["actual_status", "reviewed_by", "reviewed_at", "review_comment"]


def _cells(period: IndicatorPeriod) -> list[list[str]]:
    """The period's reported actual cells as [dimension, category, value] (for the audit record)."""
    rows = period.disaggregations.exclude(actual_value=None).order_by("dimension", "category")
    return [[d.dimension, d.category, str(d.actual_value)] for d in rows]


def _write_cells(period: IndicatorPeriod, cells: dict[tuple[str, str], Any]) -> None:
    """Replace the period's actual cells: given cells are set, others cleared (rows without a target go)."""
    for row in period.disaggregations.all():
        if (row.dimension, row.category) in cells:
            continue
        if row.target_value is None:
            row.delete()
        elif row.actual_value is not None:
            row.actual_value = None
            row.save(update_fields=["actual_value"])
    for (dimension, category), value in cells.items():
        Disaggregation.objects.update_or_create(
            period=period, dimension=dimension, category=category, defaults={"actual_value": value}
        )


@transaction.atomic
def actual_submit(
    *,
    actor: User | None,
    period: IndicatorPeriod,
    actual_value: Number,
    comment: str = "",
    disaggregations: Sequence[DisaggregationInput] = (),
    evidence: Upload | None = None,
) -> IndicatorPeriod:
    """Submit (or, after a rejection, resubmit) a period's actual for review. Only once the period has started,
    only inside the project's dates; a new evidence file replaces the old one, none keeps it. Nothing is written
    (and no file stored) on refusal."""
    indicator: Indicator = period.indicator
    project = indicator.result.project
    check_report(actor, project)
    check_result_owner(actor, indicator.result)
    locked = IndicatorPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.actual_status not in (Status.DRAFT, Status.REJECTED):
        msg = f"This period's actual is {locked.get_actual_status_display().lower()}; it cannot be submitted again."
        raise Conflict(msg, errors={"actual_status": [msg]})
    today = timezone.localdate()
    if locked.period_start > today:
        msg = f"The period starts on {locked.period_start.isoformat()}; report its actual once it has started."
        raise fail("actual_value", msg)
    checks.within_project(project, locked.period_start, locked.period_end, field="period")
    percentage = indicator.measure == Indicator.Measure.PERCENTAGE
    value = checks.number(actual_value, "actual_value", percentage=percentage, required=True)
    assert value is not None
    cells = checks.disaggregations(disaggregations, indicator=indicator, total=value)
    note = optional_text(comment, "comment", max_length=5000)
    checked = None
    if evidence is not None:
        checked = check_document(evidence, max_bytes=settings.BAKUHUB_DOCUMENT_MAX_BYTES, field="evidence")

    before = {**audit.snapshot(locked, SUBMIT_FIELDS), "disaggregations": _cells(locked)}
    locked.actual_value = value
    locked.actual_comment = note
    locked.actual_status = Status.SUBMITTED
    locked.submitted_by = actor if actor is not None and actor.pk else None
    locked.submitted_at = timezone.now()
    locked.reviewed_by = None
    locked.reviewed_at = None
    locked.review_comment = ""
    if evidence is not None and checked is not None:
        store_checked(locked.evidence, evidence, checked)
        locked.evidence_original_name = original_name(evidence)
    try:
        locked.save()
        _write_cells(locked, cells)
        after = {**audit.snapshot(locked, SUBMIT_FIELDS), "disaggregations": _cells(locked)}
        audit.record(actor=actor, action="indicatorperiod.submit", obj=locked, changes=audit.diff(before, after))
    except Exception:
        if evidence is not None:
            locked.evidence.delete(save=False)  # the database rolls back; the stored file must go too
        raise
    period.refresh_from_db()
    return period


@transaction.atomic
def actual_review(*, actor: User | None, period: IndicatorPeriod, approve: bool, comment: str = "") -> IndicatorPeriod:
    """Approve or reject a submitted actual (secretariat only; a rejection needs its reason, which the partner
    sees). Nobody reviews their own submission."""
    project = period.indicator.result.project
    if actor is not None and not can(actor, "approve_results", project):
        raise PermissionDenied(f"Only the Hub secretariat may approve or reject the results of {project.identifier}.")
    locked = IndicatorPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.actual_status != Status.SUBMITTED:
        state = locked.get_actual_status_display().lower()
        msg = f"Only a submitted actual can be reviewed; this one is {state}."
        raise Conflict(msg, errors={"actual_status": [msg]})
    if actor is not None and actor.pk and locked.submitted_by_id == actor.pk:
        raise PermissionDenied("You submitted this actual; another member of the secretariat must review it.")
    note = optional_text(comment, "comment", max_length=5000)
    if not approve and not note:
        raise fail("comment", "Give the reason for the rejection; the partner sees it.")
    before = audit.snapshot(locked, REVIEW_FIELDS)
    locked.actual_status = Status.APPROVED if approve else Status.REJECTED
    locked.reviewed_by = actor if actor is not None and actor.pk else None
    locked.reviewed_at = timezone.now()
    locked.review_comment = note
    locked.save(update_fields=REVIEW_FIELDS)
    action = "indicatorperiod.approve" if approve else "indicatorperiod.reject"
    changes = audit.diff(before, audit.snapshot(locked, REVIEW_FIELDS))
    audit.record(actor=actor, action=action, obj=locked, changes=changes)
    period.refresh_from_db()
    return period
