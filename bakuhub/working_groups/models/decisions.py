from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .groups import WorkingGroup, WorkingGroupMember
from .meetings import AgendaItem, Meeting


class Decision(models.Model):
    """A JWG decision, numbered per group and year: `TCD-JWG/2025/03`."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")
        IMPLEMENTED = "implemented", _("Implemented")

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="decisions")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    reference = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL)
    decided_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ADOPTED)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    commitments = models.ManyToManyField("commitments.Commitment", blank=True, related_name="decisions")
    is_demo = models.BooleanField(default=False, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["working_group", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "year", "number"], name="one_decision_number_per_year")
        ]

    def __str__(self) -> str:
        return self.reference


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(WorkingGroupMember, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    completed_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()


class ReminderLog(models.Model):
    """One reminder e-mail sent; the unique key makes sending idempotent (never twice for the same due date)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    due_on = models.DateField(help_text="The due date the reminder was about")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "kind", "due_on"], name="one_reminder_per_due_date")]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.due_on}"
