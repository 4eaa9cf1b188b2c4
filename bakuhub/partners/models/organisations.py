from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bakuhub.core.codelists import organisation_type_choices, validate_organisation_identifier
from bakuhub.core.files import RandomName

from .base import Sourced, Timestamped


class Organisation(Sourced, Timestamped):
    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    org_type = models.CharField(_("IATI organisation type"), max_length=3, choices=organisation_type_choices)
    iati_identifier = models.CharField(
        max_length=100, unique=True, null=True, blank=True, validators=[validate_organisation_identifier]
    )
    country = models.ForeignKey("core.Country", null=True, blank=True, on_delete=models.PROTECT)
    website = models.URLField(max_length=300, blank=True)
    logo = models.ImageField(upload_to=RandomName("logos"), blank=True)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Contact(Timestamped):
    """A person at an organisation. Private unless `is_public` is set."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_public = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Initiative(Sourced, Timestamped):
    """A named political initiative, e.g. the Baku Call on Climate Action for Peace, Relief and Recovery."""

    name = models.CharField(max_length=300, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    launched_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InitiativeParticipant(Sourced):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_LEAD = "co_lead", _("Co-lead")
        SUPPORTER = "supporter", _("Supporter")
        PARTNER = "partner", _("Partner")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participants")
    country = models.ForeignKey("core.Country", null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__isnull=False) | models.Q(organisation__isnull=False),
                name="participant_is_country_or_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country or self.organisation} — {self.get_role_display()}"
