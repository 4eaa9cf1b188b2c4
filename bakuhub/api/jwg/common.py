"""The Joint Working Groups API's router, error maps and lookups shared by its modules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from ninja import Router
from ninja.errors import AuthenticationError

from bakuhub.accounts.models import User
from bakuhub.core.errors import NotFound, PermissionDenied, ValidationFailed
from bakuhub.partners import selectors as partner_selectors
from bakuhub.partners.models import Memorandum, Organisation
from bakuhub.working_groups import selectors
from bakuhub.working_groups.models import Decision, Meeting, WorkingGroup, WorkingGroupMember

from ..errors import ErrorOut
from ..types import Id

router = Router(tags=["working groups"])
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 412: ErrorOut}
READ_ERRORS = {304: None, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
INSIDER_READ_ERRORS = {**READ_ERRORS, 403: ErrorOut}
Viewer = User | AnonymousUser


# --- Lookups and checks ---------------------------------------------------------------------------------------


def _choice(value: str | None, choices: Any, field: str) -> str | None:
    """A filter value must be one of the model's choices (an unknown one is a typo, not an empty result)."""
    if value and value not in choices.values:
        msg = f"'{value[:40]}' is not one of: {', '.join(choices.values)}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return value


def _groups() -> QuerySet[WorkingGroup]:
    co_chairs = WorkingGroupMember.objects.filter(role=WorkingGroupMember.Role.CO_CHAIR).select_related(
        "user", "organisation"
    )
    return selectors.working_group_list().prefetch_related(
        Prefetch("members", queryset=co_chairs.order_by("id"), to_attr="co_chair_rows")
    )


def _group(pk: int) -> WorkingGroup:
    group = _groups().filter(pk=pk).first()
    if group is None:
        raise NotFound(f"No Joint Working Group {pk}.")
    return group


def _insider(actor: Viewer, group: WorkingGroup) -> None:
    """Action items and the calendar are for the group's insiders: anonymous callers sign in, others are refused."""
    if not actor.is_authenticated:
        raise AuthenticationError()
    if not selectors.sees_internals(actor, group):
        raise PermissionDenied(f"Only the members, focal points, funders and secretariat of {group.name} see this.")


def _member(pk: int, field: str) -> WorkingGroupMember:
    """Any member by id; the services refuse a member of another group with a clear message."""
    member = WorkingGroupMember.objects.select_related("user", "organisation").filter(pk=pk).first()
    if member is None:
        msg = f"No Joint Working Group member {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return member


def _meeting(group: WorkingGroup, pk: int) -> Meeting:
    meeting = selectors.meeting_detail(group=group, pk=pk)
    if meeting is None:
        raise NotFound(f"No meeting {pk} in {group.name}.")
    return meeting


def _any_meeting(pk: int | None, field: str) -> Meeting | None:
    if pk is None:
        return None
    meeting = Meeting.objects.select_related("working_group").filter(pk=pk).first()
    if meeting is None:
        msg = f"No meeting {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return meeting


def _any_decision(pk: int | None, field: str) -> Decision | None:
    if pk is None:
        return None
    decision = Decision.objects.select_related("working_group").filter(pk=pk).first()
    if decision is None:
        msg = f"No decision {pk}."
        raise ValidationFailed(msg, errors={field: [msg]})
    return decision


def memorandum_for(actor: Viewer, pk: Id | None, field: str) -> Memorandum | None:
    """A memorandum the caller may see, by id (a body field, so an unknown one is a 400)."""
    if pk is None:
        return None
    memo = partner_selectors.memorandum_list(user=actor).filter(pk=pk).first()
    if memo is None:
        msg = f"No memorandum {pk} that you can see."
        raise ValidationFailed(msg, errors={field: [msg]})
    return memo


def organisation_for(slug: str | None, field: str) -> Organisation | None:
    if not slug:
        return None
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        msg = f"Unknown organisation '{slug[:60]}'."
        raise ValidationFailed(msg, errors={field: [msg]})
    return org
