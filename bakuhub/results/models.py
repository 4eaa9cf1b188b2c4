"""Results framework: results, indicators with a baseline, and targets/actuals per period with disaggregation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakuhub.core.files import RandomName


class Result(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "1", _("Output")
        OUTCOME = "2", _("Outcome")
        IMPACT = "3", _("Impact")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    reported_by = models.ForeignKey("partners.Organisation", on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["project", "kind", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Measure(models.TextChoices):
        UNIT = "1", _("Unit")
        PERCENTAGE = "2", _("Percentage")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(max_length=300)
    measure = models.CharField(max_length=1, choices=Measure.choices, default=Measure.UNIT)
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. households, hectares")
    ascending = models.BooleanField(default=True, help_text="Is a higher value better?")
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return self.title


class IndicatorPeriod(models.Model):
    """A reporting period with its target and actual. Actuals go draft → submitted → approved (or rejected)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField()
    period_end = models.DateField()
    target_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    actual_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    actual_status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    actual_comment = models.TextField(blank=True)
    evidence = models.FileField(upload_to=RandomName("results"), blank=True)
    evidence_original_name = models.CharField(max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="The secretariat's reason, required on rejection")

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start", "period_end"], name="one_row_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start} to {self.period_end}"


# Human labels of the fixed disaggregation categories (the stored codes are in services/checks.py's CATEGORIES).
CATEGORY_LABELS = {
    "female": _("Female"),
    "male": _("Male"),
    "0-4": _("0-4 years"),
    "5-17": _("5-17 years"),
    "18-59": _("18-59 years"),
    "60+": _("60 years and over"),
    "refugees": _("Refugees"),
    "idps": _("Internally displaced people"),
    "returnees": _("Returnees"),
    "host_community": _("Host community"),
}


def category_label(code: str) -> str:
    """The translated label of a disaggregation category code (an unknown code is shown as stored)."""
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code


def dimension_label(code: str) -> str:
    """The translated label of a disaggregation dimension code (an unknown code is shown as stored)."""
    return str(Disaggregation.Dimension(code).label) if code in Disaggregation.Dimension.values else code


class Disaggregation(models.Model):
    """A breakdown of a period's target/actual (sex, age group, displacement status)."""

    class Dimension(models.TextChoices):
        SEX = "sex", _("Sex")
        AGE = "age", _("Age group")
        DISPLACEMENT = "displacement", _("Displacement status")

    period = models.ForeignKey(IndicatorPeriod, on_delete=models.CASCADE, related_name="disaggregations")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    category = models.CharField(max_length=40, help_text="e.g. female, 18-59, idps, refugees, returnees, host")
    target_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    actual_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["period", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(fields=["period", "dimension", "category"], name="one_value_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}"

    @property
    def category_label(self) -> str:
        return category_label(self.category)
