"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime as dt

import factory

from bakuhub.accounts.models import Role, User
from bakuhub.core.models import AdminUnit, Country
from bakuhub.partners.lifecycle import MILESTONES
from bakuhub.partners.models import Contact, Membership, MembershipEvent, MembershipMilestone, Memorandum, Organisation


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: f"X{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    # A digit first: never one of the real, all-letter ISO codes (Chad's TD, Guinea-Bissau's GW, …).
    iso2 = factory.Sequence(lambda n: f"{n % 10}{chr(65 + n // 10 % 26)}")
    numeric = factory.Sequence(lambda n: f"{900 + n % 99:03d}")
    name_en = factory.LazyAttribute(lambda o: f"Country {o.iso3}")


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    country = factory.SubFactory(CountryFactory)
    pcode = factory.Sequence(lambda n: f"XX{n:03d}")
    name = factory.Sequence(lambda n: f"Province {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.VIEWER
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def countries(self, create: bool, extracted: list[Country] | None, **kwargs: object) -> None:
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def organisations(self, create: bool, extracted: list[Organisation] | None, **kwargs: object) -> None:
        if create and extracted:
            self.organisations.set(extracted)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    org_type = "40"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda o: f"person{o.name[-1]}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    country = factory.SubFactory(CountryFactory)
    stage = "interested"
    stage_since = dt.date(2025, 1, 10)

    last_update_on = factory.SelfAttribute("stage_since")

    @factory.post_generation
    def first_event(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The evidence for the stage it starts at: a milestone, or the event that recorded it at `interested`."""
        if not create:
            return
        evidence = {"source_title": "Letter of interest", "source_url": "https://example.org/letter"}
        if self.stage in MILESTONES:
            MembershipMilestone.objects.create(
                membership=self, milestone=self.stage, reached_on=self.stage_since, **evidence
            )
        else:
            MembershipEvent.objects.create(
                membership=self, to_stage=self.stage, occurred_on=self.stage_since, **evidence
            )


class MemorandumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memorandum
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Memorandum {n}")
    status = Memorandum.Status.APPROVED
    approved_on = dt.date(2025, 9, 1)

    @factory.post_generation
    def party_countries(self, create: bool, extracted: list[Country] | None, **kwargs: object) -> None:
        if create and extracted:
            self.party_countries.set(extracted)
