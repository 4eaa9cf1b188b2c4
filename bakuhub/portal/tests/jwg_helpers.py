"""Shared by the Joint Working Group page tests (their fixtures are in this folder's conftest.py)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from bakuhub.conftest import client_for

ROLES = ["anonymous", "secretariat", "chad_focal_point", "iom_editor", "gcf_funder"]
INSIDERS = {"secretariat", "chad_focal_point", "gcf_funder"}  # the IOM editor is not in the Chad group here


def _client(request, role: str) -> Client:
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


def _today() -> dt.date:
    return timezone.localdate()
