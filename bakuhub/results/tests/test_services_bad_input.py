"""Results services refuse bad input with a clear error, and refused input writes nothing (no row, no audit
record, no stored file)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bakuhub.core.errors import PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.projects.tests.factories import ProjectFactory, ProjectParticipantFactory
from bakuhub.results import services
from bakuhub.results.models import Disaggregation, Indicator, IndicatorPeriod, Result
from bakuhub.testing.factories import OrganisationFactory
from bakuhub.testing.files import pdf_bytes, pdf_with_javascript

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
THIS_YEAR = timezone.localdate().year
START, END = dt.date(THIS_YEAR - 2, 1, 1), dt.date(THIS_YEAR + 2, 12, 31)
LAST_YEAR = {"period_start": dt.date(THIS_YEAR - 1, 1, 1), "period_end": dt.date(THIS_YEAR - 1, 12, 31)}


@pytest.fixture
def project(chad, iom):
    lead = OrganisationFactory(name="United Nations Development Programme", acronym="UNDP", slug="undp")
    project = ProjectFactory(country=chad, lead_organisation=lead, planned_start=START, planned_end=END)
    ProjectParticipantFactory(project=project, organisation=iom)
    return project


@pytest.fixture
def result(project, iom):
    return services.result_create(actor=None, project=project, kind="1", title="Water", reported_by=iom)


@pytest.fixture
def indicator(result):
    return services.indicator_create(actor=None, result=result, title="Households reached", unit="households")


@pytest.fixture
def percentage(result):
    return services.indicator_create(actor=None, result=result, title="Share safe", measure="2")


@pytest.fixture
def period(indicator):
    return services.period_create(actor=None, indicator=indicator, target_value=500, **LAST_YEAR)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def counts():
    models = (Result, Indicator, IndicatorPeriod, Disaggregation, AuditRecord)
    return {model.__name__: model.objects.count() for model in models}


@contextmanager
def changes_nothing(error=ValidationFailed, field=None, match=None):
    before = counts()
    with pytest.raises(error, match=match) as refused:
        yield refused
    assert counts() == before
    if field is not None:
        assert field in refused.value.errors, refused.value.errors


# --- results ------------------------------------------------------------------------------------------------------


def test_a_result_reported_by_an_organisation_not_on_the_project_is_refused(secretariat, project, gcf):
    with changes_nothing(field="reported_by") as refused:
        services.result_create(actor=secretariat, project=project, kind="1", title="Water", reported_by=gcf)
    assert "Green Climate Fund" in refused.value.message
    assert project.identifier in refused.value.message


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "9"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"description": "x" * 10001}, "description"),
    ],
)
def test_result_create_refuses_bad_input(secretariat, project, iom, data, field):
    with changes_nothing(field=field):
        services.result_create(
            actor=secretariat, project=project, reported_by=iom, **{"kind": "1", "title": "W", **data}
        )


def test_result_create_is_refused_to_those_who_may_not_report(gcf_funder, iom_editor, chad, iom, project):
    with changes_nothing(PermissionDenied):
        services.result_create(actor=gcf_funder, project=project, kind="1", title="W", reported_by=iom)
    elsewhere = ProjectFactory(country=chad, planned_start=START, planned_end=END)  # IOM is not on it
    with changes_nothing(PermissionDenied):
        services.result_create(actor=iom_editor, project=elsewhere, kind="1", title="W", reported_by=iom)


# --- indicators ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"measure": "3"}, "measure"),
        ({"measure": "2", "baseline_year": 2020, "baseline_value": 101}, "baseline_value"),
        ({"measure": "2", "baseline_year": 2020, "baseline_value": -1}, "baseline_value"),
        ({"baseline_year": 1989, "baseline_value": 10}, "baseline_year"),
        ({"baseline_year": THIS_YEAR + 2, "baseline_value": 10}, "baseline_year"),
        ({"baseline_year": "2020"}, "baseline_year"),
        ({"baseline_value": 10}, "baseline_year"),
        ({"baseline_year": 2020, "baseline_value": "ten"}, "baseline_value"),
        ({"baseline_year": 2020, "baseline_value": "1.234"}, "baseline_value"),
        ({"baseline_year": 2020, "baseline_value": "NaN"}, "baseline_value"),
        ({"baseline_year": 2020, "baseline_value": "1e16"}, "baseline_value"),
        ({"baseline_year": 2020, "baseline_value": True}, "baseline_value"),
        ({"title": ""}, "title"),
        ({"unit": "u" * 61}, "unit"),
    ],
)
def test_indicator_create_refuses_bad_input(secretariat, result, data, field):
    with changes_nothing(field=field):
        services.indicator_create(actor=secretariat, result=result, **{"title": "Households", **data})


def test_indicator_create_is_refused_to_a_funder(gcf_funder, result):
    with changes_nothing(PermissionDenied):
        services.indicator_create(actor=gcf_funder, result=result, title="Households")


# --- periods ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "field", "match"),
    [
        ((dt.date(THIS_YEAR, 6, 30), dt.date(THIS_YEAR, 1, 1)), "period_end", "ends"),
        ((dt.date(THIS_YEAR - 3, 1, 1), dt.date(THIS_YEAR - 2, 12, 31)), "period_start", "outside the dates"),
        ((dt.date(THIS_YEAR + 2, 1, 1), dt.date(THIS_YEAR + 3, 12, 31)), "period_start", "outside the dates"),
        ((dt.date(THIS_YEAR - 1, 12, 31), dt.date(THIS_YEAR, 6, 30)), "period_start", "overlaps"),
        ((dt.date(THIS_YEAR - 1, 3, 1), dt.date(THIS_YEAR - 1, 3, 31)), "period_start", "overlaps"),
        ((dt.date(THIS_YEAR - 2, 1, 1), dt.date(THIS_YEAR - 1, 1, 1)), "period_start", "overlaps"),
    ],
)
def test_period_create_refuses_bad_dates(secretariat, indicator, period, dates, field, match):
    with changes_nothing(field=field, match=match):
        services.period_create(actor=secretariat, indicator=indicator, period_start=dates[0], period_end=dates[1])


def test_the_actual_dates_replace_the_planned_ones(secretariat, project, indicator):
    project.actual_start = dt.date(THIS_YEAR - 1, 7, 1)  # started late
    project.save()
    with changes_nothing(field="period_start", match=f"outside the dates of project {project.identifier}"):
        services.period_create(actor=secretariat, indicator=indicator, **LAST_YEAR)


def test_a_project_without_dates_still_refuses_implausible_periods(secretariat, chad, iom):
    project = ProjectFactory(country=chad, lead_organisation=iom, planned_start=None, planned_end=None)
    result = services.result_create(actor=None, project=project, kind="1", title="W", reported_by=iom)
    indicator = services.indicator_create(actor=None, result=result, title="Households")
    with changes_nothing(field="period_start"):
        services.period_create(
            actor=secretariat, indicator=indicator, period_start=dt.date(1900, 1, 1), period_end=dt.date(1900, 12, 31)
        )
    with changes_nothing(field="period_end"):
        services.period_create(
            actor=secretariat, indicator=indicator, period_start=dt.date(2030, 1, 1), period_end=dt.date(2108, 12, 31)
        )


@pytest.mark.parametrize("target", [120, "-0.5", "lots", "33.333"])
def test_period_create_refuses_a_bad_percentage_target(secretariat, percentage, target):
    with changes_nothing(field="target_value"):
        services.period_create(actor=secretariat, indicator=percentage, target_value=target, **LAST_YEAR)


def test_period_create_is_refused_to_a_funder(gcf_funder, indicator):
    with changes_nothing(PermissionDenied):
        services.period_create(actor=gcf_funder, indicator=indicator, **LAST_YEAR)


# --- actuals ------------------------------------------------------------------------------------------------------


def assert_period_untouched(period):
    period.refresh_from_db()
    assert (period.actual_status, period.actual_value, period.evidence.name) == ("draft", None, "")


def test_an_actual_for_a_period_not_yet_started_is_refused(iom_editor, indicator):
    future = services.period_create(
        actor=None,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR + 1, 1, 1),
        period_end=dt.date(THIS_YEAR + 1, 12, 31),
    )
    with changes_nothing(field="actual_value", match="once it has started"):
        services.actual_submit(actor=iom_editor, period=future, actual_value=10)
    assert_period_untouched(future)


def test_an_actual_for_a_period_outside_the_project_dates_is_refused(iom_editor, project, period):
    project.actual_end = dt.date(THIS_YEAR - 1, 6, 30)  # the project ended early; the period runs to December
    project.save()
    with changes_nothing(field="period", match=f"outside the dates of project {project.identifier}"):
        services.actual_submit(actor=iom_editor, period=period, actual_value=10)
    assert_period_untouched(period)


@pytest.mark.parametrize(
    ("value", "rows", "match"),
    [
        (None, [], "required"),
        ("", [], "required"),
        ("abc", [], "not a number"),
        ("1.005", [], "decimal places"),
        (100, [("gender", "female", 10)], "not a dimension"),
        (100, [("sex", "other", 10)], "not a sex category. Categories: female, male"),
        (100, [("age", "18-60", 10)], "not a age category"),
        (100, [("displacement", "migrants", 10)], "not a displacement category"),
        (100, [("sex", "female", 10), ("sex", " Female", 5)], "given twice"),
        (100, [("sex", "female", -1)], "negative"),
        (100, [("sex", "female", None)], "required"),
        (100, [("sex", "female")], "dimension, category, value"),
        (100, [("sex", "female", 60), ("sex", "male", 41)], "add up to 101.00, more than the total actual"),
        (100, [("age", "0-4", 101)], "more than the total"),
    ],
)
def test_actual_submit_refuses_bad_values(iom_editor, period, value, rows, match):
    with changes_nothing(match=match):
        services.actual_submit(actor=iom_editor, period=period, actual_value=value, disaggregations=rows)
    assert_period_untouched(period)


def test_a_percentage_actual_and_its_parts_stay_within_0_and_100(iom_editor, percentage):
    period = services.period_create(actor=None, indicator=percentage, **LAST_YEAR)
    with changes_nothing(field="actual_value"):
        services.actual_submit(actor=iom_editor, period=period, actual_value=101)
    with changes_nothing(field="sex=female"):
        services.actual_submit(
            actor=iom_editor, period=period, actual_value=50, disaggregations=[("sex", "female", 120)]
        )
    # parts of a percentage are percentages of their own group: they need not add up to the total
    services.actual_submit(
        actor=iom_editor, period=period, actual_value=50, disaggregations=[("sex", "female", 70), ("sex", "male", 40)]
    )


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Only PDF, DOCX or ODT"),
        ("notes.pdf", b"just some text", "Only PDF, DOCX or ODT"),
        ("empty.pdf", b"", "empty"),
        ("active.pdf", pdf_with_javascript(), "JavaScript"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(settings, iom_editor, period, name, content, match):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with changes_nothing(field="evidence", match=match):
        services.actual_submit(
            actor=iom_editor, period=period, actual_value=10, disaggregations=[("sex", "female", 5)], evidence=upload
        )
    assert_period_untouched(period)
    assert media_files(settings) == []


def test_evidence_over_the_size_limit_is_refused(settings, iom_editor, period):
    settings.BAKUHUB_DOCUMENT_MAX_BYTES = 20
    with changes_nothing(field="evidence", match="limit"):
        services.actual_submit(
            actor=iom_editor, period=period, actual_value=10, evidence=SimpleUploadedFile("r.pdf", PDF)
        )
    assert media_files(settings) == []


def test_a_failed_write_removes_the_stored_evidence(settings, monkeypatch, iom_editor, period):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr("bakuhub.results.services.actuals.audit.record", broken)
    with changes_nothing(RuntimeError):
        services.actual_submit(
            actor=iom_editor, period=period, actual_value=10, evidence=SimpleUploadedFile("r.pdf", PDF)
        )
    assert_period_untouched(period)
    assert media_files(settings) == []


def test_actual_submit_is_refused_to_those_who_may_not_report(gcf_funder, anonymous, period):
    for actor in (gcf_funder, anonymous):
        with changes_nothing(PermissionDenied):
            services.actual_submit(actor=actor, period=period, actual_value=10)
    assert_period_untouched(period)
