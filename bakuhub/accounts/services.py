"""Writes for accounts: API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bakuhub.core import audit
from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.validation import integer, normalised_text

from . import throttle
from .models import ApiToken, User

TOKEN_PREFIX = "bkh_"  # noqa: S105 — a public prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `actor`; returns the token row and the raw token, which is never stored."""
    name = normalised_text(name, "name")
    if not name:
        raise ValidationFailed("Give the token a name.", errors={"name": ["This field is required."]})
    days = settings.BAKUHUB_API_TOKEN_DAYS if days is None else integer(days, "days")
    if not 1 <= days <= 366:
        raise ValidationFailed("A token lasts 1 to 366 days.", errors={"days": ["Choose 1 to 366 days."]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=raw[:12],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record_create(actor=actor, obj=token, fields=["name", "prefix", "expires_at"])
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not actor.is_secretariat:
        raise PermissionDenied("You can revoke only your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="apitoken.revoke",
            obj=token,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
        )
    return token


def api_token_authenticate(raw: str, *, address: str | None = None) -> User | None:
    """The active user owning a usable token, or None. Records the last use at most once a minute.

    With the client's `address`, a bad token is counted against it, and past the limit `Throttled` is raised
    (429 with Retry-After on the API). A valid token is never counted or slowed.
    """
    user = _token_user(raw)
    if user is None and address is not None:
        throttle.token_failure(address)
    return user


def _token_user(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
