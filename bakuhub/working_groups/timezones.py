"""Time zones: the zone a country's meetings default to, and the check of an IANA zone name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bakuhub.core.errors import ValidationFailed

COUNTRY_ZONES = {
    "TCD": "Africa/Ndjamena",
    "GNB": "Africa/Bissau",
    "SOM": "Africa/Mogadishu",
    "UGA": "Africa/Kampala",
    "IRQ": "Asia/Baghdad",
    "GMB": "Africa/Banjul",
    "AZE": "Asia/Baku",
}


def zone_for_country(iso3: str) -> str:
    return COUNTRY_ZONES.get(iso3, "UTC")


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    try:
        if not name or name != name.strip() or ".." in name:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"'{name[:64]}' is not an IANA time zone (e.g. Africa/Ndjamena, Europe/Rome, UTC)."
        raise ValidationFailed(msg, errors={field: [msg]}) from None


def aware(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A naive time is read as local time in `tz`; an aware one is kept. Returned in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(dt.UTC)
