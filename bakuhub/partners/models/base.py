from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Sourced(models.Model):
    """Where a fact comes from. Demo rows carry the fact id of `hub-facts.csv`."""

    source_title = models.CharField(max_length=300, blank=True)
    source_publisher = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_quote = models.TextField(blank=True)
    fact_id = models.CharField(max_length=10, blank=True)
    is_demo = models.BooleanField(default=False, db_index=True)

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
