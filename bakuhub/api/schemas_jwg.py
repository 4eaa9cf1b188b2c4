"""Request and response schemas of the Joint Working Group and commitment endpoints.

Times are ISO 8601. Stored instants are returned in UTC (`starts_at`, `ends_at`) and, for meetings, also in the
meeting's own zone (`local_start`, `local_end`). A naive time sent by a client is read as local time in the
meeting's `timezone`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from bakuhub.core.downloads import download_url

from .types import CommitmentKindCode, Day, Flag, Id, Iso3, Moment, OptionalCurrency

Precision = Literal["day", "month", "year"]


# --- Joint Working Groups -------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    person_name: str = Field(..., description="Empty unless you are one of the group's insiders")
    role: str | None = Field(..., description="Only shown to the group's insiders")
    organisation: str | None = Field(None, description="The organisation's slug, when the member is one")
    is_platform_user: bool
    email: str | None = Field(None, description="Where reminders go; only shown to the Hub secretariat")


class WorkingGroupOut(Schema):
    id: int
    code: str
    name: str
    country_iso3: str
    country_name: str
    status: str
    started_on: dt.date | None
    started_precision: str
    memorandum_id: int | None = Field(None, description="The memorandum that established the group")
    meeting_count: int
    decision_count: int
    co_chairs: list[MemberOut]


class WorkingGroupDetailOut(WorkingGroupOut):
    terms_of_reference: str = Field(..., description="Sanitised HTML")
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str
    is_demo: bool
    viewer_is_insider: bool = Field(..., description="Whether you see minutes, attendance, actions and e-mails")
    members: list[MemberOut]


class WorkingGroupIn(Schema):
    model_config = ConfigDict(extra="forbid")
    country_iso3: Iso3
    name: str
    code: str = Field("", description="Prefix of decision numbers; defaults to '<ISO3>-JWG'")
    memorandum_id: Id | None = None
    terms_of_reference: str = Field("", description="Rich text; script and event handlers are refused")
    status: str = "forming"
    started_on: Day | None = None
    started_precision: Precision = "day"
    source_title: str = ""
    source_publisher: str = ""
    source_url: str = ""
    source_quote: str = ""


class WorkingGroupPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    terms_of_reference: str | None = None
    status: str | None = None
    started_on: Day | None = None


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")
    role: str = "member"
    person_name: str = ""
    email: str = ""
    organisation: str | None = Field(None, description="Slug of a partner organisation")
    username: str | None = Field(None, description="A platform user (they then see the group's actions as theirs)")


# --- Meetings -------------------------------------------------------------------------------------------------


class AgendaItemOut(Schema):
    id: int
    number: int
    title: str
    description: str


class AgendaItemIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str
    description: str = ""


class AttendanceOut(Schema):
    member_id: int
    member: str
    status: str


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    status: str = "present"


class AttachmentOut(Schema):
    id: int
    original_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        if isinstance(obj, dict):  # already rendered
            return str(obj["download_url"])
        return download_url("file_meeting_attachment", obj.pk)


class DecisionBriefOut(Schema):
    id: int
    reference: str
    status: str


class ActionBriefOut(Schema):
    id: int
    title: str
    owner_id: int
    due_on: dt.date
    status: str


class MeetingOut(Schema):
    id: int
    working_group_id: int
    title: str
    starts_at: dt.datetime = Field(..., description="UTC")
    ends_at: dt.datetime = Field(..., description="UTC")
    timezone: str = Field(..., description="IANA zone the meeting is set in")
    local_start: dt.datetime = Field(..., description="The start in the meeting's zone")
    local_end: dt.datetime = Field(..., description="The end in the meeting's zone")
    viewer_start: dt.datetime | None = Field(None, description="The start in the zone asked for with ?tz=")
    place: str
    online_url: str
    status: str
    language: str
    is_example: bool = Field(..., description="An illustrative example, not a real meeting")
    sequence: int


class MeetingDetailOut(MeetingOut):
    decisions: list[DecisionBriefOut]
    minutes: str | None = Field(None, description="Sanitised HTML; insiders only")
    agenda_items: list[AgendaItemOut] | None = Field(None, description="Insiders only")
    attendance: list[AttendanceOut] | None = Field(None, description="Insiders only")
    attachments: list[AttachmentOut] | None = Field(None, description="Insiders only")
    actions: list[ActionBriefOut] | None = Field(None, description="Insiders only")


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str
    starts_at: Moment = Field(..., description="ISO 8601; without an offset it is local time in `timezone`")
    ends_at: Moment | None = Field(None, description="Defaults to two hours after the start")
    timezone: str | None = Field(None, description="IANA zone; defaults to the country's zone")
    place: str = ""
    online_url: str = ""
    status: str = "planned"
    minutes: str = ""
    language: str = "en"
    is_example: Flag = False


class MeetingPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    timezone: str | None = None
    place: str | None = None
    online_url: str | None = None
    status: str | None = None
    minutes: str | None = None
    language: str | None = None


# --- Decisions and actions ------------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    working_group_id: int
    reference: str = Field(..., description="e.g. TCD-JWG/2025/03")
    year: int
    number: int
    text: str
    decided_on: dt.date
    status: str
    meeting_id: int | None
    agenda_item_id: int | None
    superseded_by_id: int | None
    commitment_ids: list[int] = Field(..., description="The commitments it concerns that you may see")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str
    decided_on: Day | None = Field(None, description="Defaults to the day of its meeting (or today, without one)")
    status: str = "adopted"
    meeting_id: Id | None = None
    agenda_item_id: Id | None = None
    commitment_ids: list[Id] = []


class DecisionPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    status: str | None = None
    superseded_by: Id | None = Field(None, description="Id of the decision that supersedes this one")


class ActionOut(Schema):
    id: int
    working_group_id: int
    working_group_code: str
    country_iso3: str
    title: str
    description: str
    owner_id: int
    owner: str
    due_on: dt.date
    status: str
    is_overdue: bool
    completed_on: dt.date | None
    decision_id: int | None
    decision_reference: str | None
    meeting_id: int | None


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str
    owner_id: Id = Field(..., description="A member of this group")
    due_on: Day
    description: str = ""
    decision_id: Id | None = None
    meeting_id: Id | None = None


class ActionPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    status: str | None = Field(None, description="Owners may change only this")
    title: str | None = None
    description: str | None = None
    owner_id: Id | None = None
    due_on: Day | None = None


# --- Commitments ----------------------------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    status: str
    committer_country_iso3: str | None
    committer_organisation: str | None = Field(None, description="Slug")
    committer_name: str
    beneficiary_country_iso3: str | None
    amount: str | None = Field(None, description="Decimal as a string")
    currency: str
    announced_on: dt.date
    date_precision: str
    memorandum_id: int | None
    agreement_reference: str
    is_public: bool
    source_title: str
    source_publisher: str
    source_url: str


class CommitmentEventOut(Schema):
    id: int
    from_status: str
    to_status: str
    occurred_on: dt.date
    date_precision: str
    note: str
    source_title: str
    source_publisher: str
    source_url: str
    source_quote: str
    recorded_at: dt.datetime


class CommitmentDetailOut(CommitmentOut):
    source_quote: str
    events: list[CommitmentEventOut]


class CommitmentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    committer_country_iso3: Iso3 | None = None
    committer_organisation: str | None = Field(None, description="Slug of a partner organisation")
    beneficiary_country_iso3: Iso3 | None = None
    kind: CommitmentKindCode
    title: str
    description: str = ""
    amount: Decimal | None = Field(None, max_digits=18, decimal_places=2, description="A string or a number")
    currency: OptionalCurrency = ""
    announced_on: Day
    date_precision: Precision = "day"
    source_title: str
    source_url: str
    source_publisher: str = ""
    source_quote: str = ""
    is_public: Flag = True


class CommitmentTransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to_status: str
    occurred_on: Day
    date_precision: Precision = "day"
    source_title: str
    source_url: str
    source_publisher: str = ""
    source_quote: str = ""
    note: str = ""
    memorandum_id: Id | None = None
    agreement_reference: str = ""


class TallyOut(Schema):
    counts: dict[str, int] = Field(..., description="Commitments that reached at least each stage")
    money: dict[str, dict[str, str]] = Field(..., description="Per currency, the amount that reached each stage")


class CommitmentTotalsOut(Schema):
    overall: TallyOut
    partners: dict[str, TallyOut]
    countries: dict[str, TallyOut]
