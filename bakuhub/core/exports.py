"""Helpers for files people open in spreadsheets."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """Text that a spreadsheet will not run as a formula: a leading = + - @ TAB or CR gets a quote mark."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
