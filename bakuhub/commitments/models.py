"""Commitments: who committed what, when, with evidence, and how far it got (announced → delivered)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakuhub.core.models import Sourced


class Commitment(Sourced):
    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        IN_KIND = "in_kind", _("In kind")
        POLICY = "policy", _("Policy")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        FORMALISED = "formalised", _("Formalised")
        FUNDED = "funded", _("Funded")
        DELIVERED = "delivered", _("Delivered")

    committer_country = models.ForeignKey(
        "core.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments_made"
    )
    committer_organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    beneficiary_country = models.ForeignKey(
        "core.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments_received"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, with an amount")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ANNOUNCED)
    announced_on = models.DateField()
    date_precision = models.CharField(max_length=5, default="day")
    memorandum = models.ForeignKey(
        "partners.Memorandum", null=True, blank=True, on_delete=models.SET_NULL, help_text="What formalised it"
    )
    agreement_reference = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["-announced_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committer_country__isnull=False) | models.Q(committer_organisation__isnull=False),
                name="commitment_has_a_committer",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | ~models.Q(currency=""), name="an_amount_has_a_currency"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def committer(self) -> object:
        return self.committer_organisation or self.committer_country


class CommitmentEvent(Sourced):
    """A dated step of a commitment's history, with its evidence."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Commitment.Status.choices)
    occurred_on = models.DateField()
    date_precision = models.CharField(max_length=5, default="day")
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.from_status or '—'} → {self.to_status}"
