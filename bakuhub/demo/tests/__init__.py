"""Tests of the orchestrating `load_demo` command; `make_demo_countries` is shared with the apps' demo tests."""

from __future__ import annotations

import pycountry

from bakuhub.commitments.demo import demo_countries as commitment_countries
from bakuhub.core.models import Country
from bakuhub.partners.demo_facts import demo_countries as partner_countries
from bakuhub.working_groups.demo import demo_countries as group_countries


def make_demo_countries() -> dict[str, Country]:
    """The countries every part of the demo links to, as `bakuhub load_reference` would load them."""
    countries = {}
    for iso3 in sorted(partner_countries() | commitment_countries() | group_countries()):
        found = pycountry.countries.get(alpha_3=iso3)
        assert found is not None, iso3
        defaults = {"iso2": found.alpha_2, "numeric": found.numeric, "name_en": found.name}
        countries[iso3] = Country.objects.get_or_create(iso3=iso3, defaults=defaults)[0]
    return countries
