from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .projects import Project


class Location(models.Model):
    """Where a project works: an admin-1 unit, optionally an admin-2 p-code and a point, with its sensitivity."""

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", _("Public")
        COARSEN = "coarsen", _("Coarsen to admin-1 in public")
        HIDDEN = "hidden", _("Hidden from the public")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="locations")
    admin_unit = models.ForeignKey("core.AdminUnit", on_delete=models.PROTECT, related_name="project_locations")
    admin2_pcode = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    location_class = models.CharField(max_length=1, default="1", help_text="IATI GeographicLocationClass 1-4")
    exactness = models.CharField(max_length=1, default="1", help_text="IATI GeographicExactness 1-3")
    precision = models.CharField(max_length=10, default="admin1", help_text="admin1, admin2 or point")
    sensitivity = models.CharField(max_length=8, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)

    class Meta:
        ordering = ["project", "admin_unit__pcode", "id"]

    def __str__(self) -> str:
        return self.name or str(self.admin_unit)
