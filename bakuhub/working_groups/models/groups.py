from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakuhub.core.models import Sourced


class WorkingGroup(Sourced):
    """A Joint Working Group between the Hub and one country, usually set up by a memorandum."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="working_groups")
    memorandum = models.ForeignKey(
        "partners.Memorandum", null=True, blank=True, on_delete=models.PROTECT, related_name="working_groups"
    )
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=20, unique=True, help_text="Prefix of decision numbers, e.g. TCD-JWG")
    terms_of_reference = models.TextField(blank=True, help_text="Sanitised HTML")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FORMING)
    started_on = models.DateField(null=True, blank=True)
    started_precision = models.CharField(max_length=5, default="day")
    calendar_version = models.PositiveIntegerField(default=1, help_text="Bumped to revoke the calendar link")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every edit (optimistic concurrency)"
    )

    class Meta:
        ordering = ["country__name_en", "name"]

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(models.Model):
    """A person or an organisation in a JWG. A person may be a platform user (then they see 'my actions')."""

    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")
        OBSERVER = "observer", _("Observer")

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    organisation = models.ForeignKey("partners.Organisation", null=True, blank=True, on_delete=models.PROTECT)
    person_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Where reminders go (else the user's e-mail)")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["working_group", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person_name="")
                | models.Q(organisation__isnull=False)
                | models.Q(user__isnull=False),
                name="member_is_a_person_or_an_organisation",
            )
        ]

    def __str__(self) -> str:
        who = self.person_name or (self.user.get_full_name() if self.user else "") or str(self.organisation or "")
        if self.person_name and self.organisation_id:
            who = f"{self.person_name} ({self.organisation})"
        return who

    @property
    def reminder_email(self) -> str:
        return self.email or (self.user.email if self.user else "")
