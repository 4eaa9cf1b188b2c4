"""Forms of the project pages: the list's filters, the managers' forms, the rates upload and the results review.

They only shape and type the input; every rule (who may, identifiers, sector shares summing to 100, justified
principal scores, the screening gate, rates, conversions) lives in the services, whose errors the views attach here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bakuhub.core.codelists import codelist
from bakuhub.core.models import AdminUnit, Country
from bakuhub.core.search import country_named
from bakuhub.finance.currencies import currency_choices
from bakuhub.finance.models import Budget, Transaction
from bakuhub.partners.models import Organisation
from bakuhub.projects.models import Location, Project
from bakuhub.projects.screening_questions import QUESTIONS
from bakuhub.projects.selectors import NEXUS_FILTERS

NEXUS_LABELS = {
    "triple": _("Triple nexus (climate, peace and migration)"),
    "climate": _("Climate"),
    "peace": _("Peace"),
    "migration": _("Migration"),
}
ANSWER_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No")), ("n/a", _("Not applicable"))]
SCORE_CHOICES = [(str(value), f"{value} · {label}") for value, label in Project.Score.choices]
MAX_SECTOR_ROWS = 30


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _active(list_name: str) -> list[tuple[str, str]]:
    return [(code, f"{code} · {row['name']}") for code, row in codelist(list_name).items() if row["status"] == "active"]


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


# --- the list's filters -------------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    """GET filters of the project list and its exports; `country` and `organisation` resolve to objects."""

    q = forms.CharField(label=_("Search (title or identifier)"), max_length=100, required=False)
    country = forms.CharField(label=_("Country (name or ISO3)"), max_length=100, required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", _("All")), *Project.Phase.choices])
    nexus = forms.ChoiceField(
        label=_("Nexus"), required=False, choices=[("", _("All")), *((n, NEXUS_LABELS[n]) for n in NEXUS_FILTERS)]
    )
    organisation = forms.SlugField(label=_("Organisation (slug)"), max_length=60, required=False)
    sector = forms.RegexField(
        label=_("DAC sector (5 digits, or a 3-digit category)"),
        regex=r"^\d{3}(\d{2})?$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("Give a DAC 5-digit sector code (e.g. 15220) or a 3-digit category (e.g. 152).")},
    )

    def clean_country(self) -> Country | None:
        given: str = self.cleaned_data["country"].strip()
        if not given:
            return None
        raw = given.upper()
        country = Country.objects.filter(iso3=raw).first() if raw.isalpha() and len(raw) == 3 else None
        if country is None:
            country = country_named(given)  # a name in English, French, Portuguese or Arabic, accents ignored
        if country is None:
            raise ValidationError(
                _("'%(code)s' is not a country name or ISO 3166-1 alpha-3 code we know, e.g. Chad or TCD."),
                params={"code": given},
            )
        return country

    def clean_organisation(self) -> Organisation | None:
        slug: str = self.cleaned_data["organisation"].strip()
        if not slug:
            return None
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise ValidationError(_("No organisation with the slug '%(slug)s'."), params={"slug": slug})
        return organisation

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of `projects.selectors.project_list` (call only once the form is valid)."""
        data = self.cleaned_data
        return {
            "country": data["country"],
            "phase": data["phase"] or None,
            "nexus": data["nexus"] or None,
            "organisation": data["organisation"],
            "sector": data["sector"] or None,
            "search": data["q"] or None,
        }


# --- create and edit ----------------------------------------------------------------------------------------


class ProjectCreateForm(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.none(), label=_("Country"))
    identifier = forms.CharField(
        label=_("IATI activity identifier"),
        max_length=150,
        help_text=_("The lead organisation's IATI identifier, '-' and a local id, e.g. XM-DAC-47066-TD-2025-01."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=300, required=False)
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Lead organisation"), required=False
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=_date_input())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "country", Country.objects.order_by("name_en"))
        _set_queryset(self, "lead_organisation", Organisation.objects.order_by("name"))

    def titles(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"title_{lang}"] for lang in ("en", "fr") if self.cleaned_data[f"title_{lang}"]}


class ProjectEditForm(forms.Form):
    """The basics, with the version the editor loaded (a stale save is refused with the fields changed since)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=300, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=_date_input())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=_date_input())
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=_date_input())
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=_date_input())
    is_public = forms.BooleanField(label=_("Public (shown to everyone)"), required=False)
    source_title = forms.CharField(label=_("Source title"), max_length=300, required=False)
    source_publisher = forms.CharField(label=_("Source publisher"), max_length=200, required=False)
    source_url = forms.URLField(label=_("Source URL"), max_length=500, required=False, assume_scheme="https")
    source_quote = forms.CharField(
        label=_("Quote from the source"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fact_id = forms.CharField(label=_("Fact id"), max_length=10, required=False)

    LANGUAGE_FIELDS = ("title_en", "title_fr", "description_en", "description_fr")

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(project, name)
            for name in cls.base_fields
            if name not in cls.LANGUAGE_FIELDS and hasattr(project, name)
        }
        for lang in ("en", "fr"):
            initial[f"title_{lang}"] = project.titles.get(lang, "")
            initial[f"description_{lang}"] = project.descriptions.get(lang, "")
        return initial

    def changes(self, project: Project) -> dict[str, Any]:
        """The service's keyword arguments: every editable field; titles and descriptions keep other languages."""
        data = self.cleaned_data
        titles = {**project.titles, "en": data["title_en"], "fr": data["title_fr"]}
        descriptions = {**project.descriptions, "en": data["description_en"], "fr": data["description_fr"]}
        fields = {name: data[name] for name in self.fields if name not in (*self.LANGUAGE_FIELDS, "version")}
        return {"titles": titles, "descriptions": descriptions, **fields}


# --- tagging ------------------------------------------------------------------------------------------------


class SectorsForm(forms.Form):
    """Rows of DAC code + percentage; empty rows are ignored, the service checks that the shares sum to 100."""

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = max(1, min(rows, MAX_SECTOR_ROWS))
        for index in range(self.rows):
            self.fields[f"code_{index}"] = forms.RegexField(
                label=_("DAC code"),
                regex=r"^\d{5}$",
                required=False,
                max_length=5,
                error_messages={"invalid": _("A DAC sector code has 5 digits, e.g. 15220.")},
            )
            self.fields[f"percentage_{index}"] = forms.DecimalField(
                label=_("Percentage"), required=False, min_value=Decimal("0.01"), max_value=100, decimal_places=2
            )

    @staticmethod
    def rows_in(data: Any) -> int:
        """How many rows a submitted form has (the highest `code_N` index + 1)."""
        indexes = [int(key[5:]) for key in data if key.startswith("code_") and key[5:].isdigit()]
        return max(indexes, default=-1) + 1

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for index, sector in enumerate(project.sectors.all()):
            initial[f"code_{index}"] = sector.code
            initial[f"percentage_{index}"] = sector.percentage
        return initial

    def row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"code_{i}"], self[f"percentage_{i}"]) for i in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(self.rows):
            code, share = data.get(f"code_{index}"), data.get(f"percentage_{index}")
            if code and share is None and f"percentage_{index}" not in self.errors:
                self.add_error(f"percentage_{index}", _("Give the percentage of %(code)s.") % {"code": code})
            if share is not None and not code and f"code_{index}" not in self.errors:
                self.add_error(f"code_{index}", _("Give the DAC code of this percentage."))
        return data

    def sectors(self) -> list[tuple[str, Decimal]]:
        rows = (
            (self.cleaned_data.get(f"code_{i}"), self.cleaned_data.get(f"percentage_{i}")) for i in range(self.rows)
        )
        return [(code, share) for code, share in rows if code and share is not None]


class NexusForm(forms.Form):
    climate = forms.TypedChoiceField(label=_("Climate score"), choices=SCORE_CHOICES, coerce=int)
    climate_justification = forms.CharField(
        label=_("Climate justification"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    peace = forms.TypedChoiceField(label=_("Peace score"), choices=SCORE_CHOICES, coerce=int)
    peace_justification = forms.CharField(
        label=_("Peace justification"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    migration = forms.TypedChoiceField(label=_("Migration score"), choices=SCORE_CHOICES, coerce=int)
    migration_justification = forms.CharField(
        label=_("Migration justification"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(
        label=_("How the scores were set"),
        choices=[("manual", _("Assessed by hand")), ("suggested", _("Accepted the suggestion"))],
        initial="manual",
    )

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        initial: dict[str, Any] = {"method": project.nexus_method or "manual"}
        for dimension in ("climate", "peace", "migration"):
            initial[dimension] = str(getattr(project, f"{dimension}_score"))
            initial[f"{dimension}_justification"] = getattr(project, f"{dimension}_justification")
        return initial


HUMANITARIAN_CHOICES = [("", _("Not stated")), ("yes", _("Yes, humanitarian")), ("no", _("No"))]


class HumanitarianForm(forms.Form):
    """The IATI humanitarian flag and at most one humanitarian scope; the service checks the combination."""

    humanitarian = forms.ChoiceField(label=_("Humanitarian project"), choices=HUMANITARIAN_CHOICES, required=False)
    scope_type = forms.ChoiceField(label=_("Humanitarian scope type"), required=False)
    scope_vocabulary = forms.ChoiceField(label=_("Scope vocabulary"), required=False)
    scope_code = forms.CharField(
        label=_("Scope code"),
        max_length=100,
        required=False,
        help_text=_("A GLIDE number (e.g. EQ-2015-000048-NPL) or an OCHA FTS plan code (e.g. HTCD25)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, list_name in (
            ("scope_type", "HumanitarianScopeType"),
            ("scope_vocabulary", "HumanitarianScopeVocabulary"),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("None")), *_active(list_name)]

    @staticmethod
    def initial_for(project: Project) -> dict[str, Any]:
        flag = {None: "", True: "yes", False: "no"}[project.humanitarian]
        return {
            "humanitarian": flag,
            "scope_type": project.humanitarian_scope_type,
            "scope_vocabulary": project.humanitarian_scope_vocabulary,
            "scope_code": project.humanitarian_scope_code,
        }


class ScreeningForm(forms.Form):
    """One answer and one note per checklist question; the answer fields are named by the question ids, so the
    service's per-question errors land on them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.id] = forms.ChoiceField(label=question.text, choices=ANSWER_CHOICES, required=False)
            self.fields[f"{question.id}_note"] = forms.CharField(
                label=_("Note (how the risk is handled)"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for qid, given in answers.items():
            if isinstance(given, dict):
                initial[qid] = given.get("answer", "")
                initial[f"{qid}_note"] = given.get("note", "")
        return initial

    def question_fields(self) -> list[tuple[forms.BoundField, forms.BoundField, str]]:
        return [(self[q.id], self[f"{q.id}_note"], q.concern) for q in QUESTIONS]

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {q.id: {"answer": data.get(q.id, ""), "note": data.get(f"{q.id}_note", "")} for q in QUESTIONS}


# --- locations, phases ----------------------------------------------------------------------------------------


class LocationForm(forms.Form):
    admin_unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=_("Province / region (admin-1)"))
    admin2_pcode = forms.CharField(label=_("Admin-2 p-code (optional)"), max_length=20, required=False)
    name = forms.CharField(label=_("Place name (optional)"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"), required=False, min_value=-90, max_value=90, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"), required=False, min_value=-180, max_value=180, decimal_places=5
    )
    location_class = forms.ChoiceField(label=_("Location class"), initial="1")
    exactness = forms.ChoiceField(label=_("Exactness"), initial="1")
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"),
        choices=Location.Sensitivity.choices,
        initial=Location.Sensitivity.PUBLIC,
        help_text=_("Coarsened sites are shown to the public as their province only; hidden sites not at all."),
    )

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "admin_unit", units)
        for name, list_name in (("location_class", "GeographicLocationClass"), ("exactness", "GeographicExactness")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = _active(list_name)


class PhaseForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Move to"))
    on_date = forms.DateField(label=_("On (default: today)"), required=False, widget=_date_input())

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_phase"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(phase, Project.Phase(phase).label) for phase in allowed]


# --- money ----------------------------------------------------------------------------------------------------


class _MoneyForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), initial="USD")
    value_date = forms.DateField(
        label=_("Value date (of the exchange rate; optional)"), required=False, widget=_date_input()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["currency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = currency_choices()


class BudgetForm(_MoneyForm):
    period_start = forms.DateField(label=_("Period start"), widget=_date_input())
    period_end = forms.DateField(label=_("Period end (at most one year later)"), widget=_date_input())
    status = forms.ChoiceField(label=_("Status"), choices=Budget.Status.choices, initial=Budget.Status.INDICATIVE)
    kind = forms.ChoiceField(label=_("Type"), choices=Budget.Kind.choices, initial=Budget.Kind.ORIGINAL)

    field_order = ["period_start", "period_end", "amount", "currency", "value_date", "status", "kind"]


class TransactionForm(_MoneyForm):
    kind = forms.ChoiceField(label=_("Type"), choices=Transaction.Kind.choices)
    transaction_date = forms.DateField(label=_("Date"), widget=_date_input())
    provider_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Provider organisation"), required=False
    )
    provider_name = forms.CharField(label=_("Provider (if not listed)"), max_length=200, required=False)
    receiver_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Receiver organisation"), required=False
    )
    receiver_name = forms.CharField(label=_("Receiver (if not listed)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    field_order = ["kind", "transaction_date", "amount", "currency", "value_date", "provider_organisation",
                   "provider_name", "receiver_organisation", "receiver_name", "description"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("provider_organisation", "receiver_organisation"):
            _set_queryset(self, name, Organisation.objects.order_by("name"))


# --- the secretariat's desks ----------------------------------------------------------------------------------


class RatesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Rates file (CSV)"),
        help_text=_("Columns currency,date,per_usd (1 USD = per_usd units of the currency); UTF-8; at most 5 MB."),
    )
    source = forms.CharField(label=_("Source (default: the file's name)"), max_length=200, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(
        label=_("Reason (required to reject; the partner sees it)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Give the reason for the rejection; the partner sees it."))
        return data
