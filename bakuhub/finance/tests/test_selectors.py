from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bakuhub.accounts.models import Role
from bakuhub.core.errors import ValidationFailed
from bakuhub.finance.selectors import DIMENSIONS, finance_totals, project_finance, visible_projects
from bakuhub.finance.services import budget_create, transaction_create
from bakuhub.projects.tests.factories import ProjectFactory, ProjectParticipantFactory
from bakuhub.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def usd(project, kind, amount, day=dt.date(2025, 3, 1), **kwargs):
    return transaction_create(
        actor=None, project=project, kind=kind, transaction_date=day, amount=D(amount), currency="USD", **kwargs
    )


def budget(project, start, amount, kind="1"):
    return budget_create(
        actor=None, project=project, period_start=start, period_end=start.replace(month=12, day=31),
        amount=D(amount), currency="USD", kind=kind,
    )  # fmt: skip


@pytest.fixture
def portfolio(project, rates, gcf, iom, guinea_bissau):
    """Chad (public, triple nexus, led by IOM) and a private climate-only project in Guinea-Bissau led by GCF."""
    budget(project, dt.date(2024, 1, 1), "3000")
    budget(project, dt.date(2025, 1, 1), "12000")
    budget(project, dt.date(2025, 1, 1), "8000", kind="2")  # the revision replaces the 2025 original
    usd(project, "11", "10000", provider_organisation=gcf, provider_name="GCF")
    usd(project, "1", "6000", provider_organisation=gcf)
    usd(project, "1", "500", day=dt.date(2024, 6, 1), provider_name="A private foundation")
    usd(project, "2", "5000", receiver_organisation=iom)
    usd(project, "2", "-1000", day=dt.date(2025, 4, 1), description="De-commitment")
    usd(project, "3", "3000")
    usd(project, "4", "2000")
    other = ProjectFactory(country=guinea_bissau, lead_organisation=gcf, is_public=False, climate_score=1,
                           planned_start=dt.date(2024, 1, 1), planned_end=dt.date(2026, 12, 31))  # fmt: skip
    budget(other, dt.date(2025, 1, 1), "4000")
    usd(other, "11", "1000", provider_organisation=gcf)
    return project, other


def test_project_finance_sums_by_kind_keeps_de_commitments_and_shows_over_commitment(portfolio):
    finance = project_finance(project=portfolio[0])
    assert (finance.budget_usd, finance.budget_eur) == (D("11000.00"), D("8800.00"))
    assert (finance.committed_usd, finance.committed_eur) == (D("14000.00"), D("11200.00"))
    assert (finance.disbursed_usd, finance.spent_usd, finance.incoming_usd) == (D("3000"), D("2000"), D("6500"))
    assert finance.funding_gap_usd == D("-3000.00") and finance.over_committed
    assert finance.gap_label == "Over-committed"


def test_an_empty_project_has_zeros_and_no_gap(project):
    finance = project_finance(project=project)
    assert finance.budget_usd == finance.committed_eur == finance.funding_gap_usd == D("0")
    assert not finance.over_committed and finance.gap_label == "Funding gap"


def test_totals_by_country_follow_what_the_user_may_view(portfolio, anonymous, secretariat, gcf_funder):
    public = finance_totals(user=anonymous, by="country")
    assert [(t.key, t.label, t.budget_usd, t.committed_usd) for t in public] == [
        ("TCD", "Chad", D("11000.00"), D("14000.00"))
    ]
    assert public[0].over_committed and public[0].funding_gap_usd == D("-3000.00")
    for user in (secretariat, gcf_funder):
        rows = finance_totals(user=user, by="country")
        assert [(t.key, t.budget_usd, t.committed_usd) for t in rows] == [
            ("TCD", D("11000.00"), D("14000.00")),
            ("GNB", D("4000.00"), D("1000.00")),
        ]


def test_focal_points_and_editors_also_see_their_own_private_projects(portfolio, guinea_bissau, iom):
    other = portfolio[1]
    focal = UserFactory(role=Role.FOCAL_POINT, countries=[guinea_bissau])
    assert other in visible_projects(focal)
    editor = UserFactory(role=Role.PARTNER_EDITOR, organisations=[iom])
    assert other not in visible_projects(editor)
    ProjectParticipantFactory(project=other, organisation=iom)
    assert other in visible_projects(editor)
    assert {t.key for t in finance_totals(user=editor, by="country")} == {"TCD", "GNB"}


def test_totals_by_organisation_funder_nexus_and_year(portfolio, secretariat):
    by_org = {t.label: t for t in finance_totals(user=secretariat, by="organisation")}
    assert set(by_org) == {"International Organization for Migration", "Green Climate Fund"}
    assert by_org["Green Climate Fund"].budget_usd == D("4000.00")

    funders = finance_totals(user=secretariat, by="funder")
    assert [(t.label, t.committed_usd, t.incoming_usd, t.budget_usd) for t in funders] == [
        ("A private foundation", D("0"), D("500.00"), None),
        ("Green Climate Fund", D("11000.00"), D("6000.00"), None),
    ]
    assert funders[0].key == "name:A private foundation" and funders[1].funding_gap_usd is None

    nexus = {t.key: t for t in finance_totals(user=secretariat, by="nexus")}
    assert list(nexus) == ["triple", "climate", "peace", "migration"]
    assert nexus["triple"].committed_usd == D("14000.00")
    assert nexus["climate"].committed_usd == D("15000.00") and nexus["climate"].budget_usd == D("15000.00")
    assert nexus["peace"].budget_usd == D("11000.00")

    years = finance_totals(user=secretariat, by="year")
    assert [(t.key, t.budget_usd, t.incoming_usd) for t in years] == [
        ("2024", D("3000.00"), D("500.00")),
        ("2025", D("12000.00"), D("6000.00")),
    ]


def test_a_year_keeps_that_years_transactions_and_budgets(portfolio, anonymous):
    rows = finance_totals(user=anonymous, by="country", year=2024)
    assert [(t.budget_usd, t.incoming_usd, t.committed_usd) for t in rows] == [(D("3000.00"), D("500.00"), D("0"))]
    assert finance_totals(user=anonymous, by="country", year=2030) == []


def test_bad_groupings_and_years_are_refused(anonymous):
    with pytest.raises(ValidationFailed, match="use one of: country, organisation, funder, nexus, year"):
        finance_totals(user=anonymous, by="sector")
    with pytest.raises(ValidationFailed, match="is not a year"):
        finance_totals(user=anonymous, by="year", year="2025")  # type: ignore[arg-type]


def _queries(user, by):
    with CaptureQueriesContext(connection) as captured:
        finance_totals(user=user, by=by)
    return len(captured)


def test_totals_take_a_constant_number_of_queries(rates, chad, gcf, secretariat):
    def add_projects(n):
        for _ in range(n):
            p = ProjectFactory(country=chad, planned_start=None, planned_end=None, climate_score=1)
            budget(p, dt.date(2025, 1, 1), "100")
            usd(p, "11", "50", provider_organisation=gcf)
            usd(p, "1", "20", provider_name=f"Funder {p.pk}")

    add_projects(1)
    before = {by: _queries(secretariat, by) for by in DIMENSIONS}
    add_projects(9)
    assert {by: _queries(secretariat, by) for by in DIMENSIONS} == before
    assert max(before.values()) <= 3
    finance = project_finance(project=ProjectFactory(country=chad))
    assert finance.budget_usd == 0


def test_totals_for_one_country(portfolio, secretariat, guinea_bissau, anonymous):
    rows = finance_totals(user=secretariat, by="year", country=guinea_bissau)
    assert [(t.key, t.budget_usd, t.committed_usd) for t in rows] == [("2025", D("4000.00"), D("1000.00"))]
    assert finance_totals(user=anonymous, by="year", country=guinea_bissau) == []  # its project is private
