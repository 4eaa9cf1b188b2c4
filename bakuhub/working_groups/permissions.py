"""One rule per action for JWGs. Insiders (secretariat, the country's focal points, funders, and platform users who
are members themselves or through their organisation) see meetings' minutes, attendance and action items; the
public sees the group, its meetings' dates and places, and its decisions."""

from __future__ import annotations

from typing import Any

from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.accounts.rules_typed import add_perm, has_perm, predicate

from .models import ActionItem, WorkingGroup


def _group(obj: Any) -> WorkingGroup | None:
    if isinstance(obj, WorkingGroup):
        return obj
    group = getattr(obj, "working_group", None)
    return group if isinstance(group, WorkingGroup) else None


@predicate
def is_focal_point_of_group(user: Any, obj: Any) -> bool:
    group = _group(obj)
    return group is not None and group.country_id in focal_country_ids(user)


def member_group_ids(user: Any) -> set[int]:
    """Groups the user belongs to, as a person or through an organisation they edit (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: set[int] | None = getattr(user, "_member_group_ids", None)
    if cached is None:
        from django.db.models import Q

        from .models import WorkingGroupMember

        orgs = editor_organisation_ids(user)
        cached = set(
            WorkingGroupMember.objects.filter(Q(user=user) | Q(organisation_id__in=orgs)).values_list(
                "working_group_id", flat=True
            )
        )
        user._member_group_ids = cached
    return cached


@predicate
def is_group_member(user: Any, obj: Any) -> bool:
    group = _group(obj)
    return group is not None and group.pk in member_group_ids(user)


@predicate
def owns_action(user: Any, action: ActionItem | None) -> bool:
    if action is None or not getattr(user, "is_authenticated", False):
        return False
    owner = action.owner
    return owner.user_id == user.pk or (
        owner.organisation_id is not None and owner.organisation_id in editor_organisation_ids(user)
    )


insider = is_secretariat | is_funder | is_focal_point_of_group | is_group_member
manager = is_secretariat | is_focal_point_of_group

add_perm("working_groups.view_internals", insider)
add_perm("working_groups.change_workinggroup", manager)
add_perm("working_groups.create_workinggroup", is_secretariat)
add_perm("working_groups.manage_meetings", manager)
add_perm("working_groups.manage_decisions", manager)
add_perm("working_groups.manage_actions", manager)
add_perm("working_groups.update_action_status", manager | owns_action)
add_perm("working_groups.rotate_calendar", manager)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return has_perm(f"working_groups.{action}", user, obj)
