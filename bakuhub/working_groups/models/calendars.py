from __future__ import annotations

from django.conf import settings
from django.db import models


class PersonalCalendar(models.Model):
    """The version of a person's calendar link; bumping it revokes every link given out before."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"calendar of {self.user} v{self.version}"
