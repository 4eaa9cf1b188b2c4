"""Forms of the Joint Working Group pages: schedule a meeting, record a decision, assign an action, change a status.

They only shape and type the input; every rule (who may, numbering, owner in the group, due after the meeting, end
after start) lives in the services, whose errors the views attach to these forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bakuhub.commitments.models import Commitment
from bakuhub.core.errors import ValidationFailed
from bakuhub.working_groups.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    WorkingGroup,
    WorkingGroupMember,
)
from bakuhub.working_groups.services.meetings import LANGUAGES
from bakuhub.working_groups.timezones import COUNTRY_ZONES, zone

LANGUAGE_LABELS = {"en": _("English"), "fr": _("French"), "pt": _("Portuguese"), "ar": _("Arabic")}
COMMON_ZONES = sorted({*COUNTRY_ZONES.values(), "UTC", "Europe/Brussels", "Europe/Rome", "America/New_York"})


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read on the wall clock of the meeting's place: kept naive, so the service reads it in
    the meeting's own time zone (not the server's)."""

    formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        for fmt in self.formats:
            try:
                return dt.datetime.strptime(text, fmt)  # naive on purpose: see the class
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        return value


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = WallClockDateTimeField(label=_("Starts (local time of the meeting)"))
    ends_at = WallClockDateTimeField(label=_("Ends (local time of the meeting)"), required=False)
    timezone = forms.CharField(
        label=_("Time zone (IANA name, e.g. Africa/Ndjamena)"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    language = forms.ChoiceField(label=_("Language of the minutes"), initial="en")
    agenda = forms.CharField(
        label=_("Agenda (one item per line)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_example = forms.BooleanField(label=_("An illustrative example, not a real meeting"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [(code, LANGUAGE_LABELS.get(code, code)) for code in LANGUAGES]

    def clean_timezone(self) -> str:
        name: str = self.cleaned_data["timezone"].strip()
        try:
            zone(name)
        except ValidationFailed:
            raise ValidationError(
                _("'%(name)s' is not a known time zone; use an IANA name such as Africa/Ndjamena, Europe/Rome or UTC."),
                code="unknown_zone",
                params={"name": name[:64]},
            ) from None
        return name

    def clean_agenda(self) -> str:
        agenda: str = self.cleaned_data.get("agenda", "")
        for line in agenda.splitlines():
            if len(line.strip()) > 300:
                raise ValidationError(_("Each agenda item is at most 300 characters."), code="too_long")
        return agenda

    def agenda_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class _LabelledChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, labeller: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labeller = labeller

    def label_from_instance(self, obj: Any) -> str:
        return str(self.labeller(obj))


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.starts_at:%Y-%m-%d} — {meeting.title}"


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        help_text=_("Leave empty to use the day of its meeting (or today, without a meeting)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # A new decision is adopted or implemented; it is marked superseded later, naming the decision that replaces it.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(c, label) for c, label in Decision.Status.choices if c != Decision.Status.SUPERSEDED],
        initial=Decision.Status.ADOPTED,
    )
    meeting = _LabelledChoice(
        queryset=Meeting.objects.none(), label=_("Meeting"), required=False, labeller=_meeting_label
    )
    agenda_item = _LabelledChoice(
        queryset=AgendaItem.objects.none(),
        label=_("Agenda item (of that meeting)"),
        required=False,
        labeller=lambda item: f"{item.meeting.starts_at:%Y-%m-%d} · {item.number}. {item.title}",
    )
    commitments = forms.ModelMultipleChoiceField(
        queryset=Commitment.objects.none(), label=_("Commitments it concerns"), required=False
    )

    def __init__(
        self,
        *args: Any,
        group: WorkingGroup,
        meetings: QuerySet[Meeting],
        commitments: QuerySet[Commitment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set_queryset("meeting", meetings)
        self._set_queryset(
            "agenda_item",
            AgendaItem.objects.filter(meeting__working_group=group)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "number"),
        )
        self._set_queryset("commitments", commitments)

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


def _member_label(member: WorkingGroupMember) -> str:
    return f"{member} — {member.get_role_display()}"


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = _LabelledChoice(queryset=WorkingGroupMember.objects.none(), label=_("Owner"), labeller=_member_label)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = _LabelledChoice(
        queryset=Decision.objects.none(),
        label=_("Decision it implements"),
        required=False,
        labeller=lambda d: f"{d.reference} — {d.text[:80]}",
    )
    meeting = _LabelledChoice(
        queryset=Meeting.objects.none(), label=_("Meeting that set it"), required=False, labeller=_meeting_label
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[WorkingGroupMember],
        decisions: QuerySet[Decision],
        meetings: QuerySet[Meeting],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("owner", members), ("decision", decisions), ("meeting", meetings)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
