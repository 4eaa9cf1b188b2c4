from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from bakuhub.core.files import RandomName
from bakuhub.partners.lifecycle import LABELS, Stage

from .base import DatePrecision, Sourced, Timestamped

STAGE_CHOICES = [(stage.value, LABELS[stage]) for stage in Stage]


class Membership(Timestamped):
    """A country's relationship with the Hub: where it is on the path from interest to implementation."""

    country = models.OneToOneField("core.Country", on_delete=models.PROTECT, related_name="membership")
    stage = models.CharField(max_length=30, choices=STAGE_CHOICES)
    paused_from = models.CharField(max_length=30, choices=STAGE_CHOICES, blank=True)
    stage_since = models.DateField()
    stage_since_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
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
    def is_stalled(self) -> bool:
        if self.stage in (Stage.WITHDRAWN, Stage.IMPLEMENTING):
            return False
        return self.days_in_stage > settings.BAKUHUB_STALLED_AFTER_DAYS


class MembershipEvent(Sourced):
    """One dated step of a membership, with its evidence. The first event records where the Hub found it."""

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
