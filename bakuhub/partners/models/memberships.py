from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from bakuhub.core.files import RandomName
from bakuhub.partners import lifecycle
from bakuhub.partners.lifecycle import LABELS, MILESTONES, Stage

from .base import DatePrecision, Sourced, Timestamped

STAGE_CHOICES = [(stage.value, LABELS[stage]) for stage in Stage]
MILESTONE_CHOICES = [(stage.value, LABELS[stage]) for stage in MILESTONES]


class Membership(Timestamped):
    """A country's relationship with the Hub. `stage` is what it shows: its explicit state (paused, withdrawn) or
    else the furthest of its milestones; the services keep it in step with the milestones."""

    country = models.OneToOneField("core.Country", on_delete=models.PROTECT, related_name="membership")
    stage = models.CharField(max_length=30, choices=STAGE_CHOICES)
    paused_from = models.CharField(max_length=30, choices=STAGE_CHOICES, blank=True)
    stage_since = models.DateField()
    stage_since_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    last_update_on = models.DateField(
        null=True, blank=True, help_text="The latest dated milestone or state change (what 'no update since' shows)"
    )
    last_update_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    is_public = models.BooleanField(default=True, help_text="Shown to the public; otherwise to the Hub and funders")
    is_demo = models.BooleanField(default=False, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["country__name_en"]

    def __str__(self) -> str:
        return f"{self.country.name_en}: {self.get_stage_display()}"

    @property
    def days_in_stage(self) -> int:
        return (timezone.localdate() - self.stage_since).days

    @property
    def no_update_since(self) -> dt.date | None:
        """The date of the last update when the membership awaits a next step and has had none for
        `BAKUHUB_STALLED_AFTER_DAYS`; None otherwise (implementing, paused, withdrawn, or recently updated)."""
        if not lifecycle.awaits_next_step(Stage(self.stage)):
            return None
        last = self.last_update_on or self.stage_since
        if (timezone.localdate() - last).days <= settings.BAKUHUB_STALLED_AFTER_DAYS:
            return None
        return last

    @property
    def is_stalled(self) -> bool:
        """Kept for API clients: true exactly when `no_update_since` is set."""
        return self.no_update_since is not None


class MembershipMilestone(Sourced):
    """A dated step a country reached, with its evidence; recorded in any order, at most once per membership
    (a correction edits it). `inferred_from` names the fact a milestone is inferred from, when no source states it."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="milestones")
    milestone = models.CharField(max_length=30, choices=MILESTONE_CHOICES)
    reached_on = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    inferred_from = models.CharField(max_length=10, blank=True, help_text="Fact id the milestone is inferred from")
    evidence_document = models.FileField(upload_to=RandomName("evidence"), blank=True)
    evidence_original_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reached_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "milestone"], name="one_milestone_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.country.name_en}: {self.milestone} ({self.reached_on})"

    @property
    def order(self) -> int:
        return MILESTONES.index(Stage(self.milestone))


class MembershipEvent(Sourced):
    """A dated change of state (recorded, paused, resumed, withdrawn, restarted), with its evidence."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=30, choices=STAGE_CHOICES, blank=True)
    to_stage = models.CharField(max_length=30, choices=STAGE_CHOICES)
    occurred_on = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    evidence_document = models.FileField(upload_to=RandomName("evidence"), blank=True)
    evidence_original_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.membership.country.name_en}: {self.from_stage or '—'} → {self.to_stage} ({self.occurred_on})"
