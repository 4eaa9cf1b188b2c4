from __future__ import annotations

from django.conf import settings
from django.db import models

from .projects import Project


class ProjectSector(models.Model):
    """A DAC 5-digit sector (IATI vocabulary 1) with its share; a project's shares sum to 100."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(max_length=5)
    percentage = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-percentage", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="one_share_per_sector")]

    def __str__(self) -> str:
        return f"{self.code} {self.percentage}%"


class PolicyMarker(models.Model):
    """An OECD DAC policy marker (IATI PolicyMarker vocabulary 1) with its significance (PolicySignificance)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="policy_markers")
    code = models.CharField(max_length=2)
    significance = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="one_marker_per_code")]

    def __str__(self) -> str:
        return f"marker {self.code}: {self.significance}"


class Screening(models.Model):
    """The do-no-harm / conflict-sensitivity screening: answers to a fixed checklist, reviewed and dated."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="screening")
    answers = models.JSONField(default=dict, help_text="{question_id: {'answer': 'yes'|'no'|'n/a', 'note': str}}")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_on = models.DateField(null=True, blank=True)
    is_complete = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"screening of {self.project}"
