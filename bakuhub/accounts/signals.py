"""Audit receivers for sign-in events."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import lockout


@receiver(user_locked_out, dispatch_uid="bakuhub.accounts.lockout_audit")
def _locked_out(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    lockout.record_lockout(request, username, ip_address)


@receiver(user_logged_in, dispatch_uid="bakuhub.accounts.sign_in_audit")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    lockout.record_sign_in_after_failures(request, user)
