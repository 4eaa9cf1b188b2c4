"""Fixtures of the Joint Working Group API tests: two groups, their members and a meeting."""

from __future__ import annotations

import pytest

from bakuhub.testing.factories import MemorandumFactory
from bakuhub.working_groups.tests.factories import MeetingFactory, MemberFactory, WorkingGroupFactory


@pytest.fixture
def memo(chad, guinea_bissau):
    memo = MemorandumFactory(title="Memorandum of 24 September 2025", party_countries=[chad, guinea_bissau])
    memo.establishes_jwg_for.set([chad, guinea_bissau])
    return memo


@pytest.fixture
def tcd(chad, memo):
    return WorkingGroupFactory(country=chad, name="Chad JWG", memorandum=memo)


@pytest.fixture
def gnb(guinea_bissau):
    return WorkingGroupFactory(country=guinea_bissau, name="Guinea-Bissau JWG", status="forming")


@pytest.fixture
def chair(tcd):
    return MemberFactory(working_group=tcd, person_name="Amina Mahamat", email="amina@example.org", role="co_chair")


@pytest.fixture
def iom_member(tcd, iom):
    return MemberFactory(working_group=tcd, organisation=iom, person_name="", email="jwg@iom.int")


@pytest.fixture
def outsider(gnb):
    return MemberFactory(working_group=gnb, person_name="Braima Camara", email="braima@example.org")


@pytest.fixture
def meeting(tcd):
    """10:00 in N'Djamena (UTC+1) on 12 November 2025."""
    return MeetingFactory(working_group=tcd, title="First meeting")
