"""JWG reads: groups, meetings, decisions, 'my actions' and the overdue board, filtered by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bakuhub.accounts.models import Role, User
from bakuhub.accounts.permissions import editor_organisation_ids, focal_country_ids, is_funder, is_secretariat
from bakuhub.partners.models import Organisation

from .models import ActionItem, Decision, Meeting, MeetingAttachment, WorkingGroup, WorkingGroupMember
from .permissions import can, member_group_ids


def sees_internals(user: Any, group: WorkingGroup) -> bool:
    return can(user, "view_internals", group)


def insider_group_ids(user: Any) -> set[int] | None:
    """The groups whose internals the user sees; None means all of them."""
    if is_secretariat(user) or is_funder(user):
        return None
    by_country = set(WorkingGroup.objects.filter(country_id__in=focal_country_ids(user)).values_list("id", flat=True))
    return by_country | member_group_ids(user)


def working_group_list(*, country: Any = None, status: str | None = None) -> QuerySet[WorkingGroup]:
    qs = WorkingGroup.objects.select_related("country", "memorandum").annotate(
        meeting_count=Count("meetings", distinct=True), decision_count=Count("decisions", distinct=True)
    )
    if country is not None:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("country__name_en", "name")


def working_group_members(*, group: WorkingGroup) -> QuerySet[WorkingGroupMember]:
    return group.members.select_related("user", "organisation").order_by("role", "id")


@dataclass(frozen=True)
class MemberView:
    """A member as the viewer may see it. The public sees member organisations only: no person, no role; e-mail
    addresses are for the secretariat."""

    id: int
    name: str
    person_name: str
    role: str | None
    role_label: str
    organisation: Organisation | None
    is_platform_user: bool
    email: str | None


def _member_view(member: WorkingGroupMember, *, insider: bool, secretariat: bool) -> MemberView:
    if not insider:
        return MemberView(member.pk, str(member.organisation), "", None, "", member.organisation, False, None)
    person = member.person_name or (member.user.get_full_name() or member.user.get_username() if member.user else "")
    return MemberView(
        id=member.pk,
        name=str(member),
        person_name=person,
        role=member.role,
        role_label=str(member.get_role_display()),
        organisation=member.organisation,
        is_platform_user=member.user_id is not None,
        email=(member.reminder_email or None) if secretariat else None,
    )


def member_views(
    *, user: Any, group: WorkingGroup, members: list[WorkingGroupMember] | None = None
) -> list[MemberView]:
    """The group's members (or `members`, already loaded) as `user` may see them: insiders see people and roles,
    the public one entry per member organisation."""
    rows = list(working_group_members(group=group)) if members is None else members
    insider = sees_internals(user, group)
    secretariat = bool(is_secretariat(user))
    if insider:
        return [_member_view(m, insider=True, secretariat=secretariat) for m in rows]
    seen: set[int] = set()
    views = []
    for m in rows:
        if m.organisation_id is not None and m.organisation_id not in seen:
            seen.add(m.organisation_id)
            views.append(_member_view(m, insider=False, secretariat=False))
    return views


def co_chair_views(*, user: Any, group: WorkingGroup, members: list[WorkingGroupMember]) -> list[MemberView]:
    """Co-chairs are a role: shown to insiders only."""
    co_chairs = [m for m in members if m.role == WorkingGroupMember.Role.CO_CHAIR]
    return member_views(user=user, group=group, members=co_chairs) if sees_internals(user, group) else []


def addable_user(*, user: Any, group: WorkingGroup, username: str) -> User | None:
    """The active platform user `username` if `user` may add them to `group`, else None, whether or not they exist:
    the secretariat may add anyone; a focal point the country's focal points and the editors of organisations in
    the group or based in its country. A caller learns nothing about other usernames."""
    qs = User.objects.filter(username=username, is_active=True)
    if not is_secretariat(user):
        member_orgs = group.members.filter(organisation__isnull=False).values("organisation_id")
        qs = qs.filter(
            Q(pk=getattr(user, "pk", None))
            | Q(role=Role.FOCAL_POINT, countries=group.country_id)
            | Q(role=Role.PARTNER_EDITOR, organisations__in=member_orgs)
            | Q(role=Role.PARTNER_EDITOR, organisations__country=group.country_id)
        ).distinct()
    return qs.first()


def meeting_list(*, group: WorkingGroup) -> QuerySet[Meeting]:
    return group.meetings.order_by("-starts_at")


def meeting_detail(*, group: WorkingGroup, pk: int) -> Meeting | None:
    return (
        group.meetings.prefetch_related(
            "agenda_items", "attendance__member__organisation", "attachments", "decisions", "actions__owner"
        )
        .filter(pk=pk)
        .first()
    )


def decision_list(*, group: WorkingGroup | None = None, status: str | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("working_group", "meeting", "agenda_item").prefetch_related("commitments")
    if group is not None:
        qs = qs.filter(working_group=group)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("working_group__code", "year", "number")


def action_list(
    *,
    user: Any,
    group: WorkingGroup | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    owner: WorkingGroupMember | None = None,
) -> QuerySet[ActionItem]:
    """Action items the user may see (insiders only), with filters."""
    qs = ActionItem.objects.select_related("working_group__country", "owner__organisation", "owner__user", "decision")
    allowed = insider_group_ids(user)
    if allowed is not None:
        qs = qs.filter(working_group_id__in=allowed)
    if group is not None:
        qs = qs.filter(working_group=group)
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue is not None:
        late = Q(status__in=ActionItem.OPEN_STATUSES, due_on__lt=timezone.localdate())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("due_on", "id")


def my_actions(*, user: Any) -> QuerySet[ActionItem]:
    """Open actions owned by the user, as a person or through an organisation they edit."""
    if not getattr(user, "is_authenticated", False):
        return ActionItem.objects.none()
    mine = Q(owner__user=user) | Q(owner__organisation_id__in=editor_organisation_ids(user))
    return (
        ActionItem.objects.filter(mine, status__in=ActionItem.OPEN_STATUSES)
        .select_related("working_group__country", "owner__organisation", "decision")
        .order_by("due_on", "id")
    )


def overdue_board(*, user: Any) -> QuerySet[ActionItem]:
    return action_list(user=user, overdue=True)


def meeting_attachment_for_download(*, user: Any, pk: int) -> MeetingAttachment | None:
    """A meeting's attachment, only for the group's insiders (those who see the attachments on the meeting page)."""
    attachment = MeetingAttachment.objects.select_related("meeting__working_group").filter(pk=pk).first()
    if attachment is None or not sees_internals(user, attachment.meeting.working_group):
        return None
    return attachment
