"""Named fixture users and the countries they work with, shared by every test module."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from bakuhub.accounts.models import Role, User
from bakuhub.core.models import Country
from bakuhub.partners.models import Membership, Organisation
from bakuhub.testing.factories import CountryFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """A request in another language leaves that language active in the thread: every test starts in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chad(db) -> Country:  # type: ignore[no-untyped-def]
    return CountryFactory(iso3="TCD", iso2="TD", numeric="148", name_en="Chad", name_fr="Tchad")


@pytest.fixture
def guinea_bissau(db) -> Country:  # type: ignore[no-untyped-def]
    return CountryFactory(iso3="GNB", iso2="GW", numeric="624", name_en="Guinea-Bissau", name_fr="Guinée-Bissau")


@pytest.fixture
def chad_membership(chad: Country) -> Membership:
    return MembershipFactory(country=chad, stage="memorandum_approved")


@pytest.fixture
def guinea_bissau_membership(guinea_bissau: Country) -> Membership:
    return MembershipFactory(country=guinea_bissau, stage="memorandum_approved")


@pytest.fixture
def iom(db) -> Organisation:  # type: ignore[no-untyped-def]
    return OrganisationFactory(
        name="International Organization for Migration", acronym="IOM", slug="iom", iati_identifier="XM-DAC-47066"
    )


@pytest.fixture
def gcf(db) -> Organisation:  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Green Climate Fund", acronym="GCF", slug="gcf")


@pytest.fixture
def secretariat(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="secretariat", role=Role.SECRETARIAT)


@pytest.fixture
def chad_focal_point(chad: Country) -> User:
    return UserFactory(username="chad_focal_point", role=Role.FOCAL_POINT, countries=[chad])


@pytest.fixture
def iom_editor(iom: Organisation) -> User:
    return UserFactory(username="iom_editor", role=Role.PARTNER_EDITOR, organisations=[iom])


@pytest.fixture
def gcf_funder(gcf: Organisation) -> User:
    return UserFactory(username="gcf_funder", role=Role.FUNDER, organisations=[gcf])


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
