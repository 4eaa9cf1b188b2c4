"""'My actions', the htmx status form and the overdue board."""

from __future__ import annotations

import datetime as dt

import pytest

from bakuhub.conftest import client_for
from bakuhub.core.models import AuditRecord
from bakuhub.portal.tests.jwg_helpers import _client, _today
from bakuhub.testing.factories import UserFactory
from bakuhub.working_groups.tests.factories import ActionItemFactory, MemberFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


# --- My actions and the htmx status form ------------------------------------------------------------------------


def test_my_actions_needs_a_sign_in(db):
    response = client_for(None).get("/actions/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_actions_lists_the_users_open_actions_with_a_status_form(full, action, member_user):
    ActionItemFactory(working_group=full, owner=action.owner, title="Already done", status="done")
    html = client_for(member_user).get("/actions/mine/").content.decode()
    assert "Draft the pilot concept note" in html and "Already done" not in html
    assert f'hx-post="/actions/{action.pk}/status/"' in html
    assert "overdue by 5 days" in html


def test_the_owner_changes_the_status_with_htmx_and_it_is_audited(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "in_progress"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="action-{action.pk}"')
    assert '<option value="in_progress" selected>' in fragment
    action.refresh_from_db()
    assert action.status == "in_progress"
    record = AuditRecord.objects.get(action="actionitem.update", object_id=str(action.pk))
    assert record.actor == member_user
    assert record.changes["status"] == ["open", "in_progress"]


def test_without_htmx_the_status_form_redirects(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "done", "next": "/actions/mine/"}
    )
    assert response.status_code == 302 and response["Location"] == "/actions/mine/"
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == _today()


def test_the_status_form_ignores_a_foreign_next_url(full, action, member_user):
    response = client_for(member_user).post(
        f"/actions/{action.pk}/status/", {"status": "done", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/actions/mine/"


@pytest.mark.parametrize("role", ["iom_editor", "other_viewer"])
def test_a_non_owner_gets_403_and_nothing_changes(request, role, full, action, db):
    user = UserFactory(username="other_viewer") if role == "other_viewer" else request.getfixturevalue(role)
    response = client_for(user).post(f"/actions/{action.pk}/status/", {"status": "dropped"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
    assert not AuditRecord.objects.filter(action="actionitem.update").exists()


def test_a_focal_point_manages_any_action_of_their_group(full, action, chad_focal_point):
    response = client_for(chad_focal_point).post(f"/actions/{action.pk}/status/", {"status": "dropped"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "dropped"


def test_an_unknown_status_is_refused_in_the_row(full, action, member_user):
    response = client_for(member_user).post(f"/actions/{action.pk}/status/", {"status": "lost"}, HTTP_HX_REQUEST="true")
    assert "Select a valid choice" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_a_missing_action_is_a_404(db, member_user):
    assert client_for(member_user).post("/actions/999/status/", {"status": "done"}).status_code == 404


# --- Overdue board ----------------------------------------------------------------------------------------------


@pytest.fixture
def overdue_rows(full, guinea_bissau):
    other = WorkingGroupFactory(country=guinea_bissau, name="JWG Hub-Guinea-Bissau")
    for n in range(6):
        ActionItemFactory(working_group=full, title=f"Chad late {n}", due_on=_today() - dt.timedelta(days=n + 1))
        ActionItemFactory(working_group=other, title=f"GNB late {n}", due_on=_today() - dt.timedelta(days=n + 10))
    ActionItemFactory(working_group=other, title="Not late", due_on=_today() + dt.timedelta(days=3))
    ActionItemFactory(working_group=other, title="Late but done", due_on=_today() - dt.timedelta(days=3), status="done")
    return other


def test_the_overdue_board_groups_late_actions_by_group(overdue_rows, gcf_funder):
    html = client_for(gcf_funder).get("/actions/overdue/").content.decode()
    assert "13 overdue action items" in html
    assert html.index("JWG Hub-Chad") < html.index("JWG Hub-Guinea-Bissau")
    assert "GNB late 5" in html and "overdue by 15 days" in html
    assert "Not late" not in html and "Late but done" not in html


def test_a_focal_point_sees_only_their_countrys_board(overdue_rows, chad_focal_point):
    html = client_for(chad_focal_point).get("/actions/overdue/").content.decode()
    assert "Chad late 0" in html and "GNB late 0" not in html


@pytest.mark.parametrize("role", ["secretariat", "gcf_funder", "chad_focal_point"])
def test_the_overdue_board_uses_a_bounded_number_of_queries(request, role, overdue_rows, django_assert_max_num_queries):
    client = _client(request, role)
    with django_assert_max_num_queries(8):
        response = client.get("/actions/overdue/")
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="action-') >= 7


def test_the_overdue_board_is_for_insiders(db, iom_editor):
    assert client_for(iom_editor).get("/actions/overdue/").status_code == 403
    assert client_for(None).get("/actions/overdue/").status_code == 302


@pytest.mark.parametrize("role", ["secretariat", "chad_focal_point", "iom_editor", "gcf_funder"])
def test_my_actions_renders_for_each_signed_in_role(request, role, full):
    response = _client(request, role).get("/actions/mine/")
    assert response.status_code == 200
    assert "You have no open actions." in response.content.decode()


def test_a_partner_editor_owns_their_organisations_actions(full, iom, iom_editor):
    org_member = MemberFactory(working_group=full, organisation=iom, person_name="")
    action = ActionItemFactory(working_group=full, owner=org_member, title="IOM mapping")
    assert "IOM mapping" in client_for(iom_editor).get("/actions/mine/").content.decode()
    response = client_for(iom_editor).post(f"/actions/{action.pk}/status/", {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == "done"
