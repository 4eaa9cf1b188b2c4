from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.reports.exports import XLSX_CONTENT_TYPE, rows_to_csv, rows_to_xlsx
from bakuhub.working_groups.models import ActionItem
from bakuhub.working_groups.tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    MemberFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tTab", "\rCR"]
BOM = b"\xef\xbb\xbf"


def url(name: str, fmt: str, /, **query: str) -> str:
    path = reverse(f"portal:export_{name}", kwargs={"fmt": fmt})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(BOM)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def chad_jwg(chad):
    return WorkingGroupFactory(country=chad, name="Chad JWG")


@pytest.fixture
def gnb_jwg(guinea_bissau):
    return WorkingGroupFactory(country=guinea_bissau, name="Groupe de travail Guinée-Bissau")


@pytest.fixture
def actions(chad_jwg, gnb_jwg):
    today = timezone.localdate()
    owner = MemberFactory(working_group=chad_jwg)
    chad_actions = [
        ActionItemFactory(working_group=chad_jwg, owner=owner, title=title, due_on=today + dt.timedelta(days=i))
        for i, title in enumerate(FORMULAS)
    ]
    late = ActionItemFactory(working_group=chad_jwg, owner=owner, title="Late", due_on=today - dt.timedelta(days=2))
    gnb = ActionItemFactory(working_group=gnb_jwg, title="Préparer la réunion", due_on=today + dt.timedelta(days=100))
    return {"chad": [*chad_actions, late], "gnb": gnb, "late": late}


@pytest.fixture
def commitments(chad, iom):
    def make(title: str, **kwargs):
        fields = {"committer_organisation": iom, "beneficiary_country": chad, "kind": Commitment.Kind.MONEY,
                  "amount": Decimal("1500000.50"), "currency": "USD", "announced_on": dt.date(2025, 9, 24),
                  "source_title": "Press release", "source_url": "https://example.org/press"}  # fmt: skip
        return Commitment.objects.create(title=title, **{**fields, **kwargs})

    return {
        "public": make('=HYPERLINK("https://evil.example")'),
        "policy": make(
            "Policy pledge",
            kind=Commitment.Kind.POLICY,
            amount=None,
            currency="",
            status=Commitment.Status.FORMALISED,
            beneficiary_country=None,
            committer_organisation=None,
            committer_country=chad,
        ),
        "private": make("Confidential pledge", is_public=False),
    }


def test_formula_looking_titles_come_out_quoted_in_csv(actions, secretariat):
    response = client_for(secretariat).get(url("actions", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    titles = [row["Title"] for row in read_csv(response.content)]
    for formula in FORMULAS:
        assert "'" + formula in titles
    assert "Préparer la réunion" in titles


def test_formula_looking_titles_come_out_quoted_in_xlsx(actions, secretariat):
    response = client_for(secretariat).get(url("actions", "xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    # Depending on the XML parser openpyxl finds (lxml or the standard library), a bare CR reads back as CR or as a
    # line feed; what matters is the leading quote.
    titles = {row["Title"].replace("\r", "\n") for row in read_xlsx(response.content)}
    for formula in FORMULAS:
        assert "'" + formula.replace("\r", "\n") in titles
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_writers_neutralise_every_formula_prefix():
    rows = [[f] for f in FORMULAS]

    csv_titles = [r["t"] for r in read_csv(rows_to_csv(["t"], rows))]
    sheet = load_workbook(io.BytesIO(rows_to_xlsx(["t"], rows, sheet_title="T"))).active
    xlsx_titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert csv_titles == ["'" + f for f in FORMULAS]
    assert [t.replace("\n", "\r") for t in xlsx_titles] == ["'" + f for f in FORMULAS]


def test_numbers_stay_numbers_and_only_text_is_quoted():
    content = rows_to_xlsx(["n", "t"], [[-2, "-2"], [Decimal("-1.5"), "x\x01y"]], sheet_title="Numbers: [test]")
    sheet = load_workbook(io.BytesIO(content)).active

    assert sheet.title == "Numbers test"
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [(-2, "'-2"), (-1.5, "xy")]
    assert read_csv(rows_to_csv(["n", "t"], [[-2, "-2"]])) == [{"n": "-2", "t": "'-2"}]


def test_dates_are_dates(actions, secretariat):
    xlsx = client_for(secretariat).get(url("actions", "xlsx", country="GNB"))
    csv_ = client_for(secretariat).get(url("actions", "csv", country="GNB"))

    [row] = read_xlsx(xlsx.content)
    assert isinstance(row["Due on"], dt.datetime)
    assert row["Due on"].date() == actions["gnb"].due_on
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["F2"].is_date
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert read_csv(csv_.content)[0]["Due on"] == actions["gnb"].due_on.isoformat()


def test_an_anonymous_user_cannot_export_actions(actions):
    response = client_for(None).get(url("actions", "csv"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_focal_point_exports_only_their_countries_actions(actions, chad_focal_point):
    response = client_for(chad_focal_point).get(url("actions", "csv"))

    rows = read_csv(response.content)
    assert {r["Country"] for r in rows} == {"TCD"}
    assert len(rows) == len(actions["chad"])
    assert response["Cache-Control"] == "private, no-store"


def test_a_user_outside_every_group_exports_no_actions(actions, iom_editor):
    response = client_for(iom_editor).get(url("actions", "csv"))

    assert response.status_code == 200
    assert read_csv(response.content) == []


def test_it_filters_actions(actions, chad_jwg, secretariat):
    client = client_for(secretariat)

    overdue = read_csv(client.get(url("actions", "csv", overdue="1")).content)
    in_group = read_csv(client.get(url("actions", "csv", group=str(chad_jwg.pk), status="open")).content)

    assert [(r["Title"], r["Overdue"]) for r in overdue] == [("Late", "yes")]
    assert len(in_group) == len(actions["chad"])
    ActionItem.objects.filter(pk=actions["late"].pk).update(status=ActionItem.Status.DONE)
    assert len(read_csv(client.get(url("actions", "csv", status="done")).content)) == 1


def test_the_file_has_a_dated_attachment_name(actions, secretariat):
    response = client_for(secretariat).get(url("actions", "xlsx"))

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="bakuhub-actions-{today}.xlsx"'


def test_decisions_are_public_and_safe(chad_jwg, gnb_jwg, commitments):
    decision = DecisionFactory(working_group=chad_jwg, text="@SUM(A1:A9) to the Hub")
    decision.commitments.set([commitments["policy"], commitments["private"]])
    DecisionFactory(working_group=gnb_jwg)

    response = client_for(None).get(url("decisions", "xlsx", country="TCD"))

    assert response.status_code == 200
    [row] = read_xlsx(response.content)
    assert row["Reference"] == decision.reference
    assert row["Text"] == "'@SUM(A1:A9) to the Hub"
    assert isinstance(row["Decided on"], dt.datetime)
    assert row["Commitments"] == "Policy pledge"


def test_the_secretariat_sees_private_commitments_linked_to_decisions(chad_jwg, commitments, secretariat):
    DecisionFactory(working_group=chad_jwg).commitments.set([commitments["private"]])

    [row] = read_csv(client_for(secretariat).get(url("decisions", "csv")).content)

    assert row["Commitments"] == "Confidential pledge"


def test_commitments_are_public_but_hide_private_ones(commitments):
    response = client_for(None).get(url("commitments", "xlsx"))

    rows = {r["Title"]: r for r in read_xlsx(response.content)}
    assert set(rows) == {'\'=HYPERLINK("https://evil.example")', "Policy pledge"}
    money = rows['\'=HYPERLINK("https://evil.example")']
    assert money["Amount"] == 1500000.5
    assert money["Currency"] == "USD"
    assert money["Beneficiary country"] == "TCD"
    assert isinstance(money["Announced on"], dt.datetime)
    assert rows["Policy pledge"]["Amount"] is None


def test_it_filters_commitments(commitments, secretariat):
    client = client_for(secretariat)

    formalised = read_csv(client.get(url("commitments", "csv", status="formalised")).content)
    policy = read_csv(client.get(url("commitments", "csv", kind="policy", country="tcd")).content)

    assert [r["Title"] for r in formalised] == ["Policy pledge"]
    assert [r["Title"] for r in policy] == ["Policy pledge"]
    assert len(read_csv(client.get(url("commitments", "csv")).content)) == 3


@pytest.mark.parametrize("path", ["/exports/actions.pdf", "/exports/decisions.json", "/exports/commitments.CSV",
                                  "/exports/projects.csv"])  # fmt: skip
def test_an_unknown_format_is_not_found(path, secretariat):
    assert client_for(secretariat).get(path).status_code == 404


@pytest.mark.parametrize(
    ("kind", "query", "named"),
    [
        ("actions", "status=bogus", "status 'bogus'"),
        ("actions", "overdue=maybe", "overdue 'maybe'"),
        ("actions", "group=abc", "group 'abc'"),
        ("actions", "group=999999", "group '999999'"),
        ("actions", "country=XXX", "country 'XXX'"),
        ("actions", "colour=red", "'colour'"),
        ("decisions", "overdue=1", "'overdue'"),
        ("decisions", "status=open", "status 'open'"),
        ("commitments", "kind=cash", "kind 'cash'"),
        ("commitments", "status=announced&status=funded", "'status' is given 2 times"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(kind, query, named, secretariat):
    response = client_for(secretariat).get(url(kind, "csv") + "?" + query)

    assert response.status_code == 400
    assert named in response.content.decode()


def test_exports_keep_queries_flat(actions, commitments, chad_jwg, secretariat, django_assert_max_num_queries):
    for _ in range(3):
        DecisionFactory(working_group=chad_jwg).commitments.set([commitments["policy"]])
    client = client_for(secretariat)

    for kind in ("actions", "decisions", "commitments"):
        with django_assert_max_num_queries(8):
            assert client.get(url(kind, "xlsx")).status_code == 200
