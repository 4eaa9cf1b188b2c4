"""Bad API tokens per client address, counted in the shared cache in fixed windows.

A valid token never reaches this module, so a throttled address slows no one who holds a real token.
"""

from __future__ import annotations

import datetime as dt
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from bakuhub.core import audit
from bakuhub.core.errors import Throttled

from .lockout import minute_label

_PREFIX = "bakuhub:token-failures"


def _now() -> float:
    return time.time()


def _window(now: float) -> tuple[int, float]:
    """The current window's number and the moment (epoch seconds) it ends."""
    size = max(settings.BAKUHUB_TOKEN_FAILURE_WINDOW_SECONDS, 1)
    index = int(now // size)
    return index, float((index + 1) * size)


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def token_failure(address: str) -> None:
    """Count one bad token from `address`; past the limit in this window, raise `Throttled` (audited once)."""
    now = _now()
    index, ends = _window(now)
    timeout = math.ceil(ends - now) + 5
    failures = _count(f"{_PREFIX}:{address}:{index}", timeout)
    if failures <= settings.BAKUHUB_TOKEN_FAILURE_LIMIT:
        return
    until = dt.datetime.fromtimestamp(ends, tz=dt.UTC)
    if cache.add(f"{_PREFIX}:audited:{address}:{index}", 1, timeout=timeout):
        audit.record_event(
            action="apitoken.throttle",
            object_type="accounts.client_address",
            object_id=address,
            object_repr=f"API token attempts from {address}",
            changes={"failures": [None, failures], "throttled_until": [None, until.isoformat()]},
        )
    raise Throttled(
        _("Too many invalid API tokens were sent from your address; try again after %(time)s UTC.")
        % {"time": minute_label(until)},
        retry_after=math.ceil(ends - now),
    )
