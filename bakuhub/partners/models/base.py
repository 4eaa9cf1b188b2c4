from __future__ import annotations

from django.db import models

from bakuhub.core.models import DatePrecision, Sourced

__all__ = ["DatePrecision", "Sourced", "Timestamped"]


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
