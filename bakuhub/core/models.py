"""Shared kernel: countries, admin units and the append-only audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
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


class Country(models.Model):
    class Fragility(models.TextChoices):
        NONE = "", _("Not listed")
        CONFLICT = "conflict", _("Conflict")
        FRAGILITY = "fragility", _("Institutional and social fragility")

    iso3 = models.CharField(max_length=3, unique=True)
    iso2 = models.CharField(max_length=2, unique=True)
    numeric = models.CharField(max_length=3)
    name_en = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    name_pt = models.CharField(max_length=200, blank=True)
    name_ar = models.CharField(max_length=200, blank=True)
    official_name = models.CharField(max_length=300, blank=True)
    region_m49 = models.CharField(max_length=3, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    subregion_m49 = models.CharField(max_length=3, blank=True)
    subregion_name = models.CharField(max_length=100, blank=True)
    is_ldc = models.BooleanField(default=False)
    is_lldc = models.BooleanField(default=False)
    is_sids = models.BooleanField(default=False)
    fragility = models.CharField(max_length=20, choices=Fragility.choices, blank=True, default="")

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        localised: str = getattr(self, f"name_{lang}", "") or ""
        return localised or self.name_en


class AdminUnit(models.Model):
    """A first-level administrative unit, keyed by OCHA p-code, with its ISO 3166-2 code."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="admin_units")
    level = models.PositiveSmallIntegerField(default=1)
    pcode = models.CharField(max_length=20, unique=True)
    iso_3166_2 = models.CharField(max_length=10, blank=True)
    name = models.CharField(max_length=200)
    geometry = models.JSONField(null=True, blank=True, help_text="Simplified GeoJSON geometry (EPSG:4326)")
    geometry_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country__iso3", "pcode"]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditRecord(models.Model):
    """Who did what to which object, with field-level before/after values. Never edited or deleted."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=200, help_text="The actor's username at the time, kept if deleted")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        kwargs["force_insert"] = True  # never an UPDATE, even for a new object given an existing pk
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")
