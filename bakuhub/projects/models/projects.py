from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bakuhub.core.files import RandomName
from bakuhub.core.models import Sourced


class Project(Sourced):
    """A Hub project, from concept to closure, in IATI terms (identifier, phases = activity status, roles)."""

    class Phase(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        APPRAISAL = "appraisal", _("Appraisal")
        APPROVED = "approved", _("Approved")
        IMPLEMENTING = "implementing", _("Implementing")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Score(models.IntegerChoices):
        NONE = 0, _("Not targeted")
        SIGNIFICANT = 1, _("Significant")
        PRINCIPAL = 2, _("Principal")

    identifier = models.CharField(max_length=150, unique=True, help_text="IATI activity identifier {org-id}-{local}")
    titles = models.JSONField(default=dict, help_text='{"en": "...", "fr": "..."}')
    descriptions = models.JSONField(default=dict, blank=True)
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="projects")
    lead_organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="led_projects"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.CONCEPT)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    working_group = models.ForeignKey(
        "working_groups.WorkingGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    decisions = models.ManyToManyField("working_groups.Decision", blank=True, related_name="projects")
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="projects")
    humanitarian = models.BooleanField(null=True, blank=True, help_text="IATI @humanitarian; unknown if empty")
    humanitarian_scope_type = models.CharField(max_length=2, blank=True, help_text="HumanitarianScopeType")
    humanitarian_scope_vocabulary = models.CharField(max_length=5, blank=True)
    humanitarian_scope_code = models.CharField(max_length=100, blank=True)
    climate_score = models.PositiveSmallIntegerField(choices=Score.choices, default=Score.NONE)
    peace_score = models.PositiveSmallIntegerField(choices=Score.choices, default=Score.NONE)
    migration_score = models.PositiveSmallIntegerField(choices=Score.choices, default=Score.NONE)
    climate_justification = models.TextField(blank=True)
    peace_justification = models.TextField(blank=True)
    migration_justification = models.TextField(blank=True)
    nexus_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nexus_assessed_on = models.DateField(null=True, blank=True)
    nexus_method = models.CharField(max_length=10, blank=True, help_text="manual or suggested")
    is_public = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every edit (optimistic concurrency)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name_en", "identifier"]
        indexes = [models.Index(fields=["country", "phase"]), models.Index(fields=["phase"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        lang = (get_language() or "en")[:2]
        value = self.titles.get(lang) or self.titles.get("en") or next(iter(self.titles.values()), "")
        return str(value)

    @property
    def description(self) -> str:
        lang = (get_language() or "en")[:2]
        return str(self.descriptions.get(lang) or self.descriptions.get("en") or "")

    @property
    def is_triple_nexus(self) -> bool:
        return min(self.climate_score, self.peace_score, self.migration_score) >= 1


class ProjectParticipant(models.Model):
    """An organisation in a project with its IATI role (OrganisationRole codelist)."""

    class Role(models.TextChoices):
        FUNDING = "1", _("Funding")
        ACCOUNTABLE = "2", _("Accountable")
        EXTENDING = "3", _("Extending")
        IMPLEMENTING = "4", _("Implementing")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=1, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="one_role_per_org_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectDocument(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=RandomName("projects"))
    original_name = models.CharField(max_length=255, blank=True)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    category = models.CharField(max_length=4, blank=True, help_text="IATI DocumentCategory, e.g. A02")
    is_public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title
