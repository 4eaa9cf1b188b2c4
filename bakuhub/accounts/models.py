"""Users with one role each, their country/organisation scopes, and hashed personal API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Hub secretariat")
    FOCAL_POINT = "focal_point", _("Country focal point")
    PARTNER_EDITOR = "partner_editor", _("Partner organisation editor")
    FUNDER = "funder", _("Funder")
    VIEWER = "viewer", _("Registered viewer")


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="focal_points", help_text="Countries a focal point may edit"
    )
    organisations = models.ManyToManyField(
        "partners.Organisation", blank=True, related_name="editors", help_text="Organisations an editor may edit"
    )
    preferred_language = models.CharField(max_length=5, blank=True)

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.SECRETARIAT)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token in lists")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
