"""Who may do what on the project portfolio endpoints: one explicit table, one test per (endpoint, role) cell.

The world every cell runs in (projects planned from 2024 to 2028):

* `{tcd_iom}`: a public Chad project led by iom (so iom_editor edits it; chad_focal_point too, as focal point).
* `{tcd_undp}`: a public Chad project led by UNDP with iom implementing, in appraisal and ready for approval: iom_editor
  is an insider and reports results there, but does not edit it (cross-organisation); only the secretariat and the
  country's focal points approve.
* `{gnb_undp}`: a public Guinea-Bissau project led by UNDP: chad_focal_point and iom_editor are outsiders
  (cross-country, cross-organisation).
* `{gnb_private}`: a Guinea-Bissau project led by UNDP that is NOT public: only the secretariat and funders see it.
* Locations `{loc_tcd}` (on tcd_iom, Lac TD07) and `{loc_private}` (on gnb_private, Bafatá GW01); budgets and
  transactions `{b_tcd}`, `{t_tcd}` (tcd_iom) and `{b_private}`, `{t_private}` (gnb_private).
* Results: on tcd_undp `{r_tcd}` → `{i_tcd}` → `{p_tcd}` (a draft period of 2024) and `{p_tcd_sub}` (a submitted
  actual); the same on gnb_undp (`{r_gnb}`, `{i_gnb}`, `{p_gnb}`, `{p_gnb_sub}`) and a draft `{p_private}` on
  gnb_private.

Funders read everything and write nothing; anonymous callers read public data and are asked to sign in to write.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.finance.models import Budget, Transaction
from bakuhub.partners.models import Organisation
from bakuhub.projects.tests.factories import (
    LocationFactory,
    ProjectFactory,
    ProjectParticipantFactory,
    complete_answers,
)
from bakuhub.results import services as results
from bakuhub.results.models import IndicatorPeriod
from bakuhub.testing.factories import AdminUnitFactory
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

ROLES = ("secretariat", "chad_focal_point", "iom_editor", "gcf_funder", "anonymous")
PDF = pdf_bytes()
PLANNED = {"planned_start": dt.date(2024, 1, 1), "planned_end": dt.date(2028, 12, 31)}

BODIES = {
    "project_tcd": {"country_iso3": "TCD", "identifier": "XM-DAC-47066-TD-2026-09", "titles": {"en": "Wells"},
                    "lead_organisation": "iom"},
    "project_gnb": {"country_iso3": "GNB", "identifier": "XM-DAC-41114-GW-2026-09", "titles": {"en": "Wells"},
                    "lead_organisation": "undp"},
    "patch": {"titles": {"en": "Renamed"}},
    "appraisal": {"to_phase": "appraisal"},
    "approval": {"to_phase": "approved"},
    "sectors": {"sectors": [{"code": "15220", "percentage": 100}]},
    "markers": {"markers": [{"code": "7", "significance": 1}]},
    "links": {"decisions": [], "commitments": []},
    "nexus": {"climate": 1, "peace": 1, "migration": 0},
    "screening": {"answers": complete_answers(), "complete": True},
    "location_tcd": {"admin1_pcode": "TD07", "name": "Bol"},
    "location_gnb": {"admin1_pcode": "GW01", "name": "Bafatá"},
    "participant": {"organisation": "gcf", "role": "1"},
    "budget": {"period_start": "2026-01-01", "period_end": "2026-12-31", "amount": "1000", "currency": "USD"},
    "transaction": {"kind": "3", "transaction_date": "2025-03-15", "amount": "100.50", "currency": "XOF"},
    "result_tcd": {"kind": "1", "title": "Wells dug", "reported_by": "iom"},
    "result_gnb": {"kind": "1", "title": "Wells dug", "reported_by": "undp"},
    "indicator": {"title": "Households served", "unit": "households"},
    "period": {"period_start": "2025-07-01", "period_end": "2025-12-31", "target_value": 10},
    "actual": {"actual_value": 12},
    "approve": {"decision": "approve"},
}  # fmt: skip

S, C, I, F, A = ROLES  # noqa: E741 — column order of the table below
P = "/api/v1/projects"

# fmt: off
#    method    path                                          body             secr  chad  iom   fund  anon
MATRIX = [
    # Projects: public ones for everyone; focal points edit their country's, editors the ones their organisation leads.
    ("GET",    P,                                            None,            (200, 200, 200, 200, 200)),
    ("GET",    P + "?country=GNB&nexus=peace",               None,            (200, 200, 200, 200, 200)),
    ("GET",    P + "/{tcd_iom}",                             None,            (200, 200, 200, 200, 200)),
    ("GET",    P + "/{gnb_private}",                         None,            (200, 404, 404, 200, 404)),
    ("POST",   P,                                            "project_tcd",   (201, 201, 201, 403, 401)),
    ("POST",   P,                                            "project_gnb",   (201, 403, 403, 403, 401)),
    ("PATCH",  P + "/{tcd_iom}",                             "patch",         (200, 200, 200, 403, 401)),
    ("PATCH",  P + "/{tcd_undp}",                            "patch",         (200, 200, 403, 403, 401)),
    ("PATCH",  P + "/{gnb_undp}",                            "patch",         (200, 403, 403, 403, 401)),
    ("PATCH",  P + "/{gnb_private}",                         "patch",         (200, 404, 404, 403, 401)),
    ("DELETE", P + "/{tcd_iom}",                             None,            (405, 405, 405, 405, 405)),
    ("POST",   P + "/{tcd_iom}/phase",                       "appraisal",     (200, 200, 200, 403, 401)),
    ("POST",   P + "/{gnb_undp}/phase",                      "appraisal",     (200, 403, 403, 403, 401)),
    # Approval is for the secretariat and the country's focal points, even where an editor may edit.
    ("POST",   P + "/{tcd_undp}/phase",                      "approval",      (200, 200, 403, 403, 401)),
    ("PUT",    P + "/{tcd_iom}/sectors",                     "sectors",       (200, 200, 200, 403, 401)),
    ("PUT",    P + "/{gnb_undp}/sectors",                    "sectors",       (200, 403, 403, 403, 401)),
    ("PUT",    P + "/{tcd_iom}/policy-markers",              "markers",       (200, 200, 200, 403, 401)),
    ("PUT",    P + "/{tcd_undp}/policy-markers",             "markers",       (200, 200, 403, 403, 401)),
    ("PUT",    P + "/{tcd_iom}/nexus",                       "nexus",         (200, 200, 200, 403, 401)),
    ("PUT",    P + "/{gnb_undp}/nexus",                      "nexus",         (200, 403, 403, 403, 401)),
    ("PUT",    P + "/{tcd_iom}/links",                       "links",         (200, 200, 200, 403, 401)),
    ("PUT",    P + "/{gnb_undp}/links",                      "links",         (200, 403, 403, 403, 401)),
    ("PUT",    P + "/{tcd_iom}/screening",                   "screening",     (200, 200, 403, 403, 401)),
    ("PUT",    P + "/{gnb_undp}/screening",                  "screening",     (200, 403, 403, 403, 401)),
    ("POST",   P + "/{tcd_iom}/locations",                   "location_tcd",  (201, 201, 201, 403, 401)),
    ("POST",   P + "/{gnb_undp}/locations",                  "location_gnb",  (201, 403, 403, 403, 401)),
    ("DELETE", P + "/{tcd_iom}/locations/{loc_tcd}",         None,            (204, 204, 204, 403, 401)),
    ("DELETE", P + "/{gnb_private}/locations/{loc_private}", None,            (204, 404, 404, 403, 401)),
    ("POST",   P + "/{tcd_iom}/participants",                "participant",   (201, 201, 201, 403, 401)),
    ("POST",   P + "/{tcd_undp}/participants",               "participant",   (201, 201, 403, 403, 401)),
    ("POST",   P + "/{tcd_iom}/documents",                   "file",          (201, 201, 201, 403, 401)),
    ("POST",   P + "/{gnb_undp}/documents",                  "file",          (201, 403, 403, 403, 401)),
    # Funder matches: a public project's are public; the others' for its insiders.
    ("GET",    P + "/{tcd_iom}/funder-matches",              None,            (200, 200, 200, 200, 200)),
    ("GET",    P + "/{gnb_private}/funder-matches",          None,            (200, 404, 404, 200, 404)),
    # Money: read with the project; written by those who may edit the project.
    ("GET",    "/api/v1/budgets",                            None,            (200, 200, 200, 200, 200)),
    ("GET",    "/api/v1/budgets?project={gnb_private}",      None,            (200, 404, 404, 200, 404)),
    ("GET",    "/api/v1/transactions",                       None,            (200, 200, 200, 200, 200)),
    ("GET",    "/api/v1/transactions?project={tcd_iom}",     None,            (200, 200, 200, 200, 200)),
    ("POST",   P + "/{tcd_iom}/budgets",                     "budget",        (201, 201, 201, 403, 401)),
    ("POST",   P + "/{tcd_undp}/budgets",                    "budget",        (201, 201, 403, 403, 401)),
    ("POST",   P + "/{gnb_undp}/budgets",                    "budget",        (201, 403, 403, 403, 401)),
    ("POST",   P + "/{tcd_iom}/transactions",                "transaction",   (201, 201, 201, 403, 401)),
    ("POST",   P + "/{gnb_private}/transactions",            "transaction",   (201, 404, 404, 403, 401)),
    ("DELETE", "/api/v1/budgets/{b_tcd}",                    None,            (204, 204, 204, 403, 401)),
    ("DELETE", "/api/v1/budgets/{b_private}",                None,            (204, 404, 404, 403, 401)),
    ("DELETE", "/api/v1/transactions/{t_tcd}",               None,            (204, 204, 204, 403, 401)),
    ("DELETE", "/api/v1/transactions/{t_private}",           None,            (204, 404, 404, 403, 401)),
    # Results: the public view for everyone; the internal one for insiders; partners on the project report.
    ("GET",    "/api/v1/results?project={tcd_undp}",         None,            (200, 200, 200, 200, 200)),
    ("GET",    "/api/v1/results?project={gnb_private}",      None,            (200, 404, 404, 200, 404)),
    ("GET",    "/api/v1/results?project={tcd_undp}&view=internal", None,      (200, 200, 200, 200, 401)),
    ("GET",    "/api/v1/results?project={gnb_undp}&view=internal", None,      (200, 403, 403, 200, 401)),
    ("POST",   P + "/{tcd_undp}/results",                    "result_tcd",    (201, 201, 201, 403, 401)),
    ("POST",   P + "/{gnb_undp}/results",                    "result_gnb",    (201, 403, 403, 403, 401)),
    ("POST",   "/api/v1/results/{r_tcd}/indicators",         "indicator",     (201, 201, 201, 403, 401)),
    ("POST",   "/api/v1/results/{r_gnb}/indicators",         "indicator",     (201, 403, 403, 403, 401)),
    ("POST",   "/api/v1/indicators/{i_tcd}/periods",         "period",        (201, 201, 201, 403, 401)),
    ("POST",   "/api/v1/indicators/{i_gnb}/periods",         "period",        (201, 403, 403, 403, 401)),
    ("POST",   "/api/v1/periods/{p_tcd}/actual",             "actual",        (200, 200, 200, 403, 401)),
    ("POST",   "/api/v1/periods/{p_gnb}/actual",             "actual",        (200, 403, 403, 403, 401)),
    ("POST",   "/api/v1/periods/{p_private}/actual",         "actual",        (200, 404, 404, 403, 401)),
    ("POST",   "/api/v1/periods/{p_tcd_sub}/review",         "approve",       (200, 403, 403, 403, 401)),
    ("POST",   "/api/v1/periods/{p_gnb_sub}/review",         "approve",       (200, 403, 403, 403, 401)),
]
# fmt: on

CELLS = [
    pytest.param(method, path, body, role, statuses[i], id=f"{method} {path} {body or ''} as {role}")
    for method, path, body, statuses in MATRIX
    for i, role in enumerate(ROLES)
]


def framework(project, reporter):
    """A result → indicator → a draft period of 2024 and a submitted actual for the first half of 2025."""
    result = results.result_create(actor=None, project=project, kind="1", title="Water points", reported_by=reporter)
    indicator = results.indicator_create(actor=None, result=result, title="Water points built")
    draft = results.period_create(
        actor=None, indicator=indicator, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31)
    )
    submitted = results.period_create(
        actor=None, indicator=indicator, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 6, 30)
    )
    IndicatorPeriod.objects.filter(pk=submitted.pk).update(
        actual_status="submitted", actual_value=Decimal(4), submitted_at=timezone.now()
    )
    return result.pk, indicator.pk, draft.pk, submitted.pk


def money(project, amount=Decimal("1000")):
    day = dt.date(2025, 1, 1)
    budget = Budget.objects.create(
        project=project, period_start=day, period_end=dt.date(2025, 12, 31), amount=amount, currency="USD",
        value_date=day, amount_usd=amount, amount_eur=amount * Decimal("0.8"),
    )  # fmt: skip
    row = Transaction.objects.create(
        project=project, kind="3", transaction_date=day, amount=amount, currency="USD", value_date=day,
        amount_usd=amount, amount_eur=amount * Decimal("0.8"),
    )  # fmt: skip
    return budget.pk, row.pk


@pytest.fixture
def world(chad, guinea_bissau, iom, gcf, undp, lac, exchange_rates, secretariat, chad_focal_point, iom_editor,
          gcf_funder):  # fmt: skip
    bafata = AdminUnitFactory(country=guinea_bissau, pcode="GW01", iso_3166_2="GW-BA", name="Bafatá")
    tcd_iom = ProjectFactory(country=chad, lead_organisation=iom, identifier="XM-DAC-47066-TD-01", **PLANNED)
    tcd_undp = ProjectFactory(country=chad, lead_organisation=undp, identifier="XM-DAC-41114-TD-01", approvable=True,
                              **PLANNED)  # fmt: skip
    ProjectParticipantFactory(project=tcd_undp, organisation=iom, role="4")
    gnb_undp = ProjectFactory(country=guinea_bissau, lead_organisation=undp, identifier="XM-DAC-41114-GW-01",
                              **PLANNED)  # fmt: skip
    gnb_private = ProjectFactory(country=guinea_bissau, lead_organisation=undp, identifier="XM-DAC-41114-GW-02",
                                 is_public=False, **PLANNED)  # fmt: skip
    b_tcd, t_tcd = money(tcd_iom)
    b_private, t_private = money(gnb_private)
    r_tcd, i_tcd, p_tcd, p_tcd_sub = framework(tcd_undp, iom)
    r_gnb, i_gnb, p_gnb, p_gnb_sub = framework(gnb_undp, undp)
    *_, p_private, _ = framework(gnb_private, undp)
    return {
        "tcd_iom": tcd_iom.pk, "tcd_undp": tcd_undp.pk, "gnb_undp": gnb_undp.pk, "gnb_private": gnb_private.pk,
        "loc_tcd": LocationFactory(project=tcd_iom, admin_unit=lac).pk,
        "loc_private": LocationFactory(project=gnb_private, admin_unit=bafata).pk,
        "b_tcd": b_tcd, "t_tcd": t_tcd, "b_private": b_private, "t_private": t_private,
        "r_tcd": r_tcd, "i_tcd": i_tcd, "p_tcd": p_tcd, "p_tcd_sub": p_tcd_sub,
        "r_gnb": r_gnb, "i_gnb": i_gnb, "p_gnb": p_gnb, "p_gnb_sub": p_gnb_sub, "p_private": p_private,
    }  # fmt: skip


def call(client, method, path, body):
    if body is None:
        return client.generic(method, path)
    if body == "file":
        upload = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
        return client.post(path, {"file": upload, "title": "Concept note"})
    data = BODIES[body]
    if body == "links":  # a real change (linking a commitment), so an accepted write has something to audit
        commitment = Commitment.objects.create(
            committer_organisation=Organisation.objects.order_by("pk").first(), kind="policy", title="Matrix pledge",
            announced_on=dt.date(2025, 1, 1), source_title="Press", source_url="https://example.org/p",
        )  # fmt: skip
        data = {"decisions": [], "commitments": [commitment.pk]}
    return client.generic(method, path, json.dumps(data), content_type="application/json")


def client_as(request, role):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CELLS)
def test_it_applies_the_permission_matrix(request, world, method, path, body, role, expected):
    audits = AuditRecord.objects.count()
    response = call(client_as(request, role), method, path.format(**world), body)
    assert response.status_code == expected, response.content[:500]
    if expected >= 400 and expected != 405:
        assert set(response.json()) == {"code", "message", "errors"}
    if method != "GET":
        # Every accepted write leaves an audit trail; every refused one leaves none.
        assert (AuditRecord.objects.count() > audits) == (expected < 400)


VISIBLE_PROJECTS = {
    "secretariat": {"tcd_iom", "tcd_undp", "gnb_undp", "gnb_private"},
    "chad_focal_point": {"tcd_iom", "tcd_undp", "gnb_undp"},
    "iom_editor": {"tcd_iom", "tcd_undp", "gnb_undp"},
    "gcf_funder": {"tcd_iom", "tcd_undp", "gnb_undp", "gnb_private"},
    "anonymous": {"tcd_iom", "tcd_undp", "gnb_undp"},
}
INSIDER_OF = {
    "secretariat": {"tcd_iom", "tcd_undp", "gnb_undp"},
    "chad_focal_point": {"tcd_iom", "tcd_undp"},
    "iom_editor": {"tcd_iom", "tcd_undp"},
    "gcf_funder": {"tcd_iom", "tcd_undp", "gnb_undp"},
    "anonymous": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_the_projects_and_money_a_role_may_see(request, world, role):
    client = client_as(request, role)
    names = {v: k for k, v in world.items() if k in VISIBLE_PROJECTS["secretariat"]}
    assert {names[p["id"]] for p in client.get(P).json()["items"]} == VISIBLE_PROJECTS[role]
    budgets = {names[b["project_id"]] for b in client.get("/api/v1/budgets").json()["items"]}
    transactions = {names[t["project_id"]] for t in client.get("/api/v1/transactions").json()["items"]}
    assert budgets == transactions == VISIBLE_PROJECTS[role] & {"tcd_iom", "gnb_private"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("project", ["tcd_iom", "tcd_undp", "gnb_undp"])
def test_it_shows_internals_only_to_insiders(request, world, role, project):
    client = client_as(request, role)
    body = client.get(f"{P}/{world[project]}").json()
    assert body["viewer_is_insider"] == (project in INSIDER_OF[role])
    screened = project == "tcd_undp"
    assert (body["screening"] is not None) == (screened and project in INSIDER_OF[role])
    if project == "tcd_undp":
        view = client.get(f"/api/v1/results?project={world[project]}").json()["view"]
        assert view == ("internal" if project in INSIDER_OF[role] else "public")


def test_a_cross_country_focal_point_changes_nothing_in_the_other_country(world, chad_focal_point, portfolio_rows):
    client = client_for(chad_focal_point)
    gnb = world["gnb_undp"]
    before = portfolio_rows()
    for method, path, body in [
        ("PATCH", f"{P}/{gnb}", "patch"),
        ("PUT", f"{P}/{gnb}/sectors", "sectors"),
        ("POST", f"{P}/{gnb}/budgets", "budget"),
        ("POST", f"{P}/{gnb}/results", "result_gnb"),
        ("POST", f"/api/v1/periods/{world['p_gnb']}/actual", "actual"),
    ]:
        assert call(client, method, path, body).status_code == 403
    assert portfolio_rows() == before


def test_an_implementing_partner_reports_but_does_not_edit(world, iom_editor, portfolio_rows):
    client = client_for(iom_editor)
    project = world["tcd_undp"]
    before = portfolio_rows()
    for method, path, body in [
        ("PATCH", f"{P}/{project}", "patch"),
        ("PUT", f"{P}/{project}/policy-markers", "markers"),
        ("POST", f"{P}/{project}/budgets", "budget"),
        ("POST", f"{P}/{project}/phase", "approval"),
    ]:
        assert call(client, method, path, body).status_code == 403
    assert portfolio_rows() == before
    assert call(client, "POST", f"{P}/{project}/results", "result_tcd").status_code == 201
