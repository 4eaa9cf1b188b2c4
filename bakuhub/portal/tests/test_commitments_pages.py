from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client

from bakuhub.commitments import services
from bakuhub.commitments.models import Commitment
from bakuhub.conftest import client_for
from bakuhub.portal.templatetags.charts import bar_widths, render_bar_chart
from bakuhub.working_groups.tests.factories import DecisionFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "secretariat", "chad_focal_point", "iom_editor", "gcf_funder"]
SVG = "{http://www.w3.org/2000/svg}"


def _client(request, role: str) -> Client:
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


def _pledge(title: str, amount: str | None, currency: str = "USD", **kwargs) -> Commitment:
    return services.commitment_create(
        actor=None,
        kind=kwargs.pop("kind", "money" if amount else "policy"),
        title=title,
        announced_on=kwargs.pop("announced_on", dt.date(2025, 9, 24)),
        source_title=f"Source of {title}",
        source_url="https://example.org/" + title.lower().replace(" ", "-"),
        amount=Decimal(amount) if amount else None,
        currency=currency if amount else "",
        **kwargs,
    )


def _advance(commitment: Commitment, to_status: str, on: dt.date) -> None:
    services.commitment_advance(
        actor=None,
        commitment=commitment,
        to_status=to_status,
        occurred_on=on,
        source_title=f"{to_status} evidence",
        source_url="https://example.org/evidence",
        agreement_reference="Agreement 2025/7",
    )


@pytest.fixture
def pledges(chad, guinea_bissau, gcf, iom):
    """USD: 1 000 000 announced, 3 000 000 funded (so 4M pledged, 3M formalised, 3M funded, 0 delivered);
    one EUR pledge delivered; one policy commitment; one non-public pledge."""
    small = _pledge("Small pledge", "1000000", committer_organisation=gcf, beneficiary_country=chad)
    big = _pledge("Big pledge", "3000000", committer_organisation=gcf, beneficiary_country=guinea_bissau)
    _advance(big, "funded", dt.date(2025, 10, 15))
    euro = _pledge("Euro pledge", "500000", currency="EUR", committer_organisation=iom, beneficiary_country=chad)
    _advance(euro, "delivered", dt.date(2025, 11, 1))
    policy = _pledge("Policy pledge", None, committer_country=chad)
    hidden = _pledge("Hidden pledge", "7000000", committer_organisation=iom, is_public=False)
    return {"small": small, "big": big, "euro": euro, "policy": policy, "hidden": hidden}


def _charts(html: str) -> dict[str, ET.Element]:
    found = {}
    for markup in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        svg = ET.fromstring(markup)  # noqa: S314 — our own page's markup
        found[svg.find(f"{SVG}title").text] = svg
    return found


def _widths(svg: ET.Element) -> list[float]:
    return [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]


@pytest.mark.parametrize("role", ROLES)
def test_the_commitments_page_renders_for_each_role(request, role, pledges):
    response = _client(request, role).get("/commitments/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Small pledge", "Big pledge", "Euro pledge", "Policy pledge"):
        assert title in html
    assert "https://example.org/small-pledge" in html
    assert "Green Climate Fund" in html and "Guinea-Bissau" in html
    sees_hidden = role in {"secretariat", "gcf_funder", "iom_editor"}
    assert ("Hidden pledge" in html) is sees_hidden


def test_the_chart_bars_scale_with_the_money(pledges):
    html = client_for(None).get("/commitments/").content.decode()
    charts = _charts(html)
    usd = charts["Money (USD) that reached each stage"]
    pledged, formalised, funded, delivered = _widths(usd)
    assert pledged == 360.0  # the largest bar fills the area
    assert formalised == funded == pytest.approx(pledged * 3 / 4)
    assert delivered == 0
    labels = [t.text for t in usd.iter(f"{SVG}title")]
    assert "Pledged: 4,000,000 USD" in labels and "Funded: 3,000,000 USD" in labels
    counts = _widths(charts["Number of commitments that reached each stage"])
    assert counts == pytest.approx([360.0, 360 * 2 / 4, 360 * 2 / 4, 360 * 1 / 4])
    assert _widths(charts["Money (EUR) that reached each stage"]) == [360.0] * 4


def test_the_chart_grows_when_a_commitment_moves_forward(pledges):
    before = _widths(
        _charts(client_for(None).get("/commitments/").content.decode())["Money (USD) that reached each stage"]
    )
    _advance(pledges["small"], "delivered", dt.date(2025, 11, 20))
    after = _widths(
        _charts(client_for(None).get("/commitments/").content.decode())["Money (USD) that reached each stage"]
    )
    assert before[3] == 0 and after[3] == pytest.approx(360 / 4)
    assert after[1] == after[2] == 360.0


def test_the_figures_are_also_in_a_table(pledges):
    html = client_for(None).get("/commitments/").content.decode()
    assert "The figures of the charts" in html
    assert "USD 4,000,000" in html and "EUR 500,000" in html
    assert "Per partner" in html and "Per country" in html


def test_the_page_carries_no_inline_style_or_script(pledges):
    html = client_for(None).get("/commitments/").content.decode()
    assert not re.search(r"\sstyle=|<script(?![^>]*\bsrc=)|<style", html)


def test_the_commitments_page_uses_a_fixed_number_of_queries(pledges, gcf, django_assert_max_num_queries):
    for n in range(15):
        _pledge(f"Extra pledge {n}", str(1000 * (n + 1)), committer_organisation=gcf)
    with django_assert_max_num_queries(4):
        assert Client().get("/commitments/").status_code == 200


def test_an_empty_tracker_draws_empty_bars(db):
    html = client_for(None).get("/commitments/").content.decode()
    assert _widths(_charts(html)["Number of commitments that reached each stage"]) == [0, 0, 0, 0]
    assert "No commitments recorded yet." in html


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page_shows_the_dated_history(request, role, pledges):
    euro = pledges["euro"]
    group = WorkingGroupFactory(country=euro.beneficiary_country)
    DecisionFactory(working_group=group, text="Welcome the IOM contribution.").commitments.add(euro)
    response = _client(request, role).get(f"/commitments/{euro.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "24 September 2025" in html and "1 November 2025" in html
    assert "Announced → <strong>Delivered</strong>" in html
    assert "delivered evidence" in html and "Agreement 2025/7" in html
    assert "Welcome the IOM contribution." in html and "TCD-JWG/2025/01" in html


def test_a_non_public_commitment_is_hidden_from_the_public(pledges, iom_editor):
    hidden = pledges["hidden"]
    assert client_for(None).get(f"/commitments/{hidden.pk}/").status_code == 404
    assert client_for(iom_editor).get(f"/commitments/{hidden.pk}/").status_code == 200


def test_the_bar_widths_are_proportional():
    assert bar_widths([Decimal(10), Decimal(5), 0]) == [360.0, 180.0, 0.0]
    assert bar_widths([0, 0]) == [0.0, 0.0]
    assert bar_widths([]) == []


def test_the_chart_escapes_its_labels_and_has_titles():
    svg = str(render_bar_chart([("<script>x</script>", 3)], "A & B"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # noqa: S314 — our own markup
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "A & B"
    assert root.get("aria-labelledby") == root.find(f"{SVG}title").get("id")
