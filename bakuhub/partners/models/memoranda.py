from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakuhub.core.files import RandomName

from .base import Sourced, Timestamped
from .organisations import Organisation


class Memorandum(Sourced, Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SIGNED = "signed", _("Signed")
        EXPIRED = "expired", _("Expired")

    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    hub_is_party = models.BooleanField(default=True)
    party_countries = models.ManyToManyField("core.Country", blank=True, related_name="memoranda")
    party_organisations = models.ManyToManyField(Organisation, blank=True, related_name="memoranda")
    establishes_jwg_for = models.ManyToManyField(
        "core.Country", blank=True, related_name="jwg_memoranda", help_text="Countries it sets up a JWG with"
    )
    approved_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    date_note = models.CharField(max_length=200, blank=True, help_text="e.g. 'month only known'")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["-approved_on", "title"]
        verbose_name_plural = "memoranda"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT


class MemorandumSignatory(models.Model):
    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.CharField(max_length=200)
    signed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} for {self.on_behalf_of}"


class MemorandumVersion(models.Model):
    """An uploaded text of a memorandum. Versions are numbered 1, 2, … and never replaced."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=RandomName("memoranda"))
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["memorandum", "number"]
        constraints = [models.UniqueConstraint(fields=["memorandum", "number"], name="one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.memorandum} v{self.number}"
