"""The lifecycle's stage labels, marked for translation here because `partners.lifecycle` stays plain Python."""

from django.utils.translation import gettext_noop

STAGE_LABELS = (
    gettext_noop("Interested"),
    gettext_noop("Intention announced"),
    gettext_noop("Memorandum approved"),
    gettext_noop("Memorandum signed"),
    gettext_noop("Joint Working Group established"),
    gettext_noop("Pilot announced or underway"),
    gettext_noop("Implementing"),
    gettext_noop("Paused"),
    gettext_noop("Withdrawn"),
)
