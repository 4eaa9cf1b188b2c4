"""Results services: the happy paths, their audit records, and the approval workflow (partner submits,
secretariat approves or rejects)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bakuhub.core.errors import Conflict, PermissionDenied, ValidationFailed
from bakuhub.core.models import AuditRecord
from bakuhub.projects.tests.factories import ProjectFactory, ProjectParticipantFactory
from bakuhub.results import services
from bakuhub.results.models import Disaggregation, IndicatorPeriod
from bakuhub.testing.factories import OrganisationFactory
from bakuhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
THIS_YEAR = timezone.localdate().year
LAST_YEAR = (dt.date(THIS_YEAR - 1, 1, 1), dt.date(THIS_YEAR - 1, 12, 31))


@pytest.fixture
def undp(db):
    return OrganisationFactory(name="United Nations Development Programme", acronym="UNDP", slug="undp")


@pytest.fixture
def project(chad, undp, iom):
    """A Chad project led by UNDP with IOM implementing, running from two years ago to two years ahead."""
    project = ProjectFactory(
        country=chad,
        lead_organisation=undp,
        planned_start=dt.date(THIS_YEAR - 2, 1, 1),
        planned_end=dt.date(THIS_YEAR + 2, 12, 31),
    )
    ProjectParticipantFactory(project=project, organisation=iom)
    return project


@pytest.fixture
def indicator(secretariat, project, iom):
    result = services.result_create(
        actor=secretariat, project=project, kind="1", title="Households with water", reported_by=iom
    )
    return services.indicator_create(
        actor=secretariat,
        result=result,
        title="Households reached",
        unit="households",
        baseline_year=THIS_YEAR - 2,
        baseline_value=100,
    )


@pytest.fixture
def period(secretariat, indicator):
    return services.period_create(
        actor=secretariat, indicator=indicator, period_start=LAST_YEAR[0], period_end=LAST_YEAR[1], target_value=500
    )


def last_audit(action):
    record = AuditRecord.objects.filter(action=action).order_by("-id").first()
    assert record is not None, f"no audit record for {action}"
    return record


# --- creating the framework ------------------------------------------------------------------------------------


def test_a_participant_reports_a_result_with_an_indicator_and_a_period(iom_editor, project, iom):
    result = services.result_create(
        actor=iom_editor, project=project, kind="2", title="  Safer return areas ", reported_by=iom
    )
    assert (result.title, result.kind, result.reported_by) == ("Safer return areas", "2", iom)
    assert last_audit("result.create").changes["title"] == [None, "Safer return areas"]

    indicator = services.indicator_create(
        actor=iom_editor,
        result=result,
        title="Share of returnees feeling safe",
        measure="2",
        baseline_year=THIS_YEAR - 2,
        baseline_value="35.5",
    )
    assert indicator.baseline_value == Decimal("35.50")
    assert last_audit("indicator.create").changes["measure"] == [None, "2"]

    period = services.period_create(
        actor=iom_editor, indicator=indicator, period_start=LAST_YEAR[0], period_end=LAST_YEAR[1], target_value=60
    )
    assert period.actual_status == IndicatorPeriod.Status.DRAFT
    assert last_audit("indicatorperiod.create").changes["target_value"] == [None, "60.00"]


def test_the_lead_organisation_may_report_a_result_and_the_system_needs_no_rules(project, undp):
    result = services.result_create(actor=None, project=project, kind="3", title="Less conflict", reported_by=undp)
    assert last_audit("result.create").actor_label == "system"
    assert result.reported_by == undp


def test_periods_may_touch_but_not_overlap_and_may_use_the_actual_dates(secretariat, indicator, project):
    services.period_create(actor=secretariat, indicator=indicator, period_start=LAST_YEAR[0], period_end=LAST_YEAR[1])
    services.period_create(
        actor=secretariat,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR, 1, 1),
        period_end=dt.date(THIS_YEAR, 12, 31),
    )
    project.actual_end = dt.date(THIS_YEAR + 3, 6, 30)  # started late, ends later than planned
    project.save()
    services.period_create(
        actor=secretariat,
        indicator=indicator,
        period_start=dt.date(THIS_YEAR + 3, 1, 1),
        period_end=dt.date(THIS_YEAR + 3, 6, 30),
    )
    assert indicator.periods.count() == 3


# --- the approval workflow --------------------------------------------------------------------------------------


def test_partner_submits_and_secretariat_approves(iom_editor, secretariat, period):
    services.actual_submit(
        actor=iom_editor,
        period=period,
        actual_value="420",
        comment="From the distribution lists.",
        disaggregations=[("sex", "female", 230), ("sex", "male", 190), ("displacement", "IDPs", 120)],
        evidence=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    assert period.actual_status == IndicatorPeriod.Status.SUBMITTED
    assert (period.actual_value, period.submitted_by) == (Decimal("420.00"), iom_editor)
    assert period.evidence.name.endswith(".pdf")
    assert period.evidence.read() == PDF
    cells = {(d.dimension, d.category): d.actual_value for d in period.disaggregations.all()}
    assert cells == {("sex", "female"): 230, ("sex", "male"): 190, ("displacement", "idps"): 120}
    submitted = last_audit("indicatorperiod.submit")
    assert submitted.actor_label == "iom_editor"
    assert submitted.changes["actual_status"] == ["draft", "submitted"]
    assert submitted.changes["disaggregations"][1] == [
        ["displacement", "idps", "120.00"],
        ["sex", "female", "230.00"],
        ["sex", "male", "190.00"],
    ]

    services.actual_review(actor=secretariat, period=period, approve=True, comment="Checked against the lists.")
    assert period.actual_status == IndicatorPeriod.Status.APPROVED
    assert period.reviewed_by == secretariat
    assert period.reviewed_at is not None
    assert last_audit("indicatorperiod.approve").changes["actual_status"] == ["submitted", "approved"]


def test_a_rejected_actual_is_corrected_and_resubmitted(chad_focal_point, secretariat, period):
    services.actual_submit(
        actor=chad_focal_point,
        period=period,
        actual_value=300,
        disaggregations=[("age", "0-4", 50), ("age", "18-59", 100)],
        evidence=SimpleUploadedFile("report.pdf", PDF),
    )
    first_evidence = period.evidence.name
    services.actual_review(actor=secretariat, period=period, approve=False, comment="Ages do not match the list.")
    assert period.actual_status == IndicatorPeriod.Status.REJECTED
    assert period.review_comment == "Ages do not match the list."
    assert last_audit("indicatorperiod.reject").changes["review_comment"] == ["", "Ages do not match the list."]

    services.actual_submit(
        actor=chad_focal_point, period=period, actual_value=310, disaggregations=[("age", "0-4", 60)]
    )
    assert period.actual_status == IndicatorPeriod.Status.SUBMITTED
    assert (period.reviewed_by, period.review_comment) == (None, "")
    assert period.evidence.name == first_evidence  # no new file: the evidence stays
    assert list(period.disaggregations.values_list("category", "actual_value")) == [("0-4", Decimal("60.00"))]
    changes = last_audit("indicatorperiod.submit").changes
    assert changes["actual_value"] == ["300.00", "310.00"]
    assert changes["disaggregations"] == [
        [["age", "0-4", "50.00"], ["age", "18-59", "100.00"]],
        [["age", "0-4", "60.00"]],
    ]


def test_a_disaggregation_target_is_kept_when_its_actual_is_no_longer_reported(iom_editor, secretariat, period):
    Disaggregation.objects.create(period=period, dimension="sex", category="female", target_value=250)
    services.actual_submit(actor=iom_editor, period=period, actual_value=300, disaggregations=[("sex", "female", 140)])
    services.actual_review(actor=secretariat, period=period, approve=False, comment="Wrong list.")
    services.actual_submit(actor=iom_editor, period=period, actual_value=300)
    row = Disaggregation.objects.get(period=period)
    assert (row.target_value, row.actual_value) == (Decimal("250.00"), None)


def test_a_focal_point_may_submit_but_not_approve(chad_focal_point, period):
    services.actual_submit(actor=chad_focal_point, period=period, actual_value=300)
    before = AuditRecord.objects.count()
    with pytest.raises(PermissionDenied):
        services.actual_review(actor=chad_focal_point, period=period, approve=True)
    period.refresh_from_db()
    assert period.actual_status == IndicatorPeriod.Status.SUBMITTED
    assert AuditRecord.objects.count() == before


def test_a_partner_may_not_approve_its_own_actual(iom_editor, period):
    services.actual_submit(actor=iom_editor, period=period, actual_value=300)
    with pytest.raises(PermissionDenied):
        services.actual_review(actor=iom_editor, period=period, approve=True)


def test_nobody_reviews_their_own_submission(secretariat, period):
    services.actual_submit(actor=secretariat, period=period, actual_value=300)
    with pytest.raises(PermissionDenied, match="another member of the secretariat"):
        services.actual_review(actor=secretariat, period=period, approve=True)


@pytest.mark.parametrize("status", ["draft", "approved", "rejected"])
def test_only_a_submitted_actual_is_reviewed(secretariat, period, status):
    IndicatorPeriod.objects.filter(pk=period.pk).update(actual_status=status, actual_value=300)
    before = AuditRecord.objects.count()
    with pytest.raises(Conflict, match="Only a submitted actual"):
        services.actual_review(actor=secretariat, period=period, approve=True)
    period.refresh_from_db()
    assert period.actual_status == status
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_submitted_or_approved_actual_is_not_submitted_again(iom_editor, period, status):
    IndicatorPeriod.objects.filter(pk=period.pk).update(actual_status=status, actual_value=300)
    with pytest.raises(Conflict):
        services.actual_submit(actor=iom_editor, period=period, actual_value=400)
    period.refresh_from_db()
    assert period.actual_value == 300


def test_a_rejection_needs_its_reason(iom_editor, secretariat, period):
    services.actual_submit(actor=iom_editor, period=period, actual_value=300)
    with pytest.raises(ValidationFailed) as refused:
        services.actual_review(actor=secretariat, period=period, approve=False, comment="  ")
    assert "comment" in refused.value.errors
