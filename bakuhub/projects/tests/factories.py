"""factory_boy factories for projects (direct model writes: fast, no audit, no permission checks).

Pass the conftest's countries and organisations, e.g. ``ProjectFactory(country=chad, lead_organisation=iom)``.
A project with a lead organisation gets it as an accountable participant (role 2), as `project_create` does.
``ProjectFactory(approvable=True)`` gives a project in appraisal that `project_phase_advance` may approve: a complete
screening, one sector at 100 % and a nexus profile. Others import these factories: keep changes additive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from bakuhub.projects.models import (
    Location,
    PolicyMarker,
    Project,
    ProjectDocument,
    ProjectParticipant,
    ProjectSector,
    Screening,
)
from bakuhub.projects.screening_questions import QUESTION_IDS
from bakuhub.testing.factories import AdminUnitFactory, CountryFactory, OrganisationFactory
from bakuhub.testing.files import pdf_bytes

__all__ = [
    "LocationFactory",
    "PolicyMarkerFactory",
    "ProjectDocumentFactory",
    "ProjectFactory",
    "ProjectParticipantFactory",
    "ProjectSectorFactory",
    "ScreeningFactory",
    "complete_answers",
]


def complete_answers(answer: str = "no", note: str = "") -> dict[str, dict[str, str]]:
    """Answers to every screening question (by default "no", the low-risk answer for all but the grievance one)."""
    answers = {qid: {"answer": answer, "note": note} for qid in QUESTION_IDS}
    if answer == "no":
        answers["grievance_mechanism"] = {"answer": "yes", "note": ""}
    return answers


def _sectors(project: Project, shares: list[tuple[str, Any]]) -> None:
    for code, share in shares:
        ProjectSector.objects.create(project=project, code=code, percentage=Decimal(str(share)))


def _screening(project: Project) -> None:
    Screening.objects.create(
        project=project, answers=complete_answers(), reviewed_on=dt.date(2025, 10, 1), is_complete=True
    )


def _add_sectors(project: Project, create: bool, extracted: list[tuple[str, Any]] | None) -> None:
    if create:
        _sectors(project, [("15220", Decimal("100"))] if extracted is None else extracted)


def _screen(project: Project, create: bool, extracted: object) -> None:
    if create and extracted is not False:
        _screening(project)


def _identifier(o: Any, n: int) -> str:
    lead = o.lead_organisation
    prefix = lead.iati_identifier if lead is not None and lead.iati_identifier else "XI-IATI-HUB"
    return f"{prefix}-P{n:05d}"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    class Params:
        approvable = factory.Trait(
            phase=Project.Phase.APPRAISAL,
            climate_score=2,
            climate_justification="Adaptation is the reason the project exists.",
            peace_score=1,
            migration_score=1,
            nexus_method="manual",
            nexus_assessed_on=dt.date(2025, 10, 1),
            sectors=factory.PostGeneration(lambda obj, create, extracted, **kw: _add_sectors(obj, create, extracted)),
            screened=factory.PostGeneration(lambda obj, create, extracted, **kw: _screen(obj, create, extracted)),
        )

    country = factory.SubFactory(CountryFactory)
    lead_organisation = None
    identifier = factory.LazyAttributeSequence(_identifier)
    titles = factory.Sequence(lambda n: {"en": f"Project {n}", "fr": f"Projet {n}"})
    descriptions = factory.LazyAttribute(lambda o: {"en": f"What {o.titles.get('en', 'the project')} does."})
    phase = Project.Phase.CONCEPT
    planned_start = dt.date(2026, 1, 1)
    planned_end = dt.date(2028, 12, 31)
    is_public = True

    @factory.post_generation
    def accountable(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The lead organisation as accountable participant; pass ``accountable=False`` to skip."""
        if create and extracted is not False and self.lead_organisation_id:
            ProjectParticipant.objects.get_or_create(
                project=self, organisation_id=self.lead_organisation_id, role=ProjectParticipant.Role.ACCOUNTABLE
            )

    @factory.post_generation
    def sectors(self, create: bool, extracted: list[tuple[str, Any]] | None, **kwargs: object) -> None:
        """``sectors=[("15220", 60), ("41010", 40)]``; the ``approvable`` trait sets 15220 at 100 %."""
        if create:
            _sectors(self, extracted or [])

    @factory.post_generation
    def screened(self, create: bool, extracted: object, **kwargs: object) -> None:
        """``screened=True`` adds a complete screening (the ``approvable`` trait does it by default)."""
        if create and extracted:
            _screening(self)


class ProjectParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ProjectParticipant.Role.IMPLEMENTING


class ProjectSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectSector

    project = factory.SubFactory(ProjectFactory)
    code = "15220"
    percentage = Decimal("100")


class PolicyMarkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyMarker

    project = factory.SubFactory(ProjectFactory)
    code = "7"
    significance = 2


class ScreeningFactory(factory.django.DjangoModelFactory):
    """A complete screening; pass ``is_complete=False, answers={}`` for a draft."""

    class Meta:
        model = Screening

    project = factory.SubFactory(ProjectFactory)
    answers = factory.LazyFunction(complete_answers)
    reviewed_on = dt.date(2025, 10, 1)
    is_complete = True


class LocationFactory(factory.django.DjangoModelFactory):
    """An admin-1 location in the project's country (a new admin unit unless ``admin_unit=`` is given)."""

    class Meta:
        model = Location

    project = factory.SubFactory(ProjectFactory)
    admin_unit = factory.SubFactory(AdminUnitFactory, country=factory.SelfAttribute("..project.country"))
    precision = "admin1"
    sensitivity = Location.Sensitivity.PUBLIC


class ProjectDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDocument

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="concept-note.pdf", data=pdf_bytes())
    mime_type = "application/pdf"
    size_bytes = 15
    sha256 = "0" * 64
    category = "A02"
    is_public = False
