from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bakuhub.partners.lifecycle import LABELS, Stage
from bakuhub.partners.models.base import DatePrecision


class TransitionForm(forms.Form):
    """A milestone not yet recorded (in any order), or a change of state (pause, resume, withdraw, restart)."""

    to_stage = forms.ChoiceField(label=_("Step"))
    occurred_on = forms.DateField(label=_("Date of the step"), widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(label=_("Date known to the"), choices=DatePrecision.choices, initial="day")
    source_title = forms.CharField(label=_("Evidence: source title"), max_length=300)
    source_url = forms.URLField(label=_("Evidence: source URL"), required=False, max_length=500, assume_scheme="https")
    source_publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    document = forms.FileField(
        label=_("Evidence: document (PDF, DOCX or ODT, ≤ 20 MB)"),
        required=False,
        help_text=_(
            "When the membership is public, this document is published with the country's public timeline: "
            "anyone can download it."
        ),
    )
    inferred_from = forms.CharField(
        label=_("Inferred from (fact id, when no source states the milestone)"), required=False, max_length=10
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, milestones: list[Stage], allowed: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_stage = self.fields["to_stage"]
        if isinstance(to_stage, forms.ChoiceField):
            reached = [(s.value, gettext(LABELS[s])) for s in milestones]
            changes = [(s.value, _state_change_label(s)) for s in allowed]
            to_stage.choices = [
                *([(_("Milestone reached"), reached)] if reached else []),
                *([(_("Change of state"), changes)] if changes else []),
            ]


def _state_change_label(stage: Stage) -> str:
    if stage == Stage.PAUSED:
        return str(_("Pause"))
    if stage == Stage.WITHDRAWN:
        return str(_("Withdraw"))
    if stage == Stage.INTERESTED:
        return str(_("Restart (after a withdrawal)"))
    return str(_("Resume"))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name (e.g. 'reporting laptop')"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)


class VersionUploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, DOCX or ODT, ≤ 20 MB)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    on_behalf_of = forms.CharField(label=_("On behalf of"), max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
