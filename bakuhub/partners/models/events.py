from __future__ import annotations

from django.db import models

from .base import DatePrecision, Sourced
from .organisations import Organisation


class HubEvent(Sourced):
    """A dated Hub milestone (launch, dialogue, side event), shown on timelines with its source."""

    title = models.CharField(max_length=300)
    occurred_on = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    countries = models.ManyToManyField("core.Country", blank=True, related_name="hub_events")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="hub_events")

    class Meta:
        ordering = ["occurred_on", "title"]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.title}"
